// The driver's seat by keyboard and by glove: Escape starts over, recall runs a query again, every control is finger-sized.
import { acknowledgeAll, expect, queued, resultFor, runPerson, runPlate, statusBar, test } from './fixtures.ts';
import { followSystem, smallControls, THEMES, VIEWPORTS } from './ui-support.ts';

test('Escape empties the form on screen, its errors too, and puts the cursor in its first field', async ({ terminal: page }) => {
  await page.keyboard.press('F2');
  await page.getByLabel('Plate (LIC)').fill('4TRN 123');
  await page.getByLabel('Plate year (LIY)').fill('2027');
  await page.getByLabel('Plate year (LIY)').press('Enter');
  await expect(page.getByLabel('Plate (LIC)')).toHaveAttribute('aria-invalid', 'true');

  await page.getByLabel('Plate year (LIY)').press('Escape');
  for (const field of ['Plate (LIC)', 'State (LIS)', 'Plate year (LIY)', 'Plate type (LIT)']) await expect(page.getByLabel(field)).toHaveValue('');
  await expect(page.getByLabel('Plate (LIC)')).not.toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByLabel('Plate (LIC)')).toBeFocused();
  await expect(statusBar(page)).toContainText(queued(0));

  // The same key works on any form, wherever the cursor was.
  await page.keyboard.press('F3');
  await page.getByLabel('Name (NAM)').fill('TRAINING, CLEAN');
  await page.getByRole('combobox', { name: 'Priority' }).focus();
  await page.keyboard.press('Escape');
  await expect(page.getByLabel('Name (NAM)')).toHaveValue('');
  await expect(page.getByLabel('Name (NAM)')).toBeFocused();
});

test('Enter runs the query once however long it is held, and the Run button runs it too', async ({ terminal: page, drillSwitch }) => {
  // Offline, so what was queued stays queued and the status bar counts it.
  await drillSwitch.process.setConditions({ outage: true });
  await page.keyboard.press('F2');
  await page.getByLabel('Plate (LIC)').fill('7KEY001');
  await page.getByLabel('State (LIS)').fill('CA');
  // An officer leaning on Enter: the key down, then the keyboard's auto-repeat.
  await page.keyboard.down('Enter');
  for (let i = 0; i < 5; i++) await page.keyboard.down('Enter');
  await page.keyboard.up('Enter');
  await expect(page.getByLabel('Plate (LIC)')).toHaveValue('');
  await expect(resultFor(page, 'Plate 7KEY001 (CA)')).toHaveCount(1);
  await expect(statusBar(page)).toContainText(queued(1));

  await page.getByLabel('Plate (LIC)').fill('7KEY002');
  await page.getByLabel('State (LIS)').fill('CA');
  await page.getByRole('button', { name: 'Run plate' }).click();
  await expect(resultFor(page, 'Plate 7KEY002 (CA)')).toHaveCount(1);
  await expect(statusBar(page)).toContainText(queued(2));
  await expect(resultFor(page, 'Plate 7KEY001 (CA)')).toHaveCount(1);
});

test('an open alert keeps Escape to itself: the form behind it is not cleared and the alert stays', async ({ terminal: page }) => {
  await runPlate(page, '4TRN123', 'CA');
  const alert = page.getByRole('alertdialog');
  await expect(alert.getByRole('heading')).toHaveText('STOLEN VEHICLE');
  await page.keyboard.press('Escape');
  await expect(alert).toBeVisible();
  await expect(page.getByLabel('State (LIS)')).toHaveValue('CA');
  await acknowledgeAll(page);
});

test('every visible button, input and select is at least 44 x 44 px, at both screen sizes and in both themes', async ({ terminal: page, drillSwitch }) => {
  await runPlate(page, '4TRN000', 'CA');
  await expect(resultFor(page, 'Plate 4TRN000 (CA)')).toContainText('Record on file, no want');
  await runPlate(page, '4TRN123', 'CA');
  const alert = page.getByRole('alertdialog');
  await expect(alert).toBeVisible();
  expect(await smallControls(page)).toEqual([]);
  await acknowledgeAll(page);
  // A dead switch leaves a query queued, with its Cancel button on its row.
  await drillSwitch.process.setConditions({ outage: true });
  await runPerson(page, 'TRAINING, CLEAN', '1990-06-15', 'F');
  await expect(page.getByRole('button', { name: 'Cancel: TRAINING, CLEAN, DOB 1990-06-15, sex F' })).toBeVisible();
  for (const theme of THEMES) {
    await followSystem(page, theme);
    for (const viewport of VIEWPORTS) {
      await page.setViewportSize(viewport);
      expect(await smallControls(page), `${theme} at ${viewport.width}x${viewport.height}`).toEqual([]);
    }
  }
});

