// Which Chromium the end-to-end tests drive: CHROMIUM_PATH, else Debian's /usr/bin/chromium, else Playwright's own,
// which the test setup installs on a machine that has none yet.
import { chromium } from '@playwright/test';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const DEBIAN_CHROMIUM = '/usr/bin/chromium';

export function chromiumExecutable(): string | undefined {
  const override = process.env.CHROMIUM_PATH;
  if (override) {
    if (!existsSync(override)) throw new Error(`CHROMIUM_PATH points at ${override}, which does not exist`);
    return override;
  }
  return existsSync(DEBIAN_CHROMIUM) ? DEBIAN_CHROMIUM : undefined;
}

/** The one command that gives this machine a Chromium when Playwright's cannot be downloaded. */
export function chromiumFixCommand(platform: NodeJS.Platform = process.platform): string {
  return platform === 'linux' ? 'sudo apt-get install -y chromium' : 'npx playwright install chromium';
}

export interface ChromiumInstall {
  /** CHROMIUM_PATH or Debian's Chromium, when this machine has one. */
  system: () => string | undefined;
  /** Playwright's own Chromium, where this Playwright keeps it. */
  playwrightExecutable: () => string;
  /** Runs `npx playwright install chromium`; true when it exited 0. */
  install: () => boolean;
  log: (line: string) => void;
}

const REAL_INSTALL: ChromiumInstall = {
  system: chromiumExecutable,
  playwrightExecutable: () => chromium.executablePath(),
  install: () => spawnSync('npx', ['playwright', 'install', 'chromium'], { stdio: 'inherit', shell: process.platform === 'win32' }).status === 0,
  log: (line) => console.log(line),
};

/**
 * Makes sure the end-to-end tests have a Chromium: CHROMIUM_PATH or Debian's if present, else Playwright's own,
 * downloading it once (and saying so). Where the download is impossible it throws at once with the command
 * that fixes it, rather than letting every test fail on a missing browser.
 */
export function ensureChromium(how: ChromiumInstall = REAL_INSTALL): string {
  const system = how.system();
  if (system) return system;
  const own = how.playwrightExecutable();
  if (existsSync(own)) return own;
  how.log(`No Chromium for the end-to-end tests (CHROMIUM_PATH is not set, ${DEBIAN_CHROMIUM} is absent): installing Playwright's own with npx playwright install chromium`);
  if (how.install() && existsSync(how.playwrightExecutable())) return how.playwrightExecutable();
  throw new Error(`Could not install Playwright's Chromium (no network to its downloads?). Fix it with: ${chromiumFixCommand()}`);
}

/** Flags for a closed network: without them Chromium keeps dialling Google's hosts. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];
