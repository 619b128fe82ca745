// A Chromium process the test owns, so it can be killed outright (SIGKILL) like a car losing power.
import { chromium, type Browser } from '@playwright/test';
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { CHROMIUM_ARGS, chromiumExecutable } from './chromium.ts';

export interface KillableChromium {
  browser: Browser;
  kill(): Promise<void>;
}

/** Launches Chromium on a persistent profile directory and connects Playwright to it over CDP. */
export async function launchKillable(profileDir: string): Promise<KillableChromium> {
  const executable = chromiumExecutable() ?? chromium.executablePath();
  const child: ChildProcess = spawn(executable, [...CHROMIUM_ARGS, '--headless', `--user-data-dir=${profileDir}`, '--remote-debugging-port=0', 'about:blank'], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const endpoint = await new Promise<string>((resolve, reject) => {
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      const match = /DevTools listening on (ws:\/\/\S+)/.exec(stderr);
      if (match) resolve(match[1]!);
    });
    child.once('exit', (code) => reject(new Error(`Chromium exited (${code}) before it listened: ${stderr.slice(-500)}`)));
  });
  // If the process that launched it ends first (a test worker torn down by an uncaught error), so does Chromium.
  const orphaned = () => child.kill('SIGKILL');
  process.once('exit', orphaned);
  child.once('exit', () => process.off('exit', orphaned));
  const browser = await chromium.connectOverCDP(endpoint);
  return {
    browser,
    kill: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = once(child, 'exit');
      child.kill('SIGKILL');
      await exited;
    },
  };
}