test('F1 goes to the recent queries and Enter runs the chosen one again as a new query through the switch', async ({ terminal: page, drillSwitch }) => {
  await runPlate(page, '4TRN000', 'CA');
  await expect(resultFor(page, 'Plate 4TRN000 (CA)')).toContainText('Record on file, no want');
  await runPlate(page, '4TRN456', 'CA');
  await expect(page.getByRole('alertdialog')).toBeVisible();
  await acknowledgeAll(page);
  const recent = page.getByRole('list', { name: 'Recent queries' });
  await expect(recent.getByRole('listitem')).toHaveCount(2);
  await expect(recent.getByRole('listitem').first()).toContainText('HIT: STOLEN PLATE');
  await expect(recent.getByRole('listitem').nth(1)).toContainText('Record, no want');
  const before = await drillSwitch.stats();

  await page.keyboard.press('F1');
  await expect(page.getByRole('button', { name: 'Run again: Plate 4TRN456 (CA)' })).toBeFocused();
  await page.keyboard.press('ArrowDown');
  await expect(page.getByRole('button', { name: 'Run again: Plate 4TRN000 (CA)' })).toBeFocused();
  await page.keyboard.press('Enter');

  await expect(page.getByText('Queued again: Plate 4TRN000 (CA)')).toBeVisible();
  const rows = resultFor(page, 'Plate 4TRN000 (CA)');
  await expect(rows).toHaveCount(2);
  for (const row of await rows.all()) await expect(row).toContainText('Record on file, no want');
  // The recall list shows each query once, the one just run again on top, with focus on it for another Enter.
  await expect(recent.getByRole('listitem')).toHaveCount(2);
  await expect(recent.getByRole('listitem').first()).toContainText('Plate 4TRN000 (CA)');
  await expect(page.getByRole('button', { name: 'Run again: Plate 4TRN000 (CA)' })).toBeFocused();
  // A fresh query with its own idempotency key: the switch executed it, not replayed the first.
  const after = await drillSwitch.stats();
  expect(after.executed - before.executed).toBe(1);
  expect(after.replayed - before.replayed).toBe(0);

  // Running a hit again raises its alert again: it took the same path as a typed query.
  await page.getByRole('button', { name: 'Run again: Plate 4TRN456 (CA)' }).click();
  await expect(page.getByRole('alertdialog').getByRole('heading')).toHaveText('STOLEN PLATE');
  await acknowledgeAll(page);
  await expect(resultFor(page, 'Plate 4TRN456 (CA)')).toHaveCount(2);
});

test('an answer reads hits first, explains its codes and labels each part with its source and age', async ({ terminal: page }) => {
  await page.keyboard.press('F2');
  await page.getByLabel('Plate (LIC)').fill('4TRN456');
  await page.getByLabel('State (LIS)').fill('CA');
  await page.getByLabel('Plate type (LIT)').fill('PC');
  await page.getByLabel('Plate type (LIT)').press('Enter');
  await expect(page.getByRole('alertdialog')).toBeVisible();
  await acknowledgeAll(page);
  const row = resultFor(page, 'Plate 4TRN456 (CA, type PC)');
  await expect(row).toContainText('HIT: STOLEN PLATE');
  await expect(row).toContainText('CA California · PC Passenger car');
  const parts = row.getByRole('list', { name: 'Answer parts' }).getByRole('listitem');
  // Every source that answered has its line, the hit first whatever order the parts came in.
  await expect(parts.first()).toContainText('State stolen vehicles: HIT');
  await expect(parts.filter({ hasText: 'DMV registration: Record on file' })).toHaveCount(1);
  await expect(parts.filter({ hasText: ': HIT' })).toHaveCount(1);
  for (const part of await parts.all()) await expect(part).toContainText(/answered \d\d:\d\d, (just now|\d+ min ago)/);
  await expect(parts.first()).toContainText('Plate type PC Passenger car');

  await runPerson(page, 'TRAINING, ARMED', '1980-01-01', 'M');
  await expect(page.getByRole('alertdialog')).toBeVisible();
  await acknowledgeAll(page);
  const person = resultFor(page, 'TRAINING, ARMED, DOB 1980-01-01, sex M');
  await expect(person).toContainText('HIT: WANTED PERSON, CAUTION ARMED AND DANGEROUS');
  await expect(person).toContainText('M Male');
  await expect(person).toContainText('Sex M Male');
});
