// In agency mode the terminal opens no CJI without the OS keychain and tells IT what to install; a drill in the
// browser says its data key is protected by this browser profile only. The agency case runs the renderer under
// a stand-in for Electron's preload bridge whose keychain refuses, as safeStorage does with no keyring running.
import { expect, statusBar, test } from './fixtures.ts';

const NO_KEYRING = 'No keyring is running (basic_text would store the key unprotected)';

test('an agency terminal with no keyring shows the cause and what to install, and opens nothing', async ({ page, terminalUrl, drillSwitch }) => {
  await page.addInitScript(
    ({ switchUrl, reason }) => {
      const refuse = async () => ({ ok: false, error: reason });
      const bridge = {
        getConfig: async () => ({ ok: true, value: { switchUrl, mode: 'agency', ori: 'CA0123400', appVersion: 'test', shell: 'electron' } }),
        notify: async () => ({ ok: true, value: undefined }),
        reportUpdateReadiness: async () => ({ ok: true, value: undefined }),
        protectKey: refuse,
        unprotectKey: refuse,
      };
      Object.defineProperty(window, 'outrider', { value: bridge });
    },
    { switchUrl: drillSwitch.url, reason: NO_KEYRING },
  );
  await page.goto(terminalUrl);
  const screen = page.getByRole('alert');
  await expect(screen.getByRole('heading', { level: 1 })).toHaveText('Outrider cannot open stored CJI: no OS keychain');
  await expect(screen).toContainText(NO_KEYRING);
  await expect(screen).toContainText('install libsecret and a Secret Service keyring');
  await expect(page.getByRole('button', { name: 'I understand and consent' })).toHaveCount(0);
  await page.screenshot({ path: test.info().outputPath('keychain-missing.png'), fullPage: true });
  // No data key was made, so nothing could have been sealed under a weaker one.
  const keys = await page.evaluate(
    () =>
      new Promise<number>((resolve) => {
        const request = indexedDB.open('outrider-keys');
        request.onsuccess = () => {
          const idb = request.result;
          if (!idb.objectStoreNames.contains('keys')) return resolve(0);
          const count = idb.transaction('keys').objectStore('keys').count();
          count.onsuccess = () => resolve(count.result);
        };
      }),
  );
  expect(keys).toBe(0);
});

test('a drill in the browser says its data key is protected by this browser profile only', async ({ terminal: page }) => {
  await expect(statusBar(page)).toContainText('Data key: this browser profile only');
  await page.screenshot({ path: test.info().outputPath('status-data-key.png') });
});
