// Every query kind run from the keyboard alone: its function key, its fields in Tab order, Enter, the answer.
import type { Page } from '@playwright/test';
import { describeQuery, type Query } from '../../src-shared/queries.ts';
import { expect, queued, resultFor, statusBar, test } from './fixtures.ts';

/** The function key of each kind as its tab shows it, and the field the key puts the cursor in. */
const KEYS = [
  { key: 'F2', tab: 'Plate', first: 'Plate (LIC)' },
  { key: 'F3', tab: 'Person', first: 'Name (NAM)' },
  { key: 'F4', tab: 'VIN', first: 'VIN (VIN)' },
  { key: 'F5', tab: 'Person by OLN', first: 'Licence number (OLN)' },
  { key: 'F6', tab: 'Licence', first: 'Licence number (OLN)' },
  { key: 'F7', tab: 'Licence by name', first: 'Name (NAM)' },
  { key: 'F8', tab: 'Gun', first: 'Serial number (SER)' },
  { key: 'F9', tab: 'Article', first: 'Serial number (SER)' },
] as const;

/** Presses a kind's function key, types each field with Tab between ('' leaves an optional field blank), then Enter. */
async function runByKeyboard(page: Page, key: string, values: readonly string[]): Promise<void> {
  await page.keyboard.press(key);
  await expect(page.getByLabel(KEYS.find((k) => k.key === key)!.first)).toBeFocused();
  for (const [index, value] of values.entries()) {
    if (index > 0) await page.keyboard.press('Tab');
    if (value !== '') await page.keyboard.type(value);
  }
  await page.keyboard.press('Enter');
}

test('each kind has a tab that shows its function key, and the key opens it with the cursor in the first field', async ({ terminal: page }) => {
  const tabs = page.getByRole('tablist', { name: 'Query kind' }).getByRole('tab');
  await expect(tabs).toHaveCount(KEYS.length);
  for (const { key, tab, first } of KEYS) {
    await page.keyboard.press(key);
    await expect(page.getByRole('tab', { name: `${key} ${tab}`, exact: true })).toHaveAttribute('aria-selected', 'true');
    await expect(page.getByLabel(first)).toBeFocused();
  }
});

const hits: ReadonlyArray<{ what: string; key: string; values: string[]; query: Query; title: string; detail: string; caution?: string }> = [
  { what: 'a stolen pickup run by its VIN', key: 'F4', values: ['1FTEW1E5XJFA78900'], query: { kind: 'vin', vin: '1FTEW1E5XJFA78900' }, title: 'STOLEN VEHICLE', detail: 'FORD F-150' },
  {
    what: 'a stolen plate run with its expiry year and type',
    key: 'F2',
    values: ['4TRN456', 'CA', '2027', 'PC'],
    query: { kind: 'plate', lic: '4TRN456', lis: 'CA', liy: '2027', lit: 'PC' },
    title: 'STOLEN PLATE',
    detail: 'STOLEN PLATE: CA 4TRN456',
  },
  {
    what: 'a violent wanted person run by name with a race',
    key: 'F3',
    values: ['TRAINING, VIOLENT', '1985-04-04', 'M', 'W'],
    query: { kind: 'person', nam: 'TRAINING, VIOLENT', dob: '1985-04-04', sex: 'M', rac: 'W' },
    title: 'WANTED PERSON',
    detail: 'failure to appear',
    caution: 'VIOLENT TENDENCIES',
  },
  {
    what: 'an armed wanted person run by the licence they hand over',
    key: 'F5',
    values: ['T0000001', 'CA'],
    query: { kind: 'person_oln', oln: 'T0000001', ols: 'CA' },
    title: 'WANTED PERSON',
    detail: 'felony warrant',
    caution: 'ARMED AND DANGEROUS',
  },
  {
    what: 'a stolen gun run with its calibre and model',
    key: 'F8',
    values: ['TRN1911', 'COL', '45', '1911'],
    query: { kind: 'gun', ser: 'TRN1911', mak: 'COL', cal: '45', mod: '1911' },
    title: 'STOLEN GUN',
    detail: 'COLT pistol',
  },
  { what: 'a stolen laptop run as an article', key: 'F9', values: ['TRN5550001', 'OCOMPUT'], query: { kind: 'article', ser: 'TRN5550001', typ: 'OCOMPUT' }, title: 'STOLEN ARTICLE', detail: 'laptop computer' },
];

