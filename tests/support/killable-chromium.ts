// A Chromium process the test owns, so it can be killed outright (SIGKILL) like a car losing power.
import { chromium, type Browser } from '@playwright/test';
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { CHROMIUM_ARGS, chromiumExecutable } from './chromium.ts';

export interface KillableChromium {
  browser: Browser;
  kill(): Promise<void>;
  /**
   * What this Chromium has logged so far about IndexedDB corruption: a store it found damaged as it opened it,
   * which it deletes and starts empty ("IndexedDB recovering from a corrupted (and deleted) database").
   */
  storageCorruption(): string[];
}

/**
 * Whether a line of Chromium's log (--enable-logging=stderr) says it found an IndexedDB store corrupt; the line
 * without its bracketed prefix (process, thread, time, level and source) if so.
 */
export function storageCorruptionIn(line: string): string | undefined {
  return /indexed_db.*corrupt/i.test(line) ? line.replace(/^\[[^\]]*\]\s*/, '') : undefined;
}

/** Launches Chromium on a persistent profile directory and connects Playwright to it over CDP. */
export async function launchKillable(profileDir: string): Promise<KillableChromium> {
  const executable = chromiumExecutable() ?? chromium.executablePath();
  // Its errors go to stderr, so that a store it deletes as corrupt after a kill is known, and said, not guessed at.
  const child: ChildProcess = spawn(executable, [...CHROMIUM_ARGS, '--headless', '--enable-logging=stderr', '--log-level=2', `--user-data-dir=${profileDir}`, '--remote-debugging-port=0', 'about:blank'], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  // One reader for its log: the DevTools address it listens on, the corruption it reports, the last lines for an
  // early exit's message.
  const corruption: string[] = [];
  let tail: string[] = [];
  const endpoint = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stderr! }).on('line', (line) => {
      const corrupt = storageCorruptionIn(line);
      if (corrupt !== undefined) corruption.push(corrupt);
      tail = [...tail.slice(-9), line];
      const match = /DevTools listening on (ws:\/\/\S+)/.exec(line);
      if (match) resolve(match[1]!);
    });
    child.once('exit', (code) => reject(new Error(`Chromium exited (${code}) before it listened: ${tail.join('\n').slice(-500)}`)));
  });
  // If the process that launched it ends first (a test worker torn down by an uncaught error), so does Chromium.
  const orphaned = () => child.kill('SIGKILL');
  process.once('exit', orphaned);
  child.once('exit', () => process.off('exit', orphaned));
  const browser = await chromium.connectOverCDP(endpoint);
  return {
    browser,
    storageCorruption: () => [...corruption],
    kill: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = once(child, 'exit');
      child.kill('SIGKILL');
      await exited;
    },
  };
}
