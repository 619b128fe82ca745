// Kill the browser mid-drain, again and again: nothing queued is lost and the switch runs each query once.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { launchKillable } from '../support/killable-chromium.ts';
import type { DrillOfficer } from '../../src-switch/auth/drill-officers.ts';
import { expect, queued, statusBar, test, enter } from './fixtures.ts';
import { queuePlates } from './ui-support.ts';

const QUERIES = 200;

/** Counts outbox entries by status straight from IndexedDB, as the next start-up will find them. */
function outboxCounts(page: Page) {
  return page.evaluate(
    () =>
      new Promise<Record<string, number>>((resolve, reject) => {
        const open = indexedDB.open('outrider');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const request = open.result.transaction('outbox').objectStore('outbox').getAll();
          request.onsuccess = () => {
            const counts: Record<string, number> = {};
            for (const entry of request.result as Array<{ status: string }>) counts[entry.status] = (counts[entry.status] ?? 0) + 1;
            open.result.close();
            resolve(counts);
          };
        };
      }),
  );
}

test('a browser killed at several points while draining 200 queries loses none and duplicates none', async ({ terminalUrl, drillSwitch }) => {
  test.setTimeout(240_000);
  const profile = await mkdtemp(join(tmpdir(), 'outrider-crash-'));
  // The officer who opened the shift unlocks it after every kill: a new browser process is a new context.
  let officer: DrillOfficer | undefined;
  const openTerminal = async () => {
    const chromium = await launchKillable(profile);
    const page = await chromium.browser.contexts()[0]!.newPage();
    await page.goto(terminalUrl);
    officer = await enter(page, officer);
    return { chromium, page };
  };
  try {
    let { chromium, page } = await openTerminal();
    await expect(statusBar(page)).toContainText('Link: Online');
    const context = chromium.browser.contexts()[0]!;
    await context.setOffline(true);
    await expect(statusBar(page)).toContainText('Link: Offline');
    await queuePlates(page, Array.from({ length: QUERIES }, (_, i) => `CRASH${i}`));
    await expect(statusBar(page)).toContainText(queued(QUERIES));

    const start = await drillSwitch.stats();
    const executedSinceStart = async () => (await drillSwitch.stats()).executed - start.executed;
    // Slow answers keep queries in flight, so a kill always catches some mid-exchange.
    await drillSwitch.process.setConditions({ latencyMs: 150 });
    await context.setOffline(false);

    // Kill points chosen at random inside three bands of progress, printed so a failure can be replayed.
    const killPoints = [20, 80, 140].map((low) => low + Math.floor(Math.random() * 40));
    console.log(`crash test kill points (executions at the switch): ${killPoints.join(', ')}`);
    for (const point of killPoints) {
      await expect.poll(executedSinceStart, { timeout: 60_000, intervals: [25] }).toBeGreaterThanOrEqual(point);
      await chromium.kill();
      ({ chromium, page } = await openTerminal());
      // Nothing is lost across the crash: every query is either answered or still waiting.
      const counts = await outboxCounts(page);
      expect((counts.answered ?? 0) + (counts.queued ?? 0) + (counts.sending ?? 0) + (counts.delivered ?? 0)).toBe(QUERIES);
    }

    await expect(statusBar(page)).toContainText(queued(0), { timeout: 120_000 });
    expect(await outboxCounts(page)).toEqual({ answered: QUERIES });
    const end = await drillSwitch.stats();
    const newKeys = Object.keys(end.byKey).filter((key) => !(key in start.byKey));
    expect(newKeys).toHaveLength(QUERIES);
    expect(newKeys.filter((key) => end.byKey[key] !== 1)).toEqual([]);
    expect(end.executed - start.executed).toBe(QUERIES);
    console.log(`crash test: ${end.replayed - start.replayed} resends answered from the switch's idempotency record`);
    await chromium.kill();
  } finally {
    // SIGKILL reaches the browser process only: its helpers may still write to the profile for a moment.
    await rm(profile, { recursive: true, force: true, maxRetries: 10 });
  }
});
