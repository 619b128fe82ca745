// Issue 21 item 8: the status bar's queued count agrees with the queue in storage within a second of any burst.
import type { Page } from '@playwright/test';
import { AWAITING_ANSWER } from '../../src-renderer/outbox/status-count.ts';
import { expect, statusBar, test } from './fixtures.ts';
import { queuePlates } from './ui-support.ts';

// A hotlist POSSIBLE HIT would open a dialog over the form; these plates are about the count, not the alert.
test.use({ hotlist: false });

/** Queries storage holds as awaiting an answer: in the outbox unanswered, or committed to the intake and not yet taken in. */
function storedWaiting(page: Page): Promise<number> {
  return page.evaluate(
    (awaiting: readonly string[]) =>
      new Promise<number>((resolve, reject) => {
        const open = indexedDB.open('outrider');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const transaction = open.result.transaction(['outbox', 'intake']);
          const outbox = transaction.objectStore('outbox').getAll();
          const intake = transaction.objectStore('intake').getAllKeys();
          transaction.onerror = () => reject(transaction.error);
          transaction.oncomplete = () => {
            open.result.close();
            const rows = outbox.result as Array<{ id: string; status: string }>;
            const waiting = new Set(rows.filter((row) => awaiting.includes(row.status)).map((row) => row.id));
            for (const id of intake.result) waiting.add(String(id));
            resolve(waiting.size);
          };
        };
      }),
    AWAITING_ANSWER,
  );
}

/** The number the status bar says is queued, or undefined while it is still counting. */
async function barCount(page: Page): Promise<number | undefined> {
  const match = /(\d+) queued/.exec((await statusBar(page).textContent()) ?? '');
  return match ? Number(match[1]) : undefined;
}

/** Types `count` plates, Enter after each, `paceMs` apart (0: as fast as the form takes them). */
async function typePlates(page: Page, prefix: string, count: number, paceMs: number): Promise<void> {
  await page.keyboard.press('F2');
  await page.getByLabel('State (LIS)').fill('CA');
  const plate = page.getByLabel('Plate (LIC)');
  for (let i = 0; i < count; i++) {
    await plate.fill(`${prefix}${i}`);
    await plate.press('Enter');
    // The officer's pace is what is under test here, not a wait for the terminal.
    if (paceMs > 0) await page.waitForTimeout(paceMs);
  }
}

declare global {
  interface Window {
    /** How many index counts the page has had refused (refuseCountsOnce). */
    __countsRefused?: number;
    /** What recordCounts saw: each count the bar showed and each count storage held, from when, on the page's clock. */
    __counts?: { bar: Array<[atMs: number, count: number | null]>; stored: StoredRun[]; stop(): void };
  }
}

/**
 * A count storage held, as the recorder's reads saw it: the first read that saw it had finished by `heldFromMs`,
 * and the last one had begun by `heldToMs`, so storage held it at least from the one to the other (each read sees
 * storage as it was at some moment between its start and its end, however long a busy page takes over it).
 */
interface StoredRun {
  count: number;
  heldFromMs: number;
  heldToMs: number;
}

/**
 * Starts recording, inside the page, every count the status bar shows (as it changes) and the count storage
 * holds (read every 40 ms on a connection of its own, counted as storedWaiting counts it): a drain changes both all the
 * time, so whether the bar follows is a question about the whole timeline, not one moment.
 */
