// Issue 21 item 8: the status bar's queued count agrees with the queue in storage within a second of any burst.
import type { Page } from '@playwright/test';
import { expect, statusBar, test } from './fixtures.ts';
import { queuePlates } from './ui-support.ts';

// A hotlist POSSIBLE HIT would open a dialog over the form; these plates are about the count, not the alert.
test.use({ hotlist: false });

/** Queries storage holds as awaiting an answer: in the outbox unanswered, or committed to the intake and not yet taken in. */
function storedWaiting(page: Page): Promise<number> {
  return page.evaluate(
    () =>
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
            const waiting = new Set(rows.filter((row) => ['queued', 'sending', 'delivered'].includes(row.status)).map((row) => row.id));
            for (const id of intake.result) waiting.add(String(id));
            resolve(waiting.size);
          };
        };
      }),
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
  }
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
  await queuePlates(page, Array.from({ length: 20 }, (_, i) => `BACKLOG${i}`));
  await expectBarAgreesWithStorage(page);

  // Slow answers keep queries in flight while the next burst goes in.
  await drillSwitch.process.setConditions({ latencyMs: 100 });
  await context.setOffline(false);
  await typePlates(page, 'DRAINING', 10, 150);
  await expectBarAgreesWithStorage(page);
  await typePlates(page, 'DRAINFAST', 12, 0);
  await expectBarAgreesWithStorage(page);

  await expect.poll(() => storedWaiting(page), { timeout: 60_000 }).toBe(0);
  await expectBarAgreesWithStorage(page);
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
