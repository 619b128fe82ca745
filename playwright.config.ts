// End-to-end tests in real Chromium against the real switch process; Electron tests where a binary exists.
import { defineConfig } from '@playwright/test';
import { CHROMIUM_ARGS, chromiumExecutable } from './tests/support/chromium.ts';

const executablePath = chromiumExecutable();

export default defineConfig({
  // The switch processes the tests start run its bundle, built once here from the current sources.
  globalSetup: './tests/setup/switch-bundle.setup.ts',
  timeout: 60_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 2,
  // One retry: these machines are shared and noisy. Playwright still reports a test that needed it as "flaky",
  // so a race shows up in the output instead of being hidden; a test that fails twice fails the run.
  retries: 1,
  reporter: process.env.CI ? [['list']] : [['list']],
  projects: [
    // Installs Playwright's Chromium where no other is found; once, and not for the Electron tests.
    { name: 'chromium', testDir: 'tests/setup', testMatch: /chromium\.setup\.ts$/, retries: 0, timeout: 10 * 60_000, outputDir: 'test-results/setup' },
    {
      name: 'e2e',
      testDir: 'tests/e2e',
      // Each project keeps what its failures leave in a folder of its own: `npm test` runs test:electron after
      // test:e2e, and Playwright empties a project's output folder as it starts.
      outputDir: 'test-results/e2e',
      dependencies: ['chromium'],
      use: {
        browserName: 'chromium',
        launchOptions: { args: CHROMIUM_ARGS, ...(executablePath ? { executablePath } : {}) },
        viewport: { width: 1366, height: 768 },
        // A failed test keeps its trace: actions, console and network (what the far end answered, and when). Not the
        // DOM snapshots and screencast: recording them for every test cost a fifth of the run (two files on two
        // workers: 87-99 s with them, 73 s without, 70-80 s with no trace at all). The failure's screenshot and the
        // page's accessibility tree (error-context.md) show the end state; `--trace retain-on-failure` records it all.
        trace: { mode: 'retain-on-failure', screenshots: false, snapshots: false, sources: true },
        screenshot: 'only-on-failure',
      },
    },
    { name: 'electron', testDir: 'tests/electron', outputDir: 'test-results/electron' },
  ],
});
