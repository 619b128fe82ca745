// A query typed in a dead zone survives a reload and syncs by itself when the link returns, once.
import { acknowledgedInStorage } from './alerts-support.ts';
import { expect, queued, resultFor, runPlate, statusBar, test, enter } from './fixtures.ts';

test('a plate run offline stays queued through a reload and alerts by itself when back online', async ({ terminal: page, context, drillSwitch }) => {
  // Once the hotlist is cached, the stolen training plate is a possible hit offline (alerts-hotlist.spec.ts).
  await expect(page.getByText(/^Hotlist \d\d:\d\d/)).toBeVisible();
  await context.setOffline(true);
  await expect(statusBar(page)).toContainText('Link: Offline');

  await runPlate(page, '4TRN123', 'CA');
  await expect(page.getByText('Queued: Plate 4TRN123 (CA)')).toBeVisible();
  const row = resultFor(page, 'Plate 4TRN123 (CA)');
  await expect(row).toContainText('Queued');
  await expect(statusBar(page)).toContainText(queued(1));
  await expect(page.getByRole('alertdialog')).toContainText('POSSIBLE HIT');
  await page.getByRole('alertdialog').getByRole('button', { name: 'Acknowledge' }).click();
  // The reload comes after the acknowledgement is stored, as it would for an officer.
  await expect.poll(() => acknowledgedInStorage(page)).toBe(1);

  await page.reload();

  await enter(page);
  await expect(resultFor(page, 'Plate 4TRN123 (CA)')).toContainText('Queued');
  await expect(statusBar(page)).toContainText(queued(1));
  await expect(page.getByRole('alertdialog')).toBeHidden();

  const before = await drillSwitch.stats();
  await context.setOffline(false);
  // No click, no key: the officer only sees the alert arrive.
  await expect(page.getByRole('alertdialog')).toContainText('STOLEN VEHICLE', { timeout: 30_000 });
  await expect(statusBar(page)).toContainText(queued(0));
  await expect(statusBar(page)).toContainText('Link: Online');

  const after = await drillSwitch.stats();
  expect(after.executed - before.executed).toBe(1);
  const newKeys = Object.keys(after.byKey).filter((key) => !(key in before.byKey));
  expect(newKeys).toHaveLength(1);
  expect(after.byKey[newKeys[0]!]).toBe(1);
});

test('a switch that stops answering shows offline within seconds and the query syncs when it answers again', async ({ terminal: page, drillSwitch }) => {
  await drillSwitch.process.stop();
  await expect(statusBar(page)).toContainText('Link: Offline', { timeout: 15_000 });

  await runPlate(page, '4TRN000', 'CA');
  await expect(resultFor(page, 'Plate 4TRN000 (CA)')).toContainText('Queued');
  await expect(statusBar(page)).toContainText(queued(1));

  await drillSwitch.process.start();
  await expect(resultFor(page, 'Plate 4TRN000 (CA)')).toContainText('Record on file, no want', { timeout: 40_000 });
  await expect(statusBar(page)).toContainText('Link: Online');
  await expect(statusBar(page)).toContainText(queued(0));
});

test('requests the network drops on the floor leave the query queued until the switch is reachable', async ({ terminal: page, drillSwitch }) => {
  // The LAN is up but nothing from the switch gets through: the car modem's classic failure.
  await page.route(`${drillSwitch.url}/**`, (route) => route.abort('connectionreset'));
  await runPlate(page, '4TRN000', 'CA');
  await expect(statusBar(page)).toContainText('Link: Offline', { timeout: 15_000 });
  await expect(resultFor(page, 'Plate 4TRN000 (CA)')).toContainText('Queued, will retry');

  await page.unroute(`${drillSwitch.url}/**`);
  await expect(resultFor(page, 'Plate 4TRN000 (CA)')).toContainText('Record on file, no want', { timeout: 40_000 });
});
