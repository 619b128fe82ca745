// `npm start` where Electron cannot run: one line saying why, then the terminal in a browser, signed in from the hint.
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { DRILL_OFFICERS } from '../../src-switch/auth/drill-officers.ts';
import { expect, fillSignIn, statusBar, test } from './fixtures.ts';

// The script `npm start` runs once its build is done: the tests' build step (or OUTRIDER_RENDERER_DIR's) is reused.
const START = fileURLToPath(new URL('../../scripts/start.ts', import.meta.url));

interface Started {
  child: ChildProcess;
  /** Resolves with every line printed so far once a line matches `last`; rejects if the script exits first. */
  linesUntil(last: RegExp): Promise<string[]>;
  exit: Promise<{ code: number | null; stderr: string }>;
}

let running: ChildProcess | undefined;
test.afterEach(async () => {
  if (running && running.exitCode === null && running.signalCode === null) {
    const exited = once(running, 'exit');
    running.kill('SIGTERM');
    await exited;
  }
});

/** Runs the start script as `npm start` does after its build, with Electron turned off the way a user can. */
function startScript(args: string[]): Started {
  const child = spawn(process.execPath, ['--import', 'tsx', START, ...args], {
    env: { ...process.env, OUTRIDER_NO_ELECTRON: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running = child;
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exit = once(child, 'exit').then(([code]) => ({ code: code as number | null, stderr }));
  const linesUntil = (last: RegExp) =>
    new Promise<string[]>((resolve, reject) => {
      const check = () => {
        const lines = stdout.split('\n').slice(0, -1);
        if (lines.some((line) => last.test(line))) resolve(lines);
      };
      child.stdout!.on('data', check);
      check();
      void exit.then(() => reject(new Error(`The start script exited before printing ${last}: ${stdout}${stderr}`)));
    });
  return { child, linesUntil, exit };
}

test('npm start serves the terminal to a browser where Electron cannot run, and the hint signs in', async ({ page }) => {
  const start = startScript(['--port', '0']);
  const lines = await start.linesUntil(/^Press Ctrl-C/);

  // Why, in one line, and then what `npm run start:web` prints.
  expect(lines[0]).toBe('Electron cannot start: OUTRIDER_NO_ELECTRON is set. Serving the terminal to a browser instead.');
  expect(lines[1]).toMatch(/^Outrider drill switch: http:\/\/127\.0\.0\.1:\d+$/);
  const terminalUrl = lines.find((line) => line.startsWith('Outrider web terminal: '))?.slice('Outrider web terminal: '.length);
  expect(terminalUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  const hints = lines.filter((line) => line.startsWith('Drill sign-in:'));
  expect(hints).toHaveLength(1);
  const [, officerId, password, codeFor] = /^Drill sign-in: officer (\S+), password (\S+), code: npm run drill-code -- (\S+)$/.exec(hints[0]!) ?? [];
  expect(codeFor).toBe(officerId);
  const officer = DRILL_OFFICERS.find((candidate) => candidate.id === officerId);
  expect(officer, `the hint names a training officer: ${hints[0]}`).toBeDefined();

  await page.goto(terminalUrl!);
  await page.getByRole('button', { name: 'I understand and consent' }).click();
  await fillSignIn(page, officer!, password!);
  await expect(statusBar(page)).toContainText('Link: Online');

  // Ctrl-C (here SIGTERM) stops the terminal and its switch, and the script ends cleanly.
  const switchUrl = lines[1]!.slice('Outrider drill switch: '.length);
  start.child.kill('SIGTERM');
  expect((await start.exit).code).toBe(0);
  await expect(fetch(switchUrl)).rejects.toThrow();
});

test('npm start -- --electron refuses to fall back and exits non-zero with the reason', async () => {
  const start = startScript(['--electron']);
  const { code, stderr } = await start.exit;
  expect(code).not.toBe(0);
  expect(stderr.trim()).toBe('Outrider cannot start in Electron: OUTRIDER_NO_ELECTRON is set.');
});
