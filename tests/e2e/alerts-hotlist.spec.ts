// The offline hotlist: a plate run in a dead zone is flagged as a possible hit, and the live answer replaces or clears it.
import type { Page } from '@playwright/test';
import { hotlistPaths, type HotlistStatus } from '../../src-shared/hotlist.ts';
import { type DrillSwitch, expect, runPlate, statusBar, test, enter } from './fixtures.ts';

const SHOTS = '/tmp/hotlist-shots';

/** Adds or clears plates on the switch's hotlist, as an instructor does; returns the list's new version. */
async function changeHotlist(drillSwitch: DrillSwitch, change: { add?: string[]; remove?: string[] }): Promise<string> {
  const response = await drillSwitch.process.adminFetch(hotlistPaths.adminHotlist, { method: 'POST', body: JSON.stringify(change) });
  expect(response.ok).toBe(true);
  return ((await response.json()) as HotlistStatus).version;
}

/** The hotlist version the terminal has stored (settings hold no CJI, so they are read as is). */
function storedHotlistVersion(page: Page): Promise<string | undefined> {
  return page.evaluate(
    () =>
      new Promise<string | undefined>((resolve, reject) => {
        const open = indexedDB.open('outrider');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const request = open.result.transaction('settings').objectStore('settings').get('hotlistVersion');
          request.onerror = () => reject(request.error);
          request.onsuccess = () => {
            resolve((request.result as { value: string } | undefined)?.value);
            open.result.close();
          };
        };
      }),
  );
}

async function shoot(page: Page, name: string): Promise<void> {
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme });
    await page.screenshot({ path: `${SHOTS}/${name}-${colorScheme}.png` });
  }
}

const hotlistAge = (page: Page) => page.getByText(/^Hotlist \d\d:\d\d/);

test('the hotlist age is always shown, and says when no list is loaded yet', async ({ page, terminalUrl, drillSwitch }) => {
  // The switch refuses the list: the terminal has never had one.
  await page.route(`${drillSwitch.url}${hotlistPaths.hotlist}*`, (route) => route.abort('connectionreset'));
  await page.goto(terminalUrl);
  await enter(page);
  await expect(statusBar(page)).toContainText('Link: Online');
  await expect(page.getByText('Hotlist: not loaded')).toBeVisible();
  await page.unroute(`${drillSwitch.url}${hotlistPaths.hotlist}*`);
  await page.reload();
  await enter(page);
  await expect(hotlistAge(page)).toBeVisible({ timeout: 30_000 });
  await expect(page.getByText('Hotlist: not loaded')).toBeHidden();
});

test('a hotlist plate run offline is a possible hit, replaced by the live hit when the link returns', async ({ terminal: page, context }) => {
  await expect(hotlistAge(page)).toBeVisible();
  await context.setOffline(true);
  await expect(statusBar(page)).toContainText('Link: Offline');

  await runPlate(page, '4TRN123', 'CA');
  const dialog = page.getByRole('alertdialog');
  await expect(dialog.getByRole('heading')).toHaveText(/^POSSIBLE HIT: hotlist of \d\d:\d\d, confirm when connected$/);
  await expect(dialog).toContainText('Plate 4TRN123 (CA)');
  await expect(dialog).toContainText('Source: Hotlist');
  await expect(dialog.getByRole('button', { name: 'Acknowledge' })).toBeFocused();
  await shoot(page, 'possible-hit');

  await context.setOffline(false);
  // The same alert, now the live hit: it replaces the possible hit rather than adding a second alarm.
  await expect(dialog.getByRole('heading')).toHaveText('STOLEN VEHICLE', { timeout: 30_000 });
  await expect(dialog).not.toContainText('Hotlist');
  await dialog.getByRole('button', { name: 'Acknowledge' }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByRole('table', { name: 'Alert history' }).getByRole('row').filter({ hasText: 'Plate 4TRN123 (CA)' })).toHaveCount(1);
});

test('a plate recovered after the list was cached is cleared by the live answer', async ({ terminal: page, context, drillSwitch }) => {
  const lic = `RC${String(Date.now()).slice(-6)}`;
  const version = await changeHotlist(drillSwitch, { add: [`CA:${lic}`] });
  // The terminal asks for a delta when the link comes back: a reload is the quickest way to make it ask.
  await page.reload();
  await enter(page);
  await expect.poll(() => storedHotlistVersion(page), { timeout: 30_000 }).toBe(version);

  await context.setOffline(true);
  await expect(statusBar(page)).toContainText('Link: Offline');
  await runPlate(page, lic, 'CA');
  const dialog = page.getByRole('alertdialog');
  await expect(dialog.getByRole('heading')).toHaveText(/^POSSIBLE HIT/);

  // The car is recovered while this terminal is in the dead zone: its list is now stale.
  await changeHotlist(drillSwitch, { remove: [`CA:${lic}`] });
  await context.setOffline(false);
  await expect(dialog.getByRole('heading')).toHaveText('CLEARED: NO HIT ON THE LIVE ANSWER', { timeout: 30_000 });
  await expect(dialog).toContainText('INFORMATION');
  await shoot(page, 'cleared');
  await dialog.getByRole('button', { name: 'Acknowledge' }).click();
  await expect(dialog).toBeHidden();
});

test('a plate that is not on the hotlist raises nothing while offline', async ({ terminal: page, context }) => {
  await expect(hotlistAge(page)).toBeVisible();
  await context.setOffline(true);
  await expect(statusBar(page)).toContainText('Link: Offline');
  await runPlate(page, '4TRN000', 'CA');
  await expect(page.getByText('Queued: Plate 4TRN000 (CA)')).toBeVisible();
  await expect(page.getByRole('table', { name: 'Alert history' })).toBeHidden();
  await expect(page.getByRole('alertdialog')).toBeHidden();
});
