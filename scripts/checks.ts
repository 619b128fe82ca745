// `npm run checks`: the static half of `npm test` (typecheck, lint, lint:openapi, lint:workflows, build then
// dist:check, security:electron) run side by side, as many at once as the machine has cores (two at least).
// Each is one single-threaded process, so on two cores this takes about half as long as running them in a row.
// A step's output is printed whole when it ends, so the log reads as if they had run one after another.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const scripts = (JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;

interface Step {
  /** What the log calls it: the npm script, and which part of it. */
  name: string;
  /** npm scripts run one after the other (build before dist:check), or one command of a script split into parts. */
  run: { scripts: string[] } | { command: string };
  /** Seconds it took on two cores in December 2026: the longest start first, so no lane is left with a long tail. */
  weight: number;
}

/** `typecheck` is four independent compilers chained with &&: each is a step of its own. */
const typecheckParts = scripts.typecheck!.split(' && ').map((command) => ({ name: `typecheck: ${command.split(' --')[0]}`, run: { command }, weight: command.includes('tests') ? 30 : command.includes('svelte') ? 16 : command.includes('src-main') ? 11 : 20 }));

const STEPS: Step[] = [
  ...typecheckParts,
  { name: 'lint', run: { scripts: ['lint'] }, weight: 23 },
  { name: 'build, then dist:check', run: { scripts: ['build', 'dist:check'] }, weight: 15 },
  { name: 'security:electron', run: { scripts: ['security:electron'] }, weight: 5 },
  { name: 'lint:workflows', run: { scripts: ['lint:workflows'] }, weight: 4 },
  { name: 'lint:openapi', run: { scripts: ['lint:openapi'] }, weight: 2 },
].sort((a, b) => b.weight - a.weight);

/** Runs one command in a shell as npm would (the project's binaries on the PATH); resolves with its exit code and output. */
function runCommand(command: string): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(command, {
      cwd: root,
      shell: true,
      env: { ...process.env, PATH: `${path.join(root, 'node_modules', '.bin')}${path.delimiter}${process.env.PATH ?? ''}` },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', (error) => resolve({ code: 1, output: `${output}${error.message}\n` }));
    child.on('close', (code, signal) => resolve({ code: code ?? 1, output: signal ? `${output}killed by ${signal}\n` : output }));
  });
}

async function runStep(step: Step): Promise<{ code: number; output: string }> {
  if ('command' in step.run) return runCommand(step.run.command);
  let output = '';
  for (const script of step.run.scripts) {
    const result = await runCommand(`npm run ${script}`);
    output += result.output;
    if (result.code !== 0) return { code: result.code, output };
  }
  return { code: 0, output };
}

async function main(): Promise<number> {
  const lanes = Math.max(2, availableParallelism());
  const started = performance.now();
  const waiting = [...STEPS];
  const failed: string[] = [];
  console.log(`Checks: ${STEPS.length} steps, ${lanes} at a time`);
  const lane = async () => {
    // After a failure nothing new starts; what is running finishes, so its output is whole.
    for (let step = waiting.shift(); step && failed.length === 0; step = waiting.shift()) {
      const stepStarted = performance.now();
      const { code, output } = await runStep(step);
      const seconds = ((performance.now() - stepStarted) / 1000).toFixed(1);
      if (code !== 0) failed.push(step.name);
      console.log(`\n${code === 0 ? '✔' : '✘'} ${step.name} (${seconds} s${code === 0 ? '' : `, exit ${code}`})`);
      if (output.trim()) console.log(output.trimEnd());
    }
  };
  await Promise.all(Array.from({ length: lanes }, lane));
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  if (failed.length > 0) {
    const skipped = waiting.length > 0 ? `; not started: ${waiting.map((step) => step.name).join(', ')}` : '';
    console.error(`\nChecks failed in ${seconds} s: ${failed.join(', ')}${skipped}`);
    return 1;
  }
  console.log(`\nChecks passed in ${seconds} s`);
  return 0;
}

process.exitCode = await main();
