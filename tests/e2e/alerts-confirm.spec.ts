// Hit confirmation: a hit offers a YQ (Urgent or Routine); the terminal counts down to the YR, asks again when it is overdue, and shows the answer.
import type { Page } from '@playwright/test';
import { paths } from '../../src-shared/protocol.ts';
import { openOnClock } from './alerts-support.ts';
import { type DrillSwitch, expect, runPlate, test } from './fixtures.ts';

const SHOTS = '/tmp/hotlist-shots';

async function shoot(page: Page, name: string): Promise<void> {
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme });
    await page.screenshot({ path: `${SHOTS}/${name}-${colorScheme}.png` });
  }
}

const confirmations = (drillSwitch: DrillSwitch) => `${drillSwitch.url}${paths.confirmations}`;

test('an urgent YQ counts down, is asked again when ten minutes pass unanswered, and shows the YR', async ({ page, terminalUrl, drillSwitch }) => {
  // The agency is out of reach at first: no YR can come, so only the terminal's own clock moves the request on.
  await page.route(confirmations(drillSwitch), (route) => route.abort('connectionreset'));
  await openOnClock(page, terminalUrl);
  await runPlate(page, '4TRN123', 'CA');
  const dialog = page.getByRole('alertdialog');
  await expect(dialog.getByRole('heading')).toHaveText('STOLEN VEHICLE');
  // Offering the YQ does not take the default away from Acknowledge.
  await expect(dialog.getByRole('button', { name: 'Acknowledge' })).toBeFocused();

  await dialog.getByRole('button', { name: 'Urgent (10 min)' }).click();
  await expect(dialog).toContainText(/YR due in (10:00|9:[0-5]\d)/);
  await shoot(page, 'yq-dialog');
  // Focus stayed in the alert: Enter still acknowledges it.
  await page.keyboard.press('Enter');
  await expect(dialog).toBeHidden();

  const panel = page.getByRole('region', { name: 'Hit confirmation (YQ / YR)' });
  await expect(panel).toContainText(/YR due in (10:00|9:[0-5]\d)/);
  await expect(panel).not.toContainText('attempt 2');
  await page.clock.fastForward('05:00');
  await expect(panel).toContainText(/YR due in [45]:[0-5]\d/);
  await expect(panel).not.toContainText('attempt 2');
  await page.clock.fastForward('05:01');
  await expect(panel).toContainText('asked again, attempt 2');
  await expect(panel).toContainText(/YR due in (10:00|9:[0-5]\d)/);

  await page.unroute(confirmations(drillSwitch));
  await expect(panel).toContainText('CONFIRMED by CA0349400', { timeout: 30_000 });
  await expect(panel).toContainText('YR: CONFIRMED. VEHICLE STILL STOLEN. HOLD SUBJECT.');
  await expect(panel).not.toContainText('YR due in');
  await panel.scrollIntoViewIfNeeded();
  await shoot(page, 'yq-answered');
});

test('a routine YQ gives the agency an hour', async ({ terminal: page }) => {
  await runPlate(page, '4TRN456', 'CA');
  const dialog = page.getByRole('alertdialog');
  await expect(dialog.getByRole('heading')).toHaveText('STOLEN PLATE');
  await dialog.getByRole('button', { name: 'Acknowledge' }).click();
  const panel = page.getByRole('region', { name: 'Hit confirmation (YQ / YR)' });
  await panel.getByRole('button', { name: 'Routine (1 h)' }).click();
  // Either still counting down from the hour, or already answered by the drill agency: never the ten-minute clock.
  await expect(panel).toContainText(/YR due in (60:00|59:[0-5]\d)|CONFIRMED by CA0349400/);
  await expect(panel).toContainText('YR: CONFIRMED. PLATE STILL STOLEN. SEIZE PLATE.', { timeout: 30_000 });
});