function recordCounts(page: Page): Promise<void> {
  return page.evaluate(
    (awaiting: readonly string[]) =>
      new Promise<void>((resolve, reject) => {
        const bar = document.querySelector('[role="status"][aria-label="Terminal status"]')!;
        const shown = () => {
          const match = /(\d+) queued/.exec(bar.textContent ?? '');
          return match ? Number(match[1]) : null;
        };
        const counts: NonNullable<Window['__counts']> = { bar: [[performance.now(), shown()]], stored: [], stop: () => undefined };
        window.__counts = counts;
        const observer = new MutationObserver(() => {
          const now = shown();
          if (now !== counts.bar.at(-1)![1]) counts.bar.push([performance.now(), now]);
        });
        observer.observe(bar, { subtree: true, childList: true, characterData: true });
        let timer: ReturnType<typeof setTimeout> | undefined;
        const open = indexedDB.open('outrider');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const db = open.result;
          const read = () => {
            const begun = performance.now();
            const transaction = db.transaction(['outbox', 'intake']);
            const outbox = transaction.objectStore('outbox').getAll();
            const intake = transaction.objectStore('intake').getAllKeys();
            transaction.oncomplete = () => {
              const rows = outbox.result as Array<{ id: string; status: string }>;
              const waiting = new Set(rows.filter((row) => awaiting.includes(row.status)).map((row) => row.id));
              for (const id of intake.result) waiting.add(String(id));
              const run = counts.stored.at(-1);
              if (run?.count === waiting.size) run.heldToMs = begun;
              else counts.stored.push({ count: waiting.size, heldFromMs: performance.now(), heldToMs: begun });
              resolve();
              timer = setTimeout(read, 40);
            };
          };
          counts.stop = () => {
            observer.disconnect();
            clearTimeout(timer);
            db.close();
          };
          read();
        };
      }),
    AWAITING_ANSWER,
  );
}

/**
 * Stops the recording and requires the bar to have followed storage within a second all along: whenever storage
 * held one count for longer than a second, the bar said that count from a second after it was stored until it
 * changed. In between, the bar may show a count for a moment that storage passed through between two of the
 * recorder's reads, or a query still in the intake (a view never reads it, so as not to hold up the next query
 * being queued) not counted yet: what it may not do is stay wrong, as it did for ten seconds in issue 21 item 8.
 */
async function expectBarFollowedStorage(page: Page): Promise<void> {
  const { bar, stored, endMs } = await page.evaluate(() => {
    const counts = window.__counts!;
    counts.stop();
    return { bar: counts.bar, stored: counts.stored, endMs: performance.now() };
  });
  const shown = bar.map(([fromMs, count], i) => ({ fromMs, toMs: bar[i + 1]?.[0] ?? endMs, count }));
  const seconds = (ms: number) => ((ms - stored[0]!.heldFromMs) / 1000).toFixed(2);
  const faults: string[] = [];
  let held = 0;
  for (const run of stored) {
    const [fromMs, toMs] = [run.heldFromMs + 1_000, run.heldToMs];
    if (fromMs >= toMs) continue;
    held++;
    for (const wrong of shown.filter((each) => each.count !== run.count && each.fromMs < toMs && each.toMs > fromMs))
      faults.push(`storage held ${run.count} from ${seconds(run.heldFromMs)} to ${seconds(run.heldToMs)} s, and the bar said ${wrong.count ?? 'no count'} from ${seconds(wrong.fromMs)} to ${seconds(wrong.toMs)} s`);
  }
  const timeline = `storage: ${stored.map((run) => `${run.count}@${seconds(run.heldFromMs)}-${seconds(run.heldToMs)}`).join(' ')}\nbar: ${bar.map(([atMs, count]) => `${count ?? '-'}@${seconds(atMs)}`).join(' ')}`;
  expect(faults, timeline).toEqual([]);
  // Not passed for want of anything to check: the empty queue at the end is always held for over a second. A
  // quiet machine holds about five counts that long during the drain as well; a busy one answers in a trickle
  // and may hold none (one CI run: every count storage held in the drain lasted under a second).
  expect(held, `counts storage held for over a second\n${timeline}`).toBeGreaterThanOrEqual(1);
}

/**
 * Arms a fault: the page's next IndexedDB index count, and every other in the 100 ms after it, is refused with
 * an UnknownError, as Chromium refuses a request whose transaction was aborted under it. Counts after that go
 * through. A refresh of the views is one read-only transaction: this refuses every count in one refresh.
 */
