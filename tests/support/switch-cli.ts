// The switch CLI as a test runs it: a real process (the bundle the run built, else `node --import tsx
// src-switch/cli.ts`) in a temp folder of its own per test, stopped and cleared after each.
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { switchCommand } from '../../scripts/switch-bundle.ts';
import { afterEach, beforeEach } from 'vitest';

/**
 * Registers the hooks that give each test of the file a fresh folder and stop the switch it started. `folder()`
 * is the current test's folder; `spawnSwitch(args)` starts the CLI with a small data set, its data folder inside it.
 */
export function switchCliSandbox(prefix: string) {
  let dir = '';
  let child: ChildProcess | undefined;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), prefix));
  });
  afterEach(async () => {
    if (child && child.exitCode === null && child.signalCode === null) {
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      await exited;
    }
    child = undefined;
    rmSync(dir, { recursive: true, force: true });
  });
  return {
    folder: () => dir,
    spawnSwitch(args: readonly string[]): ChildProcess {
      child = spawn(process.execPath, [...switchCommand(), '--port', '0', '--data-size', '50', '--data-dir', join(dir, 'data'), ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
      return child;
    },
  };
}
