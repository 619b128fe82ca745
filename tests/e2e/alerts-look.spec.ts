// Each kind of alert fits a small car screen with its Acknowledge button in reach; screenshots for a person to look at.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Locator, Page, TestInfo } from '@playwright/test';
import { openOnClock } from './alerts-support.ts';
import { expect, queued, runPerson, runPlate, statusBar, test } from './fixtures.ts';

// Offline training plates would pop a hotlist POSSIBLE HIT first; these tests are about the live answer.
test.use({ hotlist: false });

/** A ruggedised in-car laptop's screen: the smallest the terminal must work on. */
const CAR_SCREEN = { width: 1024, height: 600 };

/** Saves where ALERT_SHOTS_DIR says (kept out of the repository), else beside the test's other output. */
async function shoot(target: Page | Locator, testInfo: TestInfo, name: string): Promise<void> {
  const dir = process.env.ALERT_SHOTS_DIR ?? testInfo.outputPath();
  mkdirSync(dir, { recursive: true });
  await target.screenshot({ path: join(dir, `${name}.png`) });
}

async function expectInReach(page: Page): Promise<void> {
  const alert = page.getByRole('alertdialog');
  await expect(alert).toBeInViewport({ ratio: 1 });
  await expect(alert.getByRole('button', { name: 'Acknowledge' })).toBeInViewport({ ratio: 1 });
  await expect(alert.getByRole('button', { name: 'Acknowledge' })).toBeFocused();
}

for (const colorScheme of ['dark', 'light'] as const) {
  test.describe(`with the system set to ${colorScheme}`, () => {
    test.use({ viewport: CAR_SCREEN, colorScheme });

    test('a hit fits the screen', async ({ terminal: page }, testInfo) => {
      await runPlate(page, '4TRN123', 'CA');
      await expect(page.getByRole('alertdialog')).toContainText('STOLEN VEHICLE');
      await expectInReach(page);
      await shoot(page, testInfo, `${colorScheme}-hit`);
    });

    test('an officer-safety alert fits the screen and names its caution', async ({ terminal: page }, testInfo) => {
      await runPerson(page, 'TRAINING, ARMED', '1980-01-01', 'M');
      await expect(page.getByRole('alertdialog')).toContainText('CAUTION: ARMED AND DANGEROUS');
      await expectInReach(page);
      await shoot(page, testInfo, `${colorScheme}-officer-safety`);
    });

    test('a late answer fits the screen with its warning on top', async ({ page, terminalUrl, context }, testInfo) => {
      await openOnClock(page, terminalUrl, new Date('2026-11-23T14:02:00'));
      await context.setOffline(true);
      await expect(statusBar(page)).toContainText('Link: Offline');
      await runPlate(page, '4TRN123', 'CA');
      await runPerson(page, 'TRAINING, VIOLENT', '1985-04-04', 'M');
      await expect(statusBar(page)).toContainText(queued(2));
      await page.clock.fastForward('17:00');
      await context.setOffline(false);
      await expect(page.getByRole('alertdialog')).toContainText('1 more alert waiting', { timeout: 30_000 });
      await expect(page.getByRole('alertdialog')).toContainText('LATE ANSWER');
      await expectInReach(page);
      await shoot(page, testInfo, `${colorScheme}-late-officer-safety`);

      await page.keyboard.press('Enter');
      await expect(page.getByRole('alertdialog')).not.toContainText('more alert');
      await expectInReach(page);
      await shoot(page, testInfo, `${colorScheme}-late-hit`);

      await page.keyboard.press('Enter');
      await expect(page.getByRole('alertdialog')).toBeHidden();
      const history = page.getByRole('region', { name: 'Alerts' });
      await expect(history.getByRole('row')).toHaveCount(3);
      // The history sits in the terminal's narrower column: it must fit without hiding a column off the edge.
      expect(await history.evaluate((section) => section.scrollWidth <= section.clientWidth)).toBe(true);
      await shoot(history, testInfo, `${colorScheme}-history`);
    });
  });
}
