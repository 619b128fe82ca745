// The four training records give the outcomes the README promises drill instructors.
import { expect, resultFor, runPerson, runPlate, test } from './fixtures.ts';

test('a stolen plate pops an alert that names the hit and stays until acknowledged', async ({ terminal: page }) => {
  await runPlate(page, '4TRN123', 'CA');
  const alert = page.getByRole('alertdialog');
  await expect(alert).toContainText('STOLEN VEHICLE');
  await expect(alert).toContainText('Plate 4TRN123 (CA)');
  await alert.getByRole('button', { name: 'Acknowledge' }).click();
  await expect(alert).toBeHidden();
  await expect(resultFor(page, 'Plate 4TRN123 (CA)')).toContainText('HIT: STOLEN VEHICLE');
});

test('a clean plate shows its registration and no want, with no alert', async ({ terminal: page }) => {
  await runPlate(page, '4TRN000', 'CA');
  const row = resultFor(page, 'Plate 4TRN000 (CA)');
  await expect(row).toContainText('Record on file, no want');
  await expect(row).toContainText('TOYOTA CAMRY');
  await expect(row).toContainText('State stolen vehicles: Not on file');
  await expect(page.getByRole('alertdialog')).toBeHidden();
});

test('an armed wanted person pops an officer-safety alert with the caution', async ({ terminal: page }) => {
  await runPerson(page, 'TRAINING, ARMED', '1980-01-01', 'M');
  const alert = page.getByRole('alertdialog');
  await expect(alert).toContainText('WANTED PERSON');
  await expect(alert).toContainText('CAUTION: ARMED AND DANGEROUS');
  await expect(alert).toContainText('felony warrant');
  await expect(alert).toContainText('TRAINING, ARMED, DOB 1980-01-01');
});

test('a clean person shows no record and raises no alert', async ({ terminal: page }) => {
  await runPerson(page, 'TRAINING, CLEAN', '1990-06-15', 'F');
  await expect(resultFor(page, 'TRAINING, CLEAN, DOB 1990-06-15, sex F')).toContainText('No record');
  await expect(page.getByRole('alertdialog')).toBeHidden();
});
