// An acknowledgement outlasts a reload made the moment after it: the alert the officer acknowledged stays acknowledged.
import { acknowledgedInStorage, alertHistoryRows } from './alerts-support.ts';
import { enter, expect, runPlate, statusBar, test } from './fixtures.ts';

// Offline training plates would pop a hotlist POSSIBLE HIT first; this test is about the live answer's alert.
test.use({ hotlist: false });

test('an alert acknowledged with Enter does not come back when the page is reloaded at once', async ({ terminal: page }) => {
  await runPlate(page, '4TRN123', 'CA');
  const alert = page.getByRole('alertdialog');
  await expect(alert).toContainText('STOLEN VEHICLE');
  await expect(alert.getByRole('button', { name: 'Acknowledge' })).toBeFocused();

  await page.keyboard.press('Enter');
  // As a new user tried it: the dialog closes, and the page is reloaded at once, with no wait for anything stored.
  await expect(alert).toBeHidden();
  await page.reload();

  await enter(page);
  await expect(statusBar(page)).toContainText('Link: Online');
  // The alert is back in the terminal's history, read from storage; by then the pending alerts have been read too.
  await expect(alertHistoryRows(page)).toHaveCount(1);
  expect(await acknowledgedInStorage(page)).toBe(1);
  await expect(page.getByRole('alertdialog')).toBeHidden();
});
