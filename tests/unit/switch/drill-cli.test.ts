// `npm run switch -- --drill FILE`: a real switch process refuses a bad drill file and reports on a good one.
import { once } from 'node:events';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DrillReport } from '../../../src-shared/drill.ts';
import { switchCliSandbox } from '../../support/switch-cli.ts';

const sandbox = switchCliSandbox('outrider-drill-');

function writeDrill(name: string, drill: object): string {
  const file = join(sandbox.folder(), name);
  writeFileSync(file, JSON.stringify(drill));
  return file;
}

/** Starts the switch CLI with a small data set; `output` resolves when stdout has matched `until`. */
function runSwitch(args: string[]) {
  const spawned = sandbox.spawnSwitch(args);
  let stdout = '';
  let stderr = '';
  spawned.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  spawned.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exit = once(spawned, 'exit').then(([code]) => ({ code: code as number | null, stdout, stderr }));
  const printed = (until: RegExp) =>
    new Promise<string>((resolve, reject) => {
      const check = () => (until.test(stdout) ? resolve(stdout) : undefined);
      spawned.stdout!.on('data', check);
      check();
      void exit.then(() => reject(new Error(`The switch exited before printing ${until}: ${stderr}`)));
    });
  return { process: spawned, exit, printed };
}

describe('the switch CLI with --drill', () => {
  it('exits 2 on a bad drill file, naming the bad entry, without starting', async () => {
    const steps = [{ at: 0, set: { latencyMs: 100 } }, { at: 5, set: { outage: true } }, { at: 10, set: { outage: false } }, { at: 20, set: { lossPercent: 150 } }];
    const file = writeDrill('bad.json', { name: 'Bad', description: 'Has a bad step', durationSeconds: 60, steps });
    const { code, stdout, stderr } = await runSwitch(['--drill', file]).exit;
    expect(code).toBe(2);
    expect(stderr).toContain(`--drill ${file} is not a valid drill: steps[3].set.lossPercent: must be 0 to 100`);
    expect(stdout).not.toContain('Outrider switch listening');
  });

  it('exits 2 when the drill file cannot be read', async () => {
    const { code, stderr } = await runSwitch(['--drill', join(sandbox.folder(), 'missing.json')]).exit;
    expect(code).toBe(2);
    expect(stderr).toContain('--drill: cannot read');
  });

  it('plays a drill, still printing the lines the app parses, and writes the report and its drawing when it ends', async () => {
    const file = writeDrill('short.json', { name: 'Short', description: 'Over in a second', durationSeconds: 1, steps: [{ at: 0, set: { lossPercent: 10 } }] });
    const reportFile = join(sandbox.folder(), 'report.json');
    const run = runSwitch(['--drill', file, '--report', reportFile]);
    const stdout = await run.printed(/Drill report drawing written to .*\n/);
    expect(stdout).toMatch(/^Outrider switch listening on http:\/\/127\.0\.0\.1:\d+\nOutrider switch admin on http:\/\/127\.0\.0\.1:\d+\n/);
    expect(stdout).toContain('Drill "Short" 0:00 steps[0]: loss 10%');
    expect(stdout).toContain('Drill "Short" ended');
    expect(DrillReport.parse(JSON.parse(readFileSync(reportFile, 'utf8')))).toMatchObject({ drill: 'Short', state: 'ended' });
    // Beside the JSON, same name: the drawing an instructor debriefs from, with the drill's one loss step on it.
    const drawingFile = join(sandbox.folder(), 'report.svg');
    expect(stdout).toContain(`Drill report drawing written to ${drawingFile}`);
    const drawing = readFileSync(drawingFile, 'utf8');
    expect(drawing).toMatch(/^<\?xml version="1\.0" encoding="UTF-8"\?>\n<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    expect(drawing).toContain('<title id="drill-report-title">Drill report: Short</title>');
    expect(drawing).toContain('<title>Loss 10%, 0:00 to 0:01</title>');
  });

  it('writes a stopped drill report when Ctrl-C ends the switch mid-drill', async () => {
    const file = writeDrill('long.json', { name: 'Long', description: 'Outlasts the test', durationSeconds: 300, steps: [{ at: 0, set: { jitterMs: 10 } }] });
    const reportFile = join(sandbox.folder(), 'report.json');
    const run = runSwitch(['--drill', file, '--report', reportFile]);
    await run.printed(/Drill "Long" started/);
    run.process.kill('SIGINT');
    const { code, stdout } = await run.exit;
    expect(code).toBe(0);
    expect(stdout).toContain('Drill "Long" stopped');
    expect(DrillReport.parse(JSON.parse(readFileSync(reportFile, 'utf8')))).toMatchObject({ drill: 'Long', state: 'stopped' });
  });
});
