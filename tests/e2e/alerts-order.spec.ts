// Several alerts at once (answers held in a dead zone): officer safety first, then hits; none lost, none twice.
import { alertHistoryRows } from './alerts-support.ts';
import { expect, queued, runPerson, runPlate, statusBar, test } from './fixtures.ts';

// Offline training plates would pop a hotlist POSSIBLE HIT first; these tests are about the live answer.
test.use({ hotlist: false });

const OFFICER_SAFETY = ['TRAINING, ARMED, DOB 1980-01-01, sex M', 'TRAINING, VIOLENT, DOB 1985-04-04, sex M'];
const HITS = ['Plate 4TRN123 (CA)', 'Plate 4TRN456 (CA)', 'Plate 4TRN789 (CA)'];

test('alerts that arrive together are shown officer safety first, then hits, each exactly once', async ({ terminal: page, context }) => {
  await context.setOffline(true);
  await expect(statusBar(page)).toContainText('Link: Offline');
  // Hits entered first, so neither entry order nor sending order could put officer safety on top.
  await runPlate(page, '4TRN123', 'CA');
  await runPlate(page, '4TRN456', 'CA');
  await runPlate(page, '4TRN000', 'CA');
  await runPerson(page, 'TRAINING, ARMED', '1980-01-01', 'M');
  await runPlate(page, '4TRN789', 'CA');
  await runPerson(page, 'TRAINING, VIOLENT', '1985-04-04', 'M');
  await expect(statusBar(page)).toContainText(queued(6));
  await context.setOffline(false);

  const alert = page.getByRole('alertdialog');
  const total = OFFICER_SAFETY.length + HITS.length;
  await expect(alert).toContainText(`${total - 1} more alerts waiting`, { timeout: 30_000 });

  const shown: Array<{ kind: string; subject: string }> = [];
  for (let left = total; left > 0; left -= 1) {
    shown.push({ kind: (await alert.locator('.kind').textContent()) ?? '', subject: (await alert.locator('#alert-subject').textContent()) ?? '' });
    await alert.getByRole('button', { name: 'Acknowledge' }).click();
    // Wait for the count to drop, so the next read is the next alert and not this one again.
    if (left > 2) await expect(alert).toContainText(`${left - 2} more alert${left - 2 === 1 ? '' : 's'} waiting`);
    else if (left === 2) await expect(alert).not.toContainText('more alert');
    else await expect(alert).toBeHidden();
  }

  expect(shown.map((alert) => alert.kind)).toEqual(['OFFICER SAFETY', 'OFFICER SAFETY', 'HIT', 'HIT', 'HIT']);
  expect(shown.slice(0, 2).map((alert) => alert.subject).sort()).toEqual(OFFICER_SAFETY);
  expect(shown.slice(2).map((alert) => alert.subject).sort()).toEqual(HITS);
  // Nothing comes back after the last acknowledgement, and the history holds each alert once.
  await expect(alertHistoryRows(page)).toHaveCount(total);
  await expect(alertHistoryRows(page).filter({ hasText: 'Not yet' })).toHaveCount(0);
  await expect(alert).toBeHidden();
});