for (const { what, key, values, query, title, detail, caution } of hits) {
  test(`${what} pops a ${title} alert, and its row keeps the hit once acknowledged`, async ({ terminal: page }) => {
    await runByKeyboard(page, key, values);
    const alert = page.getByRole('alertdialog');
    await expect(alert.getByRole('heading')).toHaveText(title);
    await expect(alert).toContainText(describeQuery(query));
    await expect(alert).toContainText(detail);
    if (caution) await expect(alert).toContainText(`CAUTION: ${caution}`);
    await expect(alert.getByRole('button', { name: 'Acknowledge' })).toBeFocused();
    await page.keyboard.press('Enter');
    await expect(alert).toBeHidden();
    await expect(resultFor(page, describeQuery(query))).toContainText(`HIT: ${title}${caution ? `, CAUTION ${caution}` : ''}`);
  });
}

const clean: ReadonlyArray<{ what: string; key: string; values: string[]; query: Query; shows: string[] }> = [
  { what: 'a clean car run by its VIN', key: 'F4', values: ['4T1B11HK4KU100000'], query: { kind: 'vin', vin: '4T1B11HK4KU100000' }, shows: ['Record on file, no want', 'TOYOTA CAMRY'] },
  { what: 'a suspended licence run by number', key: 'F6', values: ['T0000001', 'CA'], query: { kind: 'licence', oln: 'T0000001', ols: 'CA' }, shows: ['Record on file, no want', 'DRIVER LICENCE SUSPENDED'] },
  {
    what: 'a valid licence run by name',
    key: 'F7',
    values: ['TRAINING, CLEAN', '1990-06-15', 'F'],
    query: { kind: 'licence_name', nam: 'TRAINING, CLEAN', dob: '1990-06-15', sex: 'F' },
    shows: ['Record on file, no want', 'DRIVER LICENCE VALID'],
  },
];

for (const { what, key, values, query, shows } of clean) {
  test(`${what} shows its record in the results and raises no alert`, async ({ terminal: page }) => {
    await runByKeyboard(page, key, values);
    const row = resultFor(page, describeQuery(query));
    for (const text of shows) await expect(row).toContainText(text);
    await expect(page.getByRole('alertdialog')).toBeHidden();
  });
}

test('after a run the plate form keeps the state, clears the rest and is ready for the next plate', async ({ terminal: page }) => {
  await runByKeyboard(page, 'F2', ['4TRN000', 'CA', '2027', 'PC']);
  await expect(page.getByText('Queued: Plate 4TRN000 (CA, 2027, type PC)')).toBeVisible();
  await expect(page.getByLabel('Plate (LIC)')).toBeFocused();
  await expect(page.getByLabel('Plate (LIC)')).toHaveValue('');
  await expect(page.getByLabel('State (LIS)')).toHaveValue('CA');
  await expect(page.getByLabel('Plate year (LIY)')).toHaveValue('');
  await expect(page.getByLabel('Plate type (LIT)')).toHaveValue('');
  await page.keyboard.type('4TRN999');
  await page.keyboard.press('Enter');
  await expect(resultFor(page, 'Plate 4TRN999 (CA)')).toBeVisible();
});

test('a VIN whose check digit does not match is refused at the field and nothing is queued', async ({ terminal: page }) => {
  await runByKeyboard(page, 'F4', ['1FTEW1E59JFA78900']);
  const input = page.getByLabel('VIN (VIN)');
  await expect(input).toHaveAttribute('aria-invalid', 'true');
  await expect(input).toHaveAccessibleDescription('VIN (VIN) check digit does not match: re-read the VIN');
  await expect(input).toBeFocused();
  await expect(input).toHaveValue('1FTEW1E59JFA78900');
  await expect(statusBar(page)).toContainText(queued(0));
  await expect(page.getByText('No queries yet')).toBeVisible();
});

test('an optional field is marked optional in its hint, not in its label', async ({ terminal: page }) => {
  await page.keyboard.press('F8');
  await expect(page.getByLabel('Calibre (CAL)')).toHaveAccessibleDescription(/^\(optional\)/);
  await expect(page.getByLabel('Serial number (SER)')).not.toHaveAccessibleDescription(/optional/);
});