function refuseCountsOnce(page: Page): Promise<void> {
  return page.evaluate(() => {
    window.__countsRefused = 0;
    const count = IDBIndex.prototype.count;
    let until: number | undefined;
    IDBIndex.prototype.count = function (this: IDBIndex, query?: IDBValidKey | IDBKeyRange) {
      until ??= performance.now() + 100;
      if (performance.now() < until) {
        window.__countsRefused!++;
        throw new DOMException('The read was refused', 'UnknownError');
      }
      IDBIndex.prototype.count = count;
      return count.call(this, query);
    };
  });
}

/** Within a second of the burst's last Enter, the bar says what storage holds. */
async function expectBarAgreesWithStorage(page: Page): Promise<void> {
  // Read as one line, so a failure shows both numbers: "9 on the bar, 10 stored".
  const both = async () => `${(await barCount(page)) ?? 'no count'} on the bar, ${await storedWaiting(page)} stored`;
  await expect.poll(both, { timeout: 1_000, intervals: [50] }).toMatch(/^(\d+) on the bar, \1 stored$/);
}

test('bursts typed offline at an officer’s pace and as fast as the form takes them: the bar agrees within a second', async ({ terminal: page, context }) => {
  test.setTimeout(180_000);
  await context.setOffline(true);
  await expect(statusBar(page)).toContainText('Link: Offline');
  let total = 0;
  const bursts: ReadonlyArray<readonly [count: number, paceMs: number]> = [[10, 150], [15, 0], [10, 150], [5, 0]];
  for (const [round, [count, paceMs]] of bursts.entries()) {
    await typePlates(page, `BURST${round}X`, count, paceMs);
    total += count;
    await expect.poll(() => storedWaiting(page)).toBe(total);
    await expectBarAgreesWithStorage(page);
  }
});

test('a burst typed while the queue drains after the link returns: the bar follows it down to 0', async ({ terminal: page, context, drillSwitch }) => {
  test.setTimeout(180_000);
  await context.setOffline(true);
  await expect(statusBar(page)).toContainText('Link: Offline');
  // The backlog is typed from inside the page (one round trip): the bursts below are what is under test.
  await queuePlates(page, Array.from({ length: 12 }, (_, i) => `BACKLOG${i}`));
  await expectBarAgreesWithStorage(page);

  // The queue changes all the time from here (entered, sent, answered), so the bar is held to storage over the
  // whole drain, not at chosen moments. Slow answers keep queries in flight while the bursts go in, and come
  // about four at a time (the slots in flight), so the drain holds a count for over a second between them.
  await recordCounts(page);
  await drillSwitch.process.setConditions({ latencyMs: 2_000 });
  await context.setOffline(false);
  await typePlates(page, 'DRAINING', 10, 150);
  await typePlates(page, 'DRAINFAST', 12, 0);
  await expect.poll(() => storedWaiting(page), { timeout: 60_000 }).toBe(0);
  // The empty queue, held for over a second, is one more count the bar is held to: it must end at 0.
  await page.waitForTimeout(1_500);
  await expectBarFollowedStorage(page);
});

test('storage refuses the counts of the refresh after a burst’s last query: the bar still agrees within a second', async ({ terminal: page, context }) => {
  await context.setOffline(true);
  await expect(statusBar(page)).toContainText('Link: Offline');
  await typePlates(page, 'BEFORE', 9, 150);
  await expectBarAgreesWithStorage(page);

  // Nothing reads the queue while the terminal is idle offline: the first count refused is the one that
  // follows the tenth query into the outbox.
  await refuseCountsOnce(page);
  await typePlates(page, 'LAST', 1, 0);
  await expect.poll(() => storedWaiting(page)).toBe(10);
  await expect.poll(() => page.evaluate(() => window.__countsRefused ?? 0)).toBeGreaterThan(0);
  await expectBarAgreesWithStorage(page);
});
