// Wrong passwords at the lock screen are counted in storage: reloading between attempts gives no fresh tries,
// and the fifth erases the offline verifier, so only an online sign-in with password and code opens the shift.
import type { Page } from '@playwright/test';
import { enter, expect, fillSignIn, shiftHolder, statusBar, test } from './fixtures.ts';

const lockScreen = (page: Page) => page.getByRole('heading', { name: 'Outrider is locked' });

test('five wrong passwords, with a reload before each, erase the offline unlock until a full sign-in', async ({ terminal: page }) => {
  const officer = shiftHolder(page)!;
  for (let attempt = 1; attempt <= 5; attempt++) {
    await page.reload();
    await page.getByRole('button', { name: 'I understand and consent' }).click();
    await expect(lockScreen(page)).toBeVisible();
    await page.getByLabel('Password').fill(`wrong ${attempt}`);
    await page.getByRole('button', { name: 'Unlock' }).click();
    await expect(page.getByRole('alert')).toContainText(attempt < 5 ? `${5 - attempt} more before` : '5 wrong passwords');
  }
  // Reloaded again, the right password alone no longer opens it: the verifier is gone, not just hidden.
  await page.reload();
  await page.getByRole('button', { name: 'I understand and consent' }).click();
  await expect(lockScreen(page)).toBeVisible();
  await expect(page.getByLabel('One-time code')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Unlock' })).toHaveCount(0);

  await fillSignIn(page, officer);
  await expect(statusBar(page)).toContainText(`${officer.name} (${officer.id})`);
  // A fresh sign-in starts the count again: one wrong password later, the lock screen still offers the unlock.
  await page.keyboard.press('F12');
  await page.getByLabel('Password').fill('wrong again');
  await page.getByRole('button', { name: 'Unlock' }).click();
  await expect(page.getByRole('alert')).toContainText('4 more before');
  await page.reload();
  await enter(page, officer);
  await expect(statusBar(page)).toContainText(`${officer.name} (${officer.id})`);
});
