// A link that flaps for a minute while the officer keeps typing: every query answered once, every hit alerted once.
import type { Page } from '@playwright/test';
import { expect, queued, statusBar, test } from './fixtures.ts';
import { enterPlates } from './ui-support.ts';

// Offline training plates would pop a hotlist POSSIBLE HIT first; these tests are about the live answer.
test.use({ hotlist: false });

const QUERIES = 200;
const HIT_PLATES = ['4TRN123', '4TRN456', '4TRN789'];
const FLAP_SECONDS = 60;
/** The typing spreads over the first four fifths of the flapping, so queries go in through every kind of outage. */
const TYPING_MS = FLAP_SECONDS * 800;

/** Query i's plate: every 20th a training plate that is a hit, the rest plates no record holds. */
const plateOf = (i: number) => (i % 20 === 19 ? HIT_PLATES[Math.floor(i / 20) % HIT_PLATES.length]! : `FLAP${i}`);

/** Acknowledges whatever alerts are up, as an officer would between queries. */
async function acknowledgeAny(page: Page): Promise<void> {
  const dialog = page.getByRole('alertdialog');
  for (let i = 0; i < 50 && (await dialog.isVisible()); i++) {
    await dialog.getByRole('button', { name: 'Acknowledge' }).click({ timeout: 2_000 }).catch(() => undefined);
  }
}

/** Reads one store of the terminal's IndexedDB as it is committed. */
function readStore<T>(page: Page, store: 'outbox' | 'alerts'): Promise<T[]> {
  return page.evaluate(
    (name) =>
      new Promise<T[]>((resolve) => {
        const open = indexedDB.open('outrider');
        open.onsuccess = () => {
          const request = open.result.transaction(name).objectStore(name).getAll();
          request.onsuccess = () => (open.result.close(), resolve(request.result as T[]));
        };
      }),
    store,
  );
}

test('a minute of flapping link while 200 queries are typed: all answered, each executed once, each hit alerted once', async ({ terminal: page, context, drillSwitch }) => {
  test.setTimeout(300_000);
  const start = await drillSwitch.stats();
  let flapping = true;
  const flapper = (async () => {
    const until = Date.now() + FLAP_SECONDS * 1000;
    let step = 0;
    while (Date.now() < until) {
      step++;
      // Alternate the two ways a car loses the switch: its own network gone, or the far side silent.
      if (step % 2) await context.setOffline(true);
      else await drillSwitch.process.setConditions({ blackHole: true });
      await new Promise((resolve) => setTimeout(resolve, 200 + Math.random() * 1800));
      await context.setOffline(false);
      await drillSwitch.process.setConditions({});
      await new Promise((resolve) => setTimeout(resolve, 200 + Math.random() * 1800));
    }
    flapping = false;
  })();

  const plates = Array.from({ length: QUERIES }, (_, i) => plateOf(i));
  const hits = plates.filter((plate) => HIT_PLATES.includes(plate)).length;
  for (let entered = 0; entered < QUERIES; ) {
    // An alert can open mid-entry (that is the point): the typing stops at it; acknowledge it and type on.
    await acknowledgeAny(page);
    entered += await enterPlates(page, plates.slice(entered), { gapMs: TYPING_MS / QUERIES });
  }
  await flapper;
  expect(flapping).toBe(false);

  // The link is steady now: everything drains; keep acknowledging what arrives. Read the committed
  // outbox rather than the status bar: the bar may not yet count the query typed a moment ago.
  await expect
    .poll(
      async () => {
        await acknowledgeAny(page);
        return (await readStore<{ status: string }>(page, 'outbox')).filter((entry) => entry.status === 'answered').length;
      },
      { timeout: 120_000, intervals: [250] },
    )
    .toBe(QUERIES);
  await expect(statusBar(page)).toContainText(queued(0));
  await acknowledgeAny(page);
  // Exactly one alert per hit query, none for the rest, and the officer has seen every one.
  const alerts = await readStore<{ queryId: string; acknowledgedAt: number }>(page, 'alerts');
  expect(alerts).toHaveLength(hits);
  expect(new Set(alerts.map((alert) => alert.queryId)).size).toBe(hits);
  await expect.poll(async () => (await readStore<{ acknowledgedAt: number }>(page, 'alerts')).filter((a) => a.acknowledgedAt === 0).length).toBe(0);
  const outbox = await readStore<{ status: string }>(page, 'outbox');
  expect(outbox.filter((entry) => entry.status === 'answered')).toHaveLength(QUERIES);

  const end = await drillSwitch.stats();
  const newKeys = Object.keys(end.byKey).filter((key) => !(key in start.byKey));
  expect(newKeys).toHaveLength(QUERIES);
  expect(newKeys.filter((key) => end.byKey[key] !== 1)).toEqual([]);
  console.log(`flapping: ${hits} hits alerted, ${end.replayed - start.replayed} replays, ${end.received - start.received} submissions received`);
});
