// What the officer can do with the queue, and how a late answer reads.
import { expect, queued, resultFor, runPlate, statusBar, test, enter } from './fixtures.ts';

// Offline training plates would pop a hotlist POSSIBLE HIT first; these tests are about the live answer.
test.use({ hotlist: false });

test('a query cancelled while queued is never sent; the rest still are', async ({ terminal: page, context, drillSwitch }) => {
  await context.setOffline(true);
  await expect(statusBar(page)).toContainText('Link: Offline');
  await runPlate(page, '4TRN123', 'CA');
  await runPlate(page, '4TRN000', 'CA');
  await expect(statusBar(page)).toContainText(queued(2));

  await page.getByRole('button', { name: 'Cancel: Plate 4TRN123 (CA)' }).click();
  await expect(resultFor(page, 'Plate 4TRN123 (CA)')).toContainText('Cancelled, not sent');
  await expect(statusBar(page)).toContainText(queued(1));

  const before = await drillSwitch.stats();
  await context.setOffline(false);
  await expect(resultFor(page, 'Plate 4TRN000 (CA)')).toContainText('Record on file, no want', { timeout: 30_000 });
  expect((await drillSwitch.stats()).executed - before.executed).toBe(1);
  await expect(page.getByRole('alertdialog')).toBeHidden();
});

test('an answer that comes long after the query says so plainly: asked when, answered when, about what', async ({ page, terminalUrl, context }) => {
  await page.clock.install({ time: new Date('2026-11-23T14:02:00') });
  await page.goto(terminalUrl);
  await enter(page);
  await expect(statusBar(page)).toContainText('Link: Online');
  await context.setOffline(true);
  await expect(statusBar(page)).toContainText('Link: Offline');
  await runPlate(page, '4TRN123', 'CA');
  await expect(statusBar(page)).toContainText(queued(1));

  // Seventeen minutes in a dead zone, then the car comes out.
  await page.clock.fastForward('17:00');
  await context.setOffline(false);
  const alert = page.getByRole('alertdialog');
  await expect(alert).toContainText('STOLEN VEHICLE', { timeout: 30_000 });
  await expect(alert).toContainText(/LATE ANSWER: asked 14:02, answered 14:1\d\. It is about Plate 4TRN123 \(CA\)\./);
  await alert.getByRole('button', { name: 'Acknowledge' }).click();
  await expect(resultFor(page, 'Plate 4TRN123 (CA)')).toContainText(/LATE ANSWER: asked 14:02, answered 14:1\d/);
});

test('the next query typed while the last is still being saved stays where it is typed', async ({ terminal: page }) => {
  const started = page.waitForEvent('worker', (worker) => worker.url().includes('intake-worker'));
  await runPlate(page, 'SAVE1', 'CA');
  const worker = await started;
  await expect(resultFor(page, 'Plate SAVE1 (CA)')).toBeVisible();
  // Every save from here takes a second, as on a busy disk.
  await worker.evaluate(() => {
    const handle = self.onmessage!;
    self.onmessage = (event) => setTimeout(() => handle.call(self, event), 1_000);
  });
  await runPlate(page, 'SAVE2', 'CA');
  // The officer goes on to the next plate before SAVE2 is saved, and is in the state field when it is.
  await page.getByLabel('Plate (LIC)').fill('SAVE3');
  await page.getByLabel('State (LIS)').focus();
  await expect(resultFor(page, 'Plate SAVE2 (CA)')).toBeVisible();
  await expect(page.getByLabel('State (LIS)')).toBeFocused();
  // Nothing is cleared once the next query is begun (the state still says CA): the officer types over it.
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.type('NV');
  await expect(page.getByLabel('Plate (LIC)')).toHaveValue('SAVE3');
  await page.keyboard.press('Enter');
  await expect(resultFor(page, 'Plate SAVE3 (NV)')).toBeVisible();
});
