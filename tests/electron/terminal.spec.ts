// Smoke test of the packaged shape: the built app in real Electron, against its own drill switch.
import { expect, type ElectronApplication, type Page, test } from '@playwright/test';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { OutriderBridge } from '../../src-shared/ipc.ts';
import { rawJournal } from '../support/queue-journal.ts';
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

  test('gives the page its bridge calls, through contextBridge, and no Node', async () => {
    const seen = await page.evaluate(() => ({
      bridge: Object.keys(bridge()).sort(),
      // contextBridge hands the page a frozen copy; a non-isolated preload object would be mutable.
      frozen: Object.isFrozen(bridge()),
      require: typeof (globalThis as Record<string, unknown>).require,
      process: typeof (globalThis as Record<string, unknown>).process,
      ipcRenderer: typeof (bridge() as unknown as Record<string, unknown>).ipcRenderer,
    }));
    expect(seen).toEqual({ bridge: ['getConfig', 'getGpsStatus', 'notify', 'onGpsStatus', 'protectKey', 'reportUpdateReadiness', 'unprotectKey'], frozen: true, require: 'undefined', process: 'undefined', ipcRenderer: 'undefined' });
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
    // The query's copy in the queue journal, in the Origin Private File System of app://: there, as in a browser.
    const journal = await rawJournal(page);
    expect(journal.files.length).toBeGreaterThan(0);
    expect(journal.text).not.toContain('4TRN000');
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

/** Writes `profile` as an agency.json in `dir` and returns its path. */
function writeProfile(dir: string, name: string, profile: unknown): string {
  const file = path.join(dir, name);
  writeFileSync(file, typeof profile === 'string' ? profile : JSON.stringify(profile));
  return file;
}

test.describe('profile error screens', () => {
  let dir: string;
  test.beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'outrider-profile-'));
  });
  test.afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const cases = [
    { name: 'misspelt.json', profile: { switchUrl: 'https://switch.agency.example', ori: 'CA0123400', kisok: true }, says: 'unknown setting "kisok"' },
    { name: 'broken.json', profile: '{ "switchUrl": ', says: 'not valid JSON' },
    { name: 'bad-ca.json', profile: { switchUrl: 'https://switch.agency.example', ori: 'CA0123400', caCertificate: '-----BEGIN CERTIFICATE-----\nnope\n-----END CERTIFICATE-----\n' }, says: 'caCertificate' },
  ];
  for (const { name, profile, says } of cases) {
    test(`names the problem in ${name} and connects to nothing`, async () => {
      const file = writeProfile(dir, name, profile);
      const app = await launchTerminal(executablePath!, file);
      try {
        const page = await app.firstWindow();
        await expect(page.getByRole('alert')).toContainText('The agency profile is not valid');
        await expect(page.getByRole('alert')).toContainText(says);
        expect(page.url()).toMatch(/^data:text\/html/);
      } finally {
        await app.close();
      }
    });
  }

  test('says when OUTRIDER_PROFILE names a file that does not exist, instead of running a drill', async () => {
    const app = await launchTerminal(executablePath!, path.join(dir, 'missing.json'));
    try {
      const page = await app.firstWindow();
      await expect(page.getByRole('alert')).toContainText('does not exist');
    } finally {
      await app.close();
    }
  });
});

test.describe('kiosk', () => {
  let dir: string;
  let app: ElectronApplication;
  test.beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'outrider-kiosk-'));
    // Nothing listens on port 9: the shell's behaviour does not depend on reaching the switch.
    const file = writeProfile(dir, 'agency.json', { switchUrl: 'https://127.0.0.1:9', ori: 'CA0123400', kiosk: true });
    app = await launchTerminal(executablePath!, file);
    await (await app.firstWindow()).waitForURL(/^app:\/\/outrider\//);
  });
  test.afterAll(async () => {
    await app?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const windowState = () =>
    app.evaluate(({ BrowserWindow, Menu }) => {
      const win = BrowserWindow.getAllWindows()[0]!;
      return { kiosk: win.isKiosk(), menu: Menu.getApplicationMenu() === null ? 'none' : 'present', minimized: win.isMinimized() };
    });

  test('runs full screen with no menu', async () => {
    expect(await windowState()).toEqual({ kiosk: true, menu: 'none', minimized: false });
  });

  test('comes back to kiosk mode after the machine resumes from sleep', async () => {
    await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows()[0]!.setKiosk(false));
    await app.evaluate(({ powerMonitor }) => powerMonitor.emit('resume'));
    await expect.poll(async () => (await windowState()).kiosk).toBe(true);
  });

  test('comes back from being minimised', async () => {
    await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows()[0]!.minimize());
    await expect.poll(async () => (await windowState()).minimized).toBe(false);
  });
});

test.describe('navigation refused', () => {
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

  for (const [what, href, target] of [
    ['a clicked link', 'https://example.com/', ''],
    ['a link to a new window', 'https://example.com/', '_blank'],
    ['a file:// link', 'file:///etc/passwd', ''],
    ['a data: link', 'data:text/html,<h1>elsewhere</h1>', ''],
  ] as const) {
    test(`stays on the terminal after ${what}`, async () => {
      await page.evaluate(
        ([url, frame]) => {
          const link = document.createElement('a');
          link.href = url;
          if (frame) link.target = frame;
          link.textContent = 'away';
          document.body.append(link);
          link.click();
          link.remove();
        },
        [href, target] as const,
      );
      // The bridge answering proves the same page, on the app origin, is still there.
      expect(await page.evaluate(() => bridge().getConfig().then((result) => result.ok))).toBe(true);
      expect(page.url()).toMatch(/^app:\/\/outrider\//);
      expect(app.windows()).toHaveLength(1);
    });
  }
});
