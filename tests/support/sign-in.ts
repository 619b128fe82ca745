// What an officer does before the terminal shows: the use notice, then the sign-in or the unlock. Shared by
// the end-to-end tests and the benchmarks (so it waits with locators, not with the test runner's expect).
import type { BrowserContext, Page } from '@playwright/test';
import { TOTP } from 'otpauth';
import { DRILL_OFFICERS, type DrillOfficer } from '../../src-switch/auth/drill-officers.ts';

/** The officer tests and benchmarks sign in as unless they say otherwise. */
export const OFFICER = DRILL_OFFICERS[0]!;

const STEP_MS = 30_000;
const totpOf = (officer: DrillOfficer) => new TOTP({ secret: officer.totpSecret, algorithm: 'SHA1', digits: 6, period: 30 });

/** The officer's code for the time step holding `timestamp`, as their authenticator app shows it then. */
export function oneTimeCode(officer: DrillOfficer = OFFICER, timestamp: number = Date.now()): string {
  return totpOf(officer).generate({ timestamp });
}

/**
 * The last time step whose code this test process handed out, per officer, whichever switch it went to (a
 * test may sign in through the page and from Node on one switch, and a bench restarts its switch). A switch
 * accepts each step once per officer (RFC 6238 section 5.2), so a test signing the same officer in twice
 * within 30 s takes the next step's code (the switch accepts one step ahead) or waits for it, as an officer would.
 */
const usedSteps = new Map<string, number>();

/** A code for `officer` that this process has not handed out yet; waits for the next step when it must. */
export async function freshCode(officer: DrillOfficer = OFFICER, _switchKey?: string): Promise<string> {
  const key = officer.id;
  for (;;) {
    const now = Date.now();
    const step = Math.floor(now / STEP_MS);
    const next = Math.max(step, (usedSteps.get(key) ?? -1) + 1);
    if (next <= step + 1) {
      usedSteps.set(key, next);
      return totpOf(officer).generate({ timestamp: next * STEP_MS });
    }
    // Two steps handed out already: the one after is accepted once the clock reaches the step before it.
    await new Promise((resolve) => setTimeout(resolve, (next - 1) * STEP_MS - now + 100));
  }
}

/** The officer of `pool` whose last code is oldest: rotating keeps tests from waiting on a step. */
export function restedOfficer(_switchKey?: string, pool: readonly DrillOfficer[] = DRILL_OFFICERS): DrillOfficer {
  const lastUse = (officer: DrillOfficer) => usedSteps.get(officer.id) ?? -1;
  return [...pool].sort((a, b) => lastUse(a) - lastUse(b))[0]!;
}

/** Who holds the shift in each browser profile a test opened, so an unlock after a reload types their password. */
const holders = new WeakMap<BrowserContext, DrillOfficer>();

/** The officer who signed in last in `page`'s browser profile, if any did. */
export function shiftHolder(page: Page): DrillOfficer | undefined {
  return holders.get(page.context());
}

/**
 * Fills the online sign-in form (its officer ID field shows only when no shift is open) and submits it; by default
 * as the officer who signed in last in this browser profile, or the first training officer in a fresh one.
 */
export async function fillSignIn(page: Page, officer: DrillOfficer = shiftHolder(page) ?? OFFICER, password: string = officer.password): Promise<void> {
  const officerId = page.getByLabel('Officer ID');
  if (await officerId.isVisible()) await officerId.fill(officer.id);
  await page.getByLabel('Password').fill(password);
  await page.getByLabel('One-time code').fill(await freshCode(officer));
  holders.set(page.context(), officer);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
}

/**
 * Acknowledges the use notice, then signs in, or unlocks with the password alone the shift still open from
 * before a restart. Resolves once the terminal's status bar shows. Without `officer`, the shift's holder in this
 * browser profile unlocks or signs in again; a fresh profile signs in the training officer rested longest.
 */
export async function enter(page: Page, officer?: DrillOfficer): Promise<DrillOfficer> {
  const who = officer ?? shiftHolder(page) ?? restedOfficer();
  await page.getByRole('button', { name: 'I understand and consent' }).click();
  const unlock = page.getByRole('button', { name: 'Unlock' });
  const signIn = page.getByRole('button', { name: 'Sign in', exact: true });
  await unlock.or(signIn).first().waitFor();
  if (await unlock.isVisible()) {
    await page.getByLabel('Password').fill(who.password);
    await unlock.click();
  } else {
    await fillSignIn(page, who);
  }
  await page.getByRole('status', { name: 'Terminal status' }).waitFor({ timeout: 15_000 });
  return who;
}
