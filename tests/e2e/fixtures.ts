// Each worker gets its own switch process and terminal host; each test a fresh browser profile.
import { test as base, expect, type Page } from '@playwright/test';
import type { Server } from 'node:http';
import { fileURLToPath } from 'node:url';
import type { ExecutionStats } from '../../src-shared/protocol.ts';
import { SwitchProcess } from '../../scripts/switch-process.ts';
import { serveTerminal } from '../../scripts/web-server.ts';
import type { DrillOfficer } from '../../src-switch/auth/drill-officers.ts';
import { enter } from '../support/sign-in.ts';

export interface DrillSwitch {
  process: SwitchProcess;
  url: string;
  stats(): Promise<ExecutionStats>;
}

const RENDERER = process.env.OUTRIDER_RENDERER_DIR ?? fileURLToPath(new URL('../../dist/renderer', import.meta.url));

export const test = base.extend<{ terminal: Page; hotlist: boolean; hotlistGate: void; officer: DrillOfficer | undefined }, { drillSwitch: DrillSwitch; terminalUrl: string }>({
  /**
   * Who the `terminal` fixture signs in. By default the training officer rested longest: a switch takes each
   * one-time code once per officer, so rotating keeps tests from waiting 30 s for the next code.
   */
  officer: [undefined, { option: true }],
  /**
   * Whether the terminal may download the stolen-plate hotlist. With it, a training plate run offline pops a
   * POSSIBLE HIT at once; tests about what happens before the live answer turn it off with
   * `test.use({ hotlist: false })`, so whether the list loaded in time cannot change what they see.
   */
  hotlist: [true, { option: true }],
  /** Applies `hotlist: false` to every page of the test's context, whether it came from `terminal` or not. */
  hotlistGate: [
    async ({ context, hotlist }, use) => {
      if (!hotlist) await context.route('**/v1/hotlist*', (route) => route.abort('blockedbyclient'));
      await use();
    },
    { auto: true },
  ],
  drillSwitch: [
    async ({}, use) => {
      const process = new SwitchProcess(0);
      const url = await process.start();
      const stats = () => process.stats();
      await use({ process, url, stats });
      await process.stop();
    },
    { scope: 'worker' },
  ],
  terminalUrl: [
    async ({ drillSwitch }, use) => {
      const { server, url } = await serveTerminal({
        root: RENDERER,
        port: 0,
        config: { switchUrl: drillSwitch.url, mode: 'drill', appVersion: 'test', shell: 'web' },
      });
      await use(url);
      await new Promise<void>((resolve) => (server as Server).close(() => resolve()));
    },
    { scope: 'worker' },
  ],
  /** The terminal page, loaded, signed in and showing a live link. The switch is restarted first if a test stopped it. */
  terminal: async ({ page, terminalUrl, drillSwitch, officer }, use) => {
    if (!drillSwitch.process.running) await drillSwitch.process.start();
    await page.goto(terminalUrl);
    await enter(page, officer);
    await expect(page.getByRole('status', { name: 'Terminal status' })).toContainText('Link: Online');
    await use(page);
    // The switch is shared by the worker's tests: leave it as the next test expects to find it.
    if (drillSwitch.process.running) await drillSwitch.process.setConditions({});
  },
});

export { expect };

export { enter, fillSignIn, OFFICER, oneTimeCode, shiftHolder } from '../support/sign-in.ts';

/** Runs a plate query the way an officer does: type, Enter. */
export async function runPlate(page: Page, lic: string, lis: string): Promise<void> {
  await page.keyboard.press('F2');
  await page.getByLabel('Plate (LIC)').fill(lic);
  await page.getByLabel('State (LIS)').fill(lis);
  await page.getByLabel('State (LIS)').press('Enter');
}

export async function runPerson(page: Page, nam: string, dob: string, sex: string): Promise<void> {
  await page.keyboard.press('F3');
  await page.getByLabel('Name (NAM)').fill(nam);
  await page.getByLabel('Date of birth (DOB)').fill(dob);
  await page.getByLabel('Sex (SEX)').fill(sex);
  await page.getByLabel('Sex (SEX)').press('Enter');
}

/** Acknowledges every alert on screen, returning their titles in the order shown. */
export async function acknowledgeAll(page: Page): Promise<string[]> {
  const titles: string[] = [];
  const dialog = page.getByRole('alertdialog');
  while (await dialog.isVisible()) {
    titles.push((await dialog.getByRole('heading').textContent()) ?? '');
    await dialog.getByRole('button', { name: 'Acknowledge' }).click();
    await expect(dialog.getByRole('heading')).not.toHaveText(titles.at(-1)!, { timeout: 2_000 }).catch(() => undefined);
  }
  return titles;
}

/** "N queued" as a whole number, so 0 does not match the tail of 100. */
export function queued(count: number): RegExp {
  return new RegExp(`(^|\\D)${count} queued`);
}

export function statusBar(page: Page) {
  return page.getByRole('status', { name: 'Terminal status' });
}

export function resultFor(page: Page, description: string) {
  return page.getByRole('list', { name: 'Queries and answers' }).getByRole('listitem', { name: description });
}
