// The browser build's OS notification for a hit: raised at once, kept until dismissed, and free of CJI.
import { expect, runPerson, runPlate, statusBar, test, enter } from './fixtures.ts';

interface NotificationCall {
  title: string;
  body?: string;
  requireInteraction?: boolean;
}

declare global {
  interface Window {
    __notifications?: NotificationCall[];
  }
}

test('a hit raises a notification that says what hit, never the plate, name or date of birth', async ({ page, context, terminalUrl }) => {
  await context.grantPermissions(['notifications']);
  await page.addInitScript(() => {
    window.__notifications = [];
    const Original = window.Notification;
    window.Notification = class extends Original {
      constructor(title: string, options?: NotificationOptions) {
        window.__notifications!.push({ title, body: options?.body, requireInteraction: options?.requireInteraction });
        super(title, options);
      }
    };
  });
  await page.goto(terminalUrl);
  await enter(page);
  await expect(statusBar(page)).toContainText('Link: Online');
  const notifications = () => page.evaluate(() => window.__notifications ?? []);

  await runPlate(page, '4TRN123', 'CA');
  await expect(page.getByRole('alertdialog')).toContainText('STOLEN VEHICLE');
  await expect.poll(notifications).toHaveLength(1);
  await page.getByRole('alertdialog').getByRole('button', { name: 'Acknowledge' }).click();
  // The officer types once the dialog has gone: while it is open the page behind it is inert, and keys land nowhere.
  await expect(page.getByRole('alertdialog')).toBeHidden();

  await runPerson(page, 'TRAINING, ARMED', '1980-01-01', 'M');
  await expect(page.getByRole('alertdialog')).toContainText('WANTED PERSON');
  await expect.poll(notifications).toHaveLength(2);

  const [plate, person] = await notifications();
  expect(plate).toEqual({ title: 'STOLEN VEHICLE', body: expect.any(String), requireInteraction: true });
  expect(person).toEqual({ title: 'WANTED PERSON', body: expect.stringContaining('ARMED AND DANGEROUS'), requireInteraction: true });
  for (const { title, body } of [plate!, person!]) {
    for (const cji of ['4TRN123', 'TRAINING', '1980', 'CIVIC', 'HONDA']) expect(`${title} ${body}`.toUpperCase()).not.toContain(cji);
  }
});
