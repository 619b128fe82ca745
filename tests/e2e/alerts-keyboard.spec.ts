// Acknowledging from the keyboard: Enter or Space, one alert per press, never by a held key, and focus back where it was.
import { acknowledgedInStorage } from './alerts-support.ts';
import { expect, queued, runPlate, statusBar, test } from './fixtures.ts';

// Offline training plates would pop a hotlist POSSIBLE HIT first; these tests are about the live answer.
test.use({ hotlist: false });

test('Enter acknowledges the alert, and the officer is back in the field they were typing in', async ({ terminal: page, context }) => {
  await context.setOffline(true);
  await expect(statusBar(page)).toContainText('Link: Offline');
  await runPlate(page, '4TRN123', 'CA');
  await expect(statusBar(page)).toContainText(queued(1));
  // The officer has started the next plate when the car comes out of the dead zone.
  const plate = page.getByLabel('Plate (LIC)');
  await plate.fill('7AB');
  await context.setOffline(false);

  const alert = page.getByRole('alertdialog');
  await expect(alert).toContainText('STOLEN VEHICLE');
  await expect(alert.getByRole('button', { name: 'Acknowledge' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(alert).toBeHidden();
  await expect(plate).toBeFocused();
  await page.keyboard.type('C12');
  await expect(plate).toHaveValue('7ABC12');
});

test('Space acknowledges one alert per press', async ({ terminal: page, context }) => {
  await context.setOffline(true);
  await expect(statusBar(page)).toContainText('Link: Offline');
  await runPlate(page, '4TRN123', 'CA');
  await runPlate(page, '4TRN456', 'CA');
  await expect(statusBar(page)).toContainText(queued(2));
  await context.setOffline(false);

  const alert = page.getByRole('alertdialog');
  await expect(alert).toContainText('1 more alert waiting');
  const first = await alert.getByRole('heading').textContent();
  await page.keyboard.press(' ');
  await expect(alert.getByRole('heading')).not.toHaveText(first!);
  await expect(alert).not.toContainText('more alert');
  // The dialog moves on at the key; the acknowledgement is stored a moment later, from the intake's worker.
  await expect.poll(() => acknowledgedInStorage(page)).toBe(1);

  await page.keyboard.press(' ');
  await expect(alert).toBeHidden();
  await expect.poll(() => acknowledgedInStorage(page)).toBe(2);
});

test('a key held down from before the alert opened does not acknowledge it', async ({ terminal: page, context }) => {
  await context.setOffline(true);
  await expect(statusBar(page)).toContainText('Link: Offline');
  await runPlate(page, '4TRN123', 'CA');
  await expect(statusBar(page)).toContainText(queued(1));
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  await page.keyboard.down('Enter');
  await context.setOffline(false);

  const alert = page.getByRole('alertdialog');
  await expect(alert).toContainText('STOLEN VEHICLE');
  // The key is still down: the browser sends it again as auto-repeat, into the dialog.
  await page.keyboard.down('Enter');
  await page.keyboard.up('Enter');
  expect(await acknowledgedInStorage(page)).toBe(0);
  await expect(alert).toBeVisible();

  await page.keyboard.press('Enter');
  await expect(alert).toBeHidden();
  expect(await acknowledgedInStorage(page)).toBe(1);
});

test('the dialog closes as the officer acknowledges, even while storage is slow to write it, and what they type next lands', async ({ terminal: page, context }) => {
  await context.setOffline(true);
  await expect(statusBar(page)).toContainText('Link: Offline');
  await runPlate(page, '4TRN123', 'CA');
  await context.setOffline(false);
  const alert = page.getByRole('alertdialog');
  await expect(alert).toContainText('STOLEN VEHICLE');

  // A slow disk, as under load: a reader holds the alerts table, so the acknowledgement waits to be written.
  await page.evaluate(
    () =>
      new Promise<void>((resolve, reject) => {
        const open = indexedDB.open('outrider');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const reader = open.result.transaction('alerts', 'readonly');
          const holding = window as Window & { __holdAlerts?: boolean };
          holding.__holdAlerts = true;
          const readAgain = () => {
            if (holding.__holdAlerts) reader.objectStore('alerts').count().onsuccess = readAgain;
          };
          readAgain();
          resolve();
        };
      }),
  );
  await page.keyboard.press('Enter');
  // Hidden while the acknowledgement still waits to be written (a read of it now would wait behind the write).
  await expect(alert).toBeHidden();
  // Typed straight away, into the plate field that has focus again.
  await page.keyboard.type('7ABC123');
  await expect(page.getByLabel('Plate (LIC)')).toHaveValue('7ABC123');

  // Once the disk catches up the acknowledgement is stored, and the alert stays acknowledged.
  await page.evaluate(() => ((window as Window & { __holdAlerts?: boolean }).__holdAlerts = false));
  await expect.poll(() => acknowledgedInStorage(page)).toBe(1);
  await expect(alert).toBeHidden();
});
