// `npm run screenshots`: the README's pictures, taken from the real terminal against a real drill switch.
import { chromium, type Page } from '@playwright/test';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { drillCode } from '../src-switch/drill/drill-codes.ts';
import { DRILL_OFFICERS } from '../src-switch/auth/drill-officers.ts';
// eslint-disable-next-line no-restricted-imports -- tests/support/chromium.ts is to move to src-host; its owner moves it.
import { CHROMIUM_ARGS, chromiumExecutable } from '../tests/support/chromium.ts';
import { SwitchProcess } from './switch-process.ts';
import { serveTerminal } from './web-server.ts';
import { buildRenderer, RENDERER_DIR } from './web-terminal.ts';

const OUT_DIR = fileURLToPath(new URL('../docs/images', import.meta.url));
/** Not TRN101, whom the start-up hint and most tests use: a picture run beside them takes no code of theirs. */
const OFFICER = DRILL_OFFICERS.find((officer) => officer.id === 'TRN105')!;
/** A laptop-sized car screen, as the end-to-end tests use, wide enough for the README without scaling much. */
const VIEWPORT = { width: 1366, height: 768 };
/** Simulated sources answer at once: the pictures show finished answers, not whichever part was slow that run. */
const INSTANT_SOURCES = ['--latency-scale', '0'];

const { values } = parseArgs({ options: { 'no-build': { type: 'boolean', default: false } } });

/** The use notice, then the sign-in as a trainee does it: officer, password and the code `npm run drill-code` prints. */
async function signIn(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'I understand and consent' }).click();
  await page.getByLabel('Officer ID').fill(OFFICER.id);
  await page.getByLabel('Password').fill(OFFICER.password);
  await page.getByLabel('One-time code').fill(drillCode(OFFICER, Date.now()).code);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.getByRole('status', { name: 'Terminal status' }).getByText('Link: Online').waitFor();
}

async function runPlate(page: Page, plate: string, state: string): Promise<void> {
  await page.keyboard.press('F2');
  await page.getByLabel('Plate (LIC)').fill(plate);
  await page.getByLabel('State (LIS)').fill(state);
  await page.getByLabel('State (LIS)').press('Enter');
}

function answer(page: Page, description: string) {
  return page.getByRole('list', { name: 'Queries and answers' }).getByRole('listitem', { name: description });
}

async function shoot(page: Page, name: string): Promise<void> {
  const file = join(OUT_DIR, `${name}.png`);
  await page.screenshot({ path: file });
  console.log(`Wrote ${file}`);
}

if (!values['no-build']) buildRenderer();
mkdirSync(OUT_DIR, { recursive: true });

const drillSwitch = new SwitchProcess(0, INSTANT_SOURCES);
const switchUrl = await drillSwitch.start();
const { server, url } = await serveTerminal({ root: RENDERER_DIR, port: 0, config: { switchUrl, mode: 'drill', appVersion: 'screenshots', shell: 'web' } });
const executablePath = chromiumExecutable();
const browser = await chromium.launch({ args: CHROMIUM_ARGS, ...(executablePath ? { executablePath } : {}) });
try {
  const page = await browser.newPage({ viewport: VIEWPORT, colorScheme: 'dark' });
  await page.goto(url);
  await signIn(page);
  const status = page.getByRole('status', { name: 'Terminal status' });

  await runPlate(page, '4TRN000', 'CA');
  await answer(page, 'Plate 4TRN000 (CA)').getByText('Record on file, no want').waitFor();
  await shoot(page, 'terminal');

  const alert = page.getByRole('alertdialog');
  await runPlate(page, '4TRN123', 'CA');
  await alert.getByRole('heading', { name: 'STOLEN VEHICLE' }).waitFor();
  await shoot(page, 'alert');
  await alert.getByRole('button', { name: 'Acknowledge' }).click();
  await alert.waitFor({ state: 'hidden' });

  // The instructor page's Outage: the same plate again is a possible hit from the cached hotlist, and stays queued.
  await page.getByText(/^Hotlist \d/).waitFor();
  await drillSwitch.setConditions({ outage: true });
  await status.getByText('Link: Offline').waitFor();
  await runPlate(page, '4TRN123', 'CA');
  await alert.getByText('POSSIBLE HIT', { exact: true }).waitFor();
  await alert.getByRole('button', { name: 'Acknowledge' }).click();
  await alert.waitFor({ state: 'hidden' });
  await status.getByText(/(^|\D)1 queued/).waitFor();
  await shoot(page, 'dead-zone');
} finally {
  await browser.close();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await drillSwitch.stop();
}
