// After some crashes Chromium finds a profile's IndexedDB corrupt as it opens it, and deletes it (docs/soak.md).
// The queue journal keeps a copy of every query outside IndexedDB: the next start puts them back, under the same
// terminal id and data key, and each runs once at the switch, the ones it had already run answered by a replay.
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { type KillableChromium, launchKillable } from '../support/killable-chromium.ts';
import { queuedAnnouncement, typePlates } from '../support/plate-typing.ts';
import { enter } from '../support/sign-in.ts';
import { readStore, terminalIdOf } from '../support/terminal-records.ts';
import type { DrillOfficer } from '../../src-switch/auth/drill-officers.ts';
import { expect, resultFor, test } from './fixtures.ts';
import { checkScreen, followSystem, THEMES } from './ui-support.ts';

/** Every IndexedDB store of the profile, damaged as a crash can leave one: Chromium judges it corrupt at the next open. */
async function damageIndexedDb(profile: string): Promise<number> {
  const root = join(profile, 'Default', 'IndexedDB');
  let damaged = 0;
  for (const store of await readdir(root)) {
    if (!store.endsWith('.leveldb')) continue;
    for (const file of await readdir(join(root, store))) {
      if (!file.startsWith('MANIFEST-')) continue;
      await writeFile(join(root, store, file), Buffer.alloc(4096, 0xa5));
      damaged++;
    }
  }
  return damaged;
}

const status = (page: Page) => page.getByRole('status', { name: 'Terminal status' });

test('queries Chromium deleted with a corrupt database come back from the queue journal and run once', async ({ terminalUrl, drillSwitch }) => {
  test.setTimeout(120_000);
  const profile = await mkdtemp(join(tmpdir(), 'outrider-journal-'));
  let chromium: KillableChromium | undefined;
  let officer: DrillOfficer | undefined;
  const open = async (): Promise<Page> => {
    chromium = await launchKillable(profile);
    const context = chromium.browser.contexts()[0]!;
    await context.route('**/v1/hotlist*', (route) => route.abort('blockedbyclient'));
    const page = await context.newPage();
    await page.goto(terminalUrl);
    officer = await enter(page, officer);
    return page;
  };
  try {
    let page = await open();
    // Two answered before the crash, four still queued: both kinds must come back.
    const answered = ['JRNA1', 'JRNA2'];
    expect(await typePlates(page, answered)).toEqual(answered.map((plate) => queuedAnnouncement(plate)));
    for (const plate of answered) await expect(resultFor(page, `Plate ${plate} (CA)`)).toContainText('Answered', { timeout: 15_000 });
    await page.context().setOffline(true);
    await status(page).getByText('Link: Offline').waitFor();
    const terminalId = await terminalIdOf(page);
    const before = await drillSwitch.stats();
    const queued = ['JRNQ1', 'JRNQ2', 'JRNQ3', 'JRNQ4'];
    expect(await typePlates(page, queued)).toEqual(queued.map((plate) => queuedAnnouncement(plate)));
    // Killed the moment the screen says the last is queued: its copy may not be flushed or named for its row yet.
    await chromium!.kill();
    expect(await damageIndexedDb(profile)).toBeGreaterThan(0);
    page = await open();
    // Chromium's own recovery ran: the database it opened is a new, empty one.
    expect(chromium!.storageCorruption().join('\n')).toContain('corrupted (and deleted)');

    await expect(status(page)).toContainText('6 queries restored from the queue journal');
    expect(await terminalIdOf(page)).toBe(terminalId);
    // The status line says so, readable and passing axe in both themes.
    for (const theme of THEMES) {
      await followSystem(page, theme);
      await checkScreen(page, theme, 'journal-restored');
    }
    for (const plate of [...answered, ...queued]) await expect(resultFor(page, `Plate ${plate} (CA)`)).toContainText('Answered', { timeout: 30_000 });
    const outbox = await readStore<{ id: string; status: string }>(page, 'outbox');
    expect(outbox.map((row) => row.status)).toEqual(Array(6).fill('answered'));
    // The four queued ran once each since the crash; the two the switch had run were answered from its record of
    // them: each of the six ran exactly once.
    const after = await drillSwitch.stats();
    expect(outbox.filter((row) => !(row.id in before.byKey))).toHaveLength(4);
    expect(outbox.map((row) => after.byKey[row.id])).toEqual(Array(6).fill(1));
    expect(after.replayed - before.replayed).toBeGreaterThanOrEqual(2);
  } finally {
    await chromium?.kill().catch(() => undefined);
    await rm(profile, { recursive: true, force: true, maxRetries: 10 });
  }
});
