// What Chromium's IndexedDB holds after real queries and answers: no plate, name or VIN in plain text.
import { rawDatabaseText } from '../support/raw-indexeddb.ts';
import { expect, resultFor, runPerson, runPlate, test } from './fixtures.ts';

test('after a hit, a clean person and a VIN, the raw database holds none of them in plain text', async ({ terminal: page }) => {
  await runPlate(page, '4TRN123', 'CA');
  await expect(page.getByRole('alertdialog')).toContainText('STOLEN VEHICLE');
  await page.getByRole('alertdialog').getByRole('button', { name: 'Acknowledge' }).click();
  // The officer types once the dialog has gone: while it is open the page behind it is inert, and keys land nowhere.
  await expect(page.getByRole('alertdialog')).toBeHidden();
  await runPerson(page, 'TRAINING, CLEAN', '1990-06-15', 'F');
  await expect(resultFor(page, 'TRAINING, CLEAN, DOB 1990-06-15, sex F')).toContainText('Answered');
  // The screen shows it all: the terminal reads its own data back.
  await expect(resultFor(page, 'Plate 4TRN123 (CA)')).toContainText('HIT: STOLEN VEHICLE');

  // The queries were committed by the intake's worker (sealed before the page handed them over), not by a fallback through the page.
  expect(page.workers().map((worker) => worker.url())).toContainEqual(expect.stringContaining('intake-worker'));
  const raw = await page.evaluate(rawDatabaseText, 'outrider');
  expect(raw.length).toBeGreaterThan(1000);
  for (const cji of ['4TRN123', 'TRAINING', 'CLEAN', '1990-06-15', 'HONDA', 'CIVIC', 'STOLEN VEHICLE']) expect(raw).not.toContain(cji);
});
