// The end-to-end tests' Chromium on a fresh machine: found, or installed once and said so, or a stop with the fix.
import { describe, expect, it } from 'vitest';
import { chromiumFixCommand, type ChromiumInstall, ensureChromium } from '../../support/chromium.ts';

/** A machine with `system` (or none), Playwright's Chromium at an existing path once `installs` has run. */
function machine(options: { system?: string; installs: boolean; alreadyInstalled?: boolean }) {
  const existing = process.execPath;
  const calls = { install: 0, log: [] as string[] };
  let installed = options.alreadyInstalled ?? false;
  const how: ChromiumInstall = {
    system: () => options.system,
    playwrightExecutable: () => (installed ? existing : '/nonexistent/playwright/chromium'),
    install: () => {
      calls.install++;
      installed = options.installs;
      return options.installs;
    },
    log: (line) => calls.log.push(line),
  };
  return { how, calls, existing };
}

describe('the Chromium the end-to-end tests drive', () => {
  it("is CHROMIUM_PATH or Debian's when the machine has one, and nothing is installed", () => {
    const { how, calls } = machine({ system: '/usr/bin/chromium', installs: true });
    expect(ensureChromium(how)).toBe('/usr/bin/chromium');
    expect(calls).toEqual({ install: 0, log: [] });
  });

  it("is Playwright's own once installed, and is not installed again", () => {
    const { how, calls, existing } = machine({ installs: true, alreadyInstalled: true });
    expect(ensureChromium(how)).toBe(existing);
    expect(calls.install).toBe(0);
  });

  it('is installed on a fresh machine, saying so', () => {
    const { how, calls, existing } = machine({ installs: true });
    expect(ensureChromium(how)).toBe(existing);
    expect(calls.install).toBe(1);
    expect(calls.log).toEqual([expect.stringContaining("installing Playwright's own")]);
  });

  it('stops at once with the one command that fixes it when the download is impossible', () => {
    const { how, calls } = machine({ installs: false });
    expect(() => ensureChromium(how)).toThrow(`Fix it with: ${chromiumFixCommand()}`);
    expect(calls.install).toBe(1);
    expect(chromiumFixCommand('linux')).toBe('sudo apt-get install -y chromium');
    expect(chromiumFixCommand('darwin')).toBe('npx playwright install chromium');
  });
});
