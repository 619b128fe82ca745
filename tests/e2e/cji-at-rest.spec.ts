// What Chromium's IndexedDB holds after real queries and answers: no plate, name, VIN or position in plain text.
import { rawJournal } from '../support/queue-journal.ts';
import { rawDatabaseText } from '../support/raw-indexeddb.ts';
import { expect, resultFor, runPerson, runPlate, test } from './fixtures.ts';

/** Where the car is, through Chromium's own geolocation: where the officer ran them from is CJI too. */
const PARKED = { latitude: 34.05224, longitude: -118.24368 };
test.use({ permissions: ['geolocation'], geolocation: PARKED });

test('after a hit, a clean person and a VIN, the raw database holds none of them in plain text', async ({ terminal: page, context }) => {
  // A fresh report just before Enter: the one at page load may be over 10 s old by now, and a stale fix is not recorded.
  await context.setGeolocation(PARKED);
  await expect(page.getByText(/GPS: \d+ mph|GPS: fix/)).toBeVisible();
  await runPlate(page, '4TRN123', 'CA');
  await expect(page.getByRole('alertdialog')).toContainText('STOLEN VEHICLE');
  await page.getByRole('alertdialog').getByRole('button', { name: 'Acknowledge' }).click();
  // The officer types once the dialog has gone: while it is open the page behind it is inert, and keys land nowhere.
  await expect(page.getByRole('alertdialog')).toBeHidden();
  await runPerson(page, 'TRAINING, CLEAN', '1990-06-15', 'F');
  await expect(resultFor(page, 'TRAINING, CLEAN, DOB 1990-06-15, sex F')).toContainText('Answered');
  // The screen shows it all: the terminal reads its own data back.
  await expect(resultFor(page, 'Plate 4TRN123 (CA)')).toContainText('HIT: STOLEN VEHICLE');
  // The position was recorded (so the scan below has one to find), and the screen reads it back.
  await expect(resultFor(page, 'Plate 4TRN123 (CA)')).toContainText('Where: 34.05224, -118.24368');

  // The queries were committed by the intake's worker (sealed before the page handed them over), not by a fallback through the page.
  expect(page.workers().map((worker) => worker.url())).toContainEqual(expect.stringContaining('intake-worker'));
  const raw = await page.evaluate(rawDatabaseText, 'outrider');
  expect(raw.length).toBeGreaterThan(1000);
  for (const cji of ['4TRN123', 'TRAINING', 'CLEAN', '1990-06-15', 'HONDA', 'CIVIC', 'STOLEN VEHICLE', '34.05224', '118.24368']) expect(raw).not.toContain(cji);

  // The queue journal's copies (outside IndexedDB, outbox/queue-journal.ts) are sealed the same: both queries, none readable.
  const journal = await rawJournal(page);
  expect(journal.files).toHaveLength(2);
  for (const cji of ['4TRN123', 'TRAINING', 'CLEAN', '1990-06-15', '34.05224', '118.24368']) expect(journal.text).not.toContain(cji);
});
