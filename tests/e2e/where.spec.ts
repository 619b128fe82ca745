// Issue #23 item 4, as an officer meets it: a query entered with a GPS fix shows where it was entered in its
// answer's details, and the trail the switch keeps holds the same position; with no fix, both say no fix.
import type { Page } from '@playwright/test';
import type { AuditRecord } from '../../src-shared/audit-chain.ts';
import { keptRecords, terminalId } from './audit-support.ts';
import { type DrillSwitch, enter, expect, resultFor, runPlate, statusBar, test } from './fixtures.ts';
import { driveAt, fakeReceiver } from './gps-support.ts';
import { checkScreen, followSystem, SHOTS_DIR, THEMES } from './ui-support.ts';

/** Los Angeles City Hall: where the car is parked when the officer runs the plate. */
const CITY_HALL = { latitude: 34.05224, longitude: -118.24368 };

// A clean plate's answer is the point, not the offline hotlist; the page may read the (fake) receiver.
test.use({ hotlist: false, permissions: ['geolocation'] });

async function open(page: Page, terminalUrl: string): Promise<void> {
  await fakeReceiver(page, CITY_HALL);
  await page.goto(terminalUrl);
  await enter(page);
  await expect(statusBar(page)).toContainText('Link: Online');
  await expect.poll(() => page.evaluate(() => window.__gpsWatchers?.() ?? 0)).toBe(1);
}

/** The query's own line in the switch's kept trail, once the terminal has uploaded it. */
async function keptQueryLine(page: Page, drillSwitch: DrillSwitch): Promise<AuditRecord> {
  const terminal = await terminalId(page);
  let line: AuditRecord | undefined;
  await expect
    .poll(async () => (line = (await keptRecords(drillSwitch, terminal)).filter((record) => record.action === 'query.enqueued').at(-1)), { timeout: 20_000 })
    .toBeDefined();
  return line!;
}

test('a plate run with a GPS fix shows where it was entered, and the switch keeps that position in the trail', async ({ page, terminalUrl, drillSwitch }) => {
  await open(page, terminalUrl);
  // Parked: the receiver reports the car standing still once a second, as a receiver does.
  await driveAt(page, 0);
  await expect(page.getByText('GPS: 0 mph')).toBeVisible();
  const entered = Date.now();
  await runPlate(page, '4TRN000', 'CA');
  const row = resultFor(page, 'Plate 4TRN000 (CA)');
  await expect(row).toContainText('Answered');
  await expect(row.getByText(/^Where: /)).toHaveText(/^Where: 34\.05224, -118\.24368 \(fix \d\d:\d\d:\d\d\)$/);
  // Readable in both themes: axe checks the line's contrast, and the pictures are there to look at.
  for (const theme of THEMES) {
    await followSystem(page, theme);
    await checkScreen(page, theme, 'where');
    await row.screenshot({ path: `${SHOTS_DIR}/where-details-${theme}.png` });
  }

  const line = await keptQueryLine(page, drillSwitch);
  expect(line.where).toEqual({ lat: 34.05224, lon: -118.24368, fixAt: expect.stringMatching(/Z$/) });
  // The fix is the one the receiver gave at Enter: at most a report's interval (1 s) older than the key press.
  const fixAt = Date.parse((line.where as { fixAt: string }).fixAt);
  expect(fixAt).toBeGreaterThan(entered - 2_000);
  expect(fixAt).toBeLessThan(Date.now());
  // Every line the terminal wrote says where, or that it had no fix: none is silent about it.
  const records = await keptRecords(drillSwitch, await terminalId(page));
  expect(records.filter((record) => record.where === undefined).map((record) => record.action)).toEqual([]);
});

test('a plate run with the GPS in a tunnel says no fix, on screen and in the kept trail', async ({ page, terminalUrl, drillSwitch }) => {
  await open(page, terminalUrl);
  await driveAt(page, 0);
  await expect(page.getByText('GPS: 0 mph')).toBeVisible();
  await page.evaluate(() => window.__noFix!());
  await expect(page.getByText('GPS: no fix')).toBeVisible();
  await runPlate(page, '4TRN000', 'CA');
  const row = resultFor(page, 'Plate 4TRN000 (CA)');
  await expect(row).toContainText('Answered');
  await expect(row.getByText(/^Where: /)).toHaveText('Where: no fix');
  expect((await keptQueryLine(page, drillSwitch)).where).toEqual({ noFix: 'no-fix' });
});
