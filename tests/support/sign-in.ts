// What an officer does before the terminal shows: the use notice, then the sign-in or the unlock. Shared by
// the end-to-end tests and the benchmarks (so it waits with locators, not with the test runner's expect).
import type { Page } from '@playwright/test';
import { TOTP } from 'otpauth';
import { DRILL_OFFICERS, type DrillOfficer } from '../../src-switch/drill-officers.ts';

/** The officer tests and benchmarks sign in as unless they say otherwise. */
export const OFFICER = DRILL_OFFICERS[0]!;

/** The officer's current one-time code, as their authenticator app shows it. */
export function oneTimeCode(officer: DrillOfficer = OFFICER, timestamp: number = Date.now()): string {
  return new TOTP({ secret: officer.totpSecret, algorithm: 'SHA1', digits: 6, period: 30 }).generate({ timestamp });
}

/** Fills the online sign-in form (its officer ID field shows only when no shift is open) and submits it. */
export async function fillSignIn(page: Page, officer: DrillOfficer = OFFICER, password: string = officer.password): Promise<void> {
  const officerId = page.getByLabel('Officer ID');
  if (await officerId.isVisible()) await officerId.fill(officer.id);
  await page.getByLabel('Password').fill(password);
  await page.getByLabel('One-time code').fill(oneTimeCode(officer));
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
}

/**
 * Acknowledges the use notice, then signs in, or unlocks with the password alone the shift still open from
 * before a restart. Resolves once the terminal's status bar shows.
 */
export async function enter(page: Page, officer: DrillOfficer = OFFICER): Promise<void> {
  await page.getByRole('button', { name: 'I understand and consent' }).click();
  const unlock = page.getByRole('button', { name: 'Unlock' });
  const signIn = page.getByRole('button', { name: 'Sign in', exact: true });
  await unlock.or(signIn).first().waitFor();
  if (await unlock.isVisible()) {
    await page.getByLabel('Password').fill(officer.password);
    await unlock.click();
  } else {
    await fillSignIn(page, officer);
  }
  await page.getByRole('status', { name: 'Terminal status' }).waitFor({ timeout: 15_000 });
}
