// Smoke test of the packaged shape: the built app in real Electron, against its own drill switch.
import { expect, type ElectronApplication, type Page, test } from '@playwright/test';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { OutriderBridge } from '../../src-shared/ipc.ts';
import { electronBinary, installedProfile, launchTerminal, NO_ELECTRON_REASON } from './electron-app.ts';

const executablePath = electronBinary();
const profile = installedProfile();
test.skip(!executablePath, NO_ELECTRON_REASON);
// The list reporter does not print skip reasons, so say it once where CI logs will show it.
if (!executablePath) console.log(`Electron tests skipped: ${NO_ELECTRON_REASON}`);
test.skip(profile !== undefined, `An agency profile is installed at ${profile}; these tests need drill mode`);

// One app at a time: the single-instance lock would make a second launch quit.
test.describe.configure({ mode: 'serial' });

/** The preload bridge as the page sees it. */
const bridge = () => (window as unknown as { outrider: OutriderBridge }).outrider;

test.describe('drill mode', () => {
  let app: ElectronApplication;
  let page: Page;

  test.beforeAll(async () => {
    app = await launchTerminal(executablePath!);
    page = await app.firstWindow();
    await page.waitForURL(/^app:\/\/outrider\//);
  });

  test.afterAll(async () => {
    await app?.close();
  });

  test('serves the terminal from app:// and hands it the drill switch through the bridge', async () => {
    const config = await page.evaluate(() => bridge().getConfig());
    expect(config).toMatchObject({ ok: true, value: { mode: 'drill', shell: 'electron' } });
    expect(config.ok && config.value.switchUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/?$/);
  });

  test('gives the page the three bridge calls, through contextBridge, and no Node', async () => {
    const seen = await page.evaluate(() => ({
      bridge: Object.keys(bridge()).sort(),
      // contextBridge hands the page a frozen copy; a non-isolated preload object would be mutable.
      frozen: Object.isFrozen(bridge()),
      require: typeof (globalThis as Record<string, unknown>).require,
      process: typeof (globalThis as Record<string, unknown>).process,
      ipcRenderer: typeof (bridge() as unknown as Record<string, unknown>).ipcRenderer,
    }));
    expect(seen).toEqual({ bridge: ['getConfig', 'notify', 'reportUpdateReadiness'], frozen: true, require: 'undefined', process: 'undefined', ipcRenderer: 'undefined' });
  });

  test('sends a CSP that limits connections to the switch', async () => {
    const policy = await page.evaluate(async () => (await fetch('app://outrider/index.html')).headers.get('content-security-policy'));
    const config = await page.evaluate(() => bridge().getConfig());
    expect(policy).toContain(`connect-src 'self' ${new URL(config.ok ? config.value.switchUrl : 'http://x').origin}`);
    expect(policy).toContain("script-src 'self'");
  });

  test('serves nothing outside the renderer build', async () => {
    const statuses = await page.evaluate(() =>
      Promise.all(['app://outrider/../main/main.cjs', 'app://outrider/%2e%2e%2fmain%2fmain.cjs', 'app://outrider/..%5Cmain%5Cmain.cjs'].map(async (url) => (await fetch(url)).status)),
    );
    expect(statuses).toEqual([404, 404, 404]);
  });

  test('refuses navigation away and new windows', async () => {
    const opened = await page.evaluate(() => window.open('https://example.com/') === null);
    await page.evaluate(() => {
      location.href = 'https://example.com/';
    });
    await page.evaluate(() => document.readyState);
    expect(opened).toBe(true);
    expect(page.url()).toMatch(/^app:\/\/outrider\//);
    expect(app.windows()).toHaveLength(1);
  });

  test('answers a bad bridge call with a failed Result, not a throw', async () => {
    const result = await page.evaluate(() => bridge().notify({ title: '', body: 'x', severity: 'hit' }));
    expect(result).toMatchObject({ ok: false, error: expect.stringContaining('Invalid arguments') });
  });

  test('runs a plate query against the drill switch', async () => {
    // F2 opens the plate form, as in the browser end-to-end tests.
    await page.keyboard.press('F2');
    await page.getByLabel('Plate (LIC)').fill('4TRN000');
    await page.getByLabel('State (LIS)').fill('CA');
    await page.getByLabel('State (LIS)').press('Enter');
    // Loose on purpose: the result wording belongs to the renderer; the point is the round trip.
    await expect(page.getByRole('listitem').filter({ hasText: '4TRN000' }).first()).toContainText(/no record|record on file|not on file/i, { timeout: 20_000 });
  });
});

test.describe('a bad agency profile', () => {
  let dir: string;
  test.beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'outrider-profile-'));
  });
  test.afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test('shows which file and which setting are wrong instead of a blank window', async () => {
    const file = path.join(dir, 'agency.json');
    writeFileSync(file, JSON.stringify({ switchUrl: 'https://switch.agency.example', ori: 'CA01' }));
    const app = await launchTerminal(executablePath!, file);
    try {
      const page = await app.firstWindow();
      await expect(page.getByRole('alert')).toContainText('The agency profile is not valid');
      await expect(page.getByRole('alert')).toContainText(file);
      await expect(page.getByRole('alert')).toContainText('ori');
    } finally {
      await app.close();
    }
  });
});
