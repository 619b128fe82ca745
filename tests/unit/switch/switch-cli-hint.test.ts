// `npm run switch` tells a newcomer how to sign in to the drill, once, as a real switch process.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { drillSignInHint } from '../../../src-switch/drill/drill-codes.ts';
import { switchCommand } from '../../../scripts/switch-bundle.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'outrider-hint-'));
afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

it('prints the drill sign-in hint once, after the addresses', async () => {
  // What both older and newer switches accept for keeping their state out of the home folder.
  const state = ['--session-key-file', join(dataDir, 'session.key'), '--audit-dir', join(dataDir, 'audit')];
  const child = spawn(process.execPath, [...switchCommand(), '--port', '0', '--data-size', '50', ...state], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  const exited = once(child, 'exit');
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if (stdout.includes('Drill sign-in:') && stdout.endsWith('\n')) resolve();
    });
    void exited.then(() => reject(new Error(`The switch exited before printing the hint: ${stdout}`)));
  });
  child.kill('SIGTERM');
  await exited;
  const lines = stdout.trim().split('\n');
  expect(lines.filter((line) => line.startsWith('Drill sign-in:'))).toEqual([drillSignInHint({ drill: true })]);
  expect(lines.findIndex((line) => line.startsWith('Drill sign-in:'))).toBeGreaterThan(lines.findIndex((line) => line.startsWith('Outrider switch admin on')));
});
