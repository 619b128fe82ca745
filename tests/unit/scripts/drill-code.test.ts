// `npm run drill-code`: the command a trainee runs for a code, as a real child process.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { drillCode } from '../../../src-switch/drill/drill-codes.ts';
import { DRILL_OFFICERS } from '../../../src-switch/auth/drill-officers.ts';

const SCRIPT = fileURLToPath(new URL('../../../scripts/drill-code.ts', import.meta.url));

async function drillCodeCommand(...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string; before: number; after: number }> {
  const before = Date.now();
  const child = spawn(process.execPath, ['--import', 'tsx', SCRIPT, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const [code] = (await once(child, 'exit')) as [number | null];
  return { code, stdout, stderr, before, after: Date.now() };
}

describe('npm run drill-code', () => {
  it("prints the officer's current code and the seconds it has left", async () => {
    const salas = DRILL_OFFICERS.find((officer) => officer.id === 'TRN105')!;
    const { code, stdout, stderr, before, after } = await drillCodeCommand('TRN105');
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const printed = /^TRN105 \(Dep\. R\. Salas\): (\d{6}), (\d+) s left\n$/.exec(stdout);
    expect(printed, stdout).not.toBeNull();
    // The command ran at some moment between these two: its code is the one for the start or the end.
    expect([drillCode(salas, before).code, drillCode(salas, after).code]).toContain(printed![1]);
    expect(Number(printed![2])).toBeGreaterThanOrEqual(1);
    expect(Number(printed![2])).toBeLessThanOrEqual(30);
  });

  it('takes the ID in lower case too', async () => {
    const { code, stdout } = await drillCodeCommand('trn102');
    expect(code).toBe(0);
    expect(stdout).toMatch(/^TRN102 \(Ofc\. M\. Chen\): \d{6}, \d+ s left\n$/);
  });

  it('prints every training officer without an ID', async () => {
    const { code, stdout } = await drillCodeCommand();
    expect(code).toBe(0);
    expect(stdout.trim().split('\n').map((line) => line.split(' ')[0])).toEqual(DRILL_OFFICERS.map((officer) => officer.id));
  });

  it('refuses an unknown ID with exit code 2, listing the training IDs', async () => {
    const { code, stdout, stderr } = await drillCodeCommand('TRN999');
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain('"TRN999" is not a training officer');
    for (const officer of DRILL_OFFICERS) expect(stderr).toContain(officer.id);
  });
});
