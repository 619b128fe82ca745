// Night and day themes: the system setting by default, F10 to switch, the choice kept; axe and a look at every screen in both.
import { acknowledgeAll, expect, resultFor, runPlate, test, enter } from './fixtures.ts';
import { axeViolations, brightAreas, checkScreen, focusRing, followSystem, THEMES } from './ui-support.ts';

const html = (page: import('@playwright/test').Page) => page.locator('html');

test('the theme follows the system setting until F10 switches it, and the switch survives a reload', async ({ terminal: page }) => {
  await followSystem(page, 'day');
  await followSystem(page, 'night');
  await expect(page.getByRole('button', { name: 'F10 Night theme' })).toBeVisible();

  await page.keyboard.press('F10');
  await expect(html(page)).toHaveAttribute('data-theme', 'day');
  // The officer's choice now outranks the system's.
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.reload();
  await enter(page);
  await expect(page.getByRole('button', { name: 'F10 Day theme' })).toBeVisible();
  await expect(html(page)).toHaveAttribute('data-theme', 'day');

  await page.keyboard.press('F10');
  await expect(html(page)).toHaveAttribute('data-theme', 'night');
  await page.emulateMedia({ colorScheme: 'light' });
  await expect(html(page)).toHaveAttribute('data-theme', 'night');

  // Auto hands the choice back to the system.
  await page.getByRole('button', { name: 'Auto: follow the system theme' }).click();
  await expect(html(page)).toHaveAttribute('data-theme', 'day');
  await expect(page.getByRole('button', { name: 'Auto: follow the system theme' })).toBeHidden();
});

test('the night theme has no large light area and dims; the day theme is light and never dimmed', async ({ terminal: page }) => {
  await followSystem(page, 'night');
  await runPlate(page, '4TRN000', 'CA');
  await expect(resultFor(page, 'Plate 4TRN000 (CA)')).toContainText('Record on file, no want');
  expect(await brightAreas(page)).toEqual([]);

  const body = page.locator('body');
  await expect(body).toHaveCSS('filter', 'brightness(1)');
  await page.getByRole('button', { name: 'Dimmer' }).click();
  await page.getByRole('button', { name: 'Dimmer' }).click();
  await expect(page.getByRole('group', { name: 'Display' })).toContainText('70%');
  await expect(body).toHaveCSS('filter', 'brightness(0.7)');
  await page.reload();
  await enter(page);
  await expect(body).toHaveCSS('filter', 'brightness(0.7)');
  await page.getByRole('button', { name: 'Brighter' }).click();
  await expect(body).toHaveCSS('filter', 'brightness(0.85)');

  // The same measurement finds the day theme's light page: the check above can fail.
  await followSystem(page, 'day');
  expect(await brightAreas(page)).not.toEqual([]);
  await expect(body).toHaveCSS('filter', 'none');
  await expect(page.getByRole('button', { name: 'Dimmer' })).toBeHidden();
});

for (const theme of THEMES) {
  test(`focus is a thick outline that stands out from the ${theme} page, on every control Tab reaches`, async ({ terminal: page }) => {
    await followSystem(page, theme);
    await runPlate(page, '4TRN000', 'CA');
    await expect(resultFor(page, 'Plate 4TRN000 (CA)')).toContainText('Record on file, no want');
    await page.locator('body').click({ position: { x: 2, y: 2 } });
    const seen = new Set<string>();
    for (let stop = 0; stop < 40; stop++) {
      await page.keyboard.press('Tab');
      const ring = await focusRing(page);
      if (ring.name === 'BODY' || seen.has(ring.name)) break;
      seen.add(ring.name);
      expect(ring.style, `focus style on ${ring.name}`).toBe('solid');
      expect(ring.width, `focus width on ${ring.name}`).toBeGreaterThanOrEqual(3);
      expect(ring.contrast, `focus contrast on ${ring.name}`).toBeGreaterThanOrEqual(3);
    }
    // Tab reached the display controls, the query kinds, the form and the recall list.
    expect([...seen]).toEqual(expect.arrayContaining([`F10 ${theme === 'night' ? 'Night' : 'Day'} theme`, 'F2 Plate', 'Run plate', 'Run again: Plate 4TRN000 (CA)']));
  });

  test(`every screen passes axe in the ${theme} theme, photographed at 1024 and 1366 wide`, async ({ terminal: page }) => {
    await followSystem(page, theme);
    await checkScreen(page, theme, '1-terminal');

    await runPlate(page, '4TRN 123', '');
    await expect(page.getByLabel('Plate (LIC)')).toHaveAttribute('aria-invalid', 'true');
    await expect(page.getByLabel('State (LIS)')).toHaveAttribute('aria-invalid', 'true');
    await checkScreen(page, theme, '2-bad-input');

    await page.keyboard.press('Escape');
    await runPlate(page, '4TRN000', 'CA');
    await expect(resultFor(page, 'Plate 4TRN000 (CA)')).toContainText('Record on file, no want');
    await runPlate(page, '4TRN456', 'CA');
    const alert = page.getByRole('alertdialog');
    await expect(alert.getByRole('heading')).toHaveText('STOLEN PLATE');
    await checkScreen(page, theme, '3-alert');

    await acknowledgeAll(page);
    await expect(resultFor(page, 'Plate 4TRN456 (CA)')).toContainText('HIT: STOLEN PLATE');
    await checkScreen(page, theme, '4-answers');
  });
}

test('the axe check fails what axe fails: an image with no text and a button with no name', async ({ page }) => {
  await page.setContent('<!doctype html><html lang="en"><title>Broken</title><main><h1>Broken</h1><img src="data:,"><button></button></main></html>');
  const rules = (await axeViolations(page)).map((line) => line.slice(0, line.indexOf(':')));
  expect(rules).toEqual(expect.arrayContaining(['image-alt', 'button-name']));
});
