// Answers as the switch produces them: each source's part on screen as it arrives, and a drilled black hole survived with one delivery.
import { expect, resultFor, runPerson, runPlate, statusBar, test } from './fixtures.ts';

// Offline training plates would pop a hotlist POSSIBLE HIT first; these tests are about the live answer.
test.use({ hotlist: false });

test('a person query’s parts arrive one by one: the state’s want shows and alerts before NCIC has answered', async ({ terminal: page, drillSwitch }) => {
  // NCIC is held back a few seconds (a drill's slow source), so the first part is on screen well before the last.
  await drillSwitch.process.setConditions({ slowSource: { source: 'NCIC', extraMs: 6_000 } });
  await runPerson(page, 'TRAINING, VIOLENT', '1985-04-04', 'M');
  const row = resultFor(page, 'TRAINING, VIOLENT, DOB 1985-04-04, sex M');
  const parts = row.getByRole('list', { name: 'Answer parts' });

  // The state wanted-persons part is in, NCIC's is not: the alert is already up.
  await expect(parts).toContainText('State wanted persons');
  await expect(parts).not.toContainText('FBI NCIC');
  await expect(page.getByRole('alertdialog')).toContainText('WANTED PERSON');
  await expect(row).toContainText('Delivered, waiting for the answer');

  // Then NCIC's part arrives and the query is answered, with no second alert for the same query.
  await page.getByRole('alertdialog').getByRole('button', { name: 'Acknowledge' }).click();
  await expect(parts).toContainText('FBI NCIC', { timeout: 20_000 });
  await expect(row).toContainText('Answered');
  await expect(page.getByRole('alertdialog')).toBeHidden();
});

test('a drilled black hole: the query waits, then its alert pops once when the far side answers again', async ({ terminal: page, drillSwitch }) => {
  test.setTimeout(120_000);
  const before = await drillSwitch.stats();
  await drillSwitch.process.startDrill('black-hole');
  await expect(statusBar(page)).toContainText('DRILL');

  await runPlate(page, '4TRN123', 'CA');
  const row = resultFor(page, 'Plate 4TRN123 (CA)');
  // Nothing comes back from the far side: the terminal says so and keeps the query.
  await expect(row).toContainText(/No answer from the switch within 10 s|The switch cannot be reached/, { timeout: 30_000 });
  await expect(page.getByRole('alertdialog')).toBeHidden();

  // The drill ends the black hole at 20 s; no key is pressed, the alert arrives by itself.
  const alert = page.getByRole('alertdialog');
  await expect(alert).toContainText('STOLEN VEHICLE', { timeout: 60_000 });
  await alert.getByRole('button', { name: 'Acknowledge' }).click();
  await expect(alert).toBeHidden();
  await expect(row).toContainText('Answered');

  const after = await drillSwitch.stats();
  const newKeys = Object.keys(after.byKey).filter((key) => !(key in before.byKey));
  expect(newKeys).toHaveLength(1);
  expect(after.byKey[newKeys[0]!]).toBe(1);
  // The drill's own report agrees: received (perhaps more than once), executed once, delivered once.
  const report = await drillSwitch.process.drillReport();
  expect(report.drill).toBe('Black hole');
  expect(report.queries.executed).toBe(1);
  expect(report.answers.delivered).toBe(1);
  expect(report.answers.undelivered).toBe(0);
});
