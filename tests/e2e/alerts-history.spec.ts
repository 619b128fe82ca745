// The alert history: every alert of the shift, newest first, with when it was asked, answered and acknowledged.
import { alertHistoryRows, openOnClock } from './alerts-support.ts';
import { expect, queued, runPerson, runPlate, statusBar, test } from './fixtures.ts';

// Offline training plates would pop a hotlist POSSIBLE HIT first; these tests are about the live answer.
test.use({ hotlist: false });

test('lists every alert newest first with severity, what, about whom, times and acknowledgement', async ({ terminal: page }) => {
  await expect(page.getByText('No alerts yet.')).toBeVisible();
  const alert = page.getByRole('alertdialog');
  await runPlate(page, '4TRN123', 'CA');
  await alert.getByRole('button', { name: 'Acknowledge' }).click();
  await expect(alert).toBeHidden();
  await runPerson(page, 'TRAINING, ARMED', '1980-01-01', 'M');
  await expect(alert).toContainText('ARMED AND DANGEROUS');

  // Still on screen, so not yet acknowledged; the history says so even behind the dialog.
  const rows = page.locator('table[aria-label="Alert history"] tbody tr');
  await expect(rows).toHaveCount(2);
  await expect(rows.nth(0)).toContainText('Not yet');

  await alert.getByRole('button', { name: 'Acknowledge' }).click();
  await expect(alert).toBeHidden();
  const history = alertHistoryRows(page);
  await expect(history).toHaveCount(2);
  const cells = (row: number) => history.nth(row).getByRole('cell');
  const time = /^\d\d:\d\d:\d\d$/;
  await expect(cells(0)).toHaveText(['OFFICER SAFETY WANTED PERSON CAUTION: ARMED AND DANGEROUS', 'TRAINING, ARMED, DOB 1980-01-01, sex M', time, time, time]);
  await expect(cells(1)).toHaveText(['HIT STOLEN VEHICLE', 'Plate 4TRN123 (CA)', time, time, time]);
  await expect(history.filter({ hasText: /\bLATE\b/ })).toHaveCount(0);
});

test('an answer that came late is flagged late, with the time it was asked', async ({ page, terminalUrl, context }) => {
  await openOnClock(page, terminalUrl, new Date('2026-11-23T14:02:00'));
  await context.setOffline(true);
  await expect(statusBar(page)).toContainText('Link: Offline');
  await runPlate(page, '4TRN123', 'CA');
  await expect(statusBar(page)).toContainText(queued(1));
  await page.clock.fastForward('17:00');
  await context.setOffline(false);
  const alert = page.getByRole('alertdialog');
  await expect(alert).toContainText('LATE ANSWER');
  await alert.getByRole('button', { name: 'Acknowledge' }).click();

  const row = alertHistoryRows(page).first();
  await expect(row.getByRole('cell').nth(2)).toHaveText(/^14:02:\d\d$/);
  await expect(row.getByRole('cell').nth(3)).toHaveText(/^14:1\d:\d\d\s+LATE$/, { useInnerText: true });
});
