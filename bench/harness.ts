// What every figure runs against: the real switch process, the browser build served on loopback,
// Chromium, and the baseline page. Started once per bench run, stopped at the end.
import { type Browser, type BrowserContext, chromium, type Page } from '@playwright/test';
import { build } from 'esbuild';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SwitchProcess } from '../scripts/switch-process.ts';
import { serveTerminal } from '../scripts/web-server.ts';
import { enter } from '../tests/support/sign-in.ts';
import { CHROMIUM_ARGS, chromiumExecutable } from '../tests/support/chromium.ts';
// The page-side APIs the figures call (window.__benchProbe, window.baseline), declared by their own files.
export type { BaselinePage } from './probes/baseline-page.ts';
export type { TerminalProbe } from './probes/terminal-probe.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const PROBES = fileURLToPath(new URL('./probes/', import.meta.url));

/** tsx names every function it compiles with a `__name` helper the page does not have: make it a no-op there. */
export const NAME_SHIM = 'globalThis.__name = globalThis.__name || ((fn) => fn);';

export interface Bench {
  browser: Browser;
  /** The reference switch with instant sources (--latency-scale 0), so link conditions alone set the round trip. */
  drillSwitch: SwitchProcess;
  terminalUrl: string;
  baselineUrl: string;
  browserVersion: string;
  /** The browser build served again, pointed at another address for the switch (a relay in front of it). */
  serveTerminalFor(switchUrl: string): Promise<{ url: string; close(): Promise<void> }>;
  log(message: string): void;
  close(): Promise<void>;
}

/** The browser build to drive: the one named, else dist/renderer when built, else a fresh build in a temp dir. */
export async function rendererDir(named: string | undefined, log: (message: string) => void): Promise<{ dir: string; temporary: boolean }> {
  if (named) {
    if (!existsSync(join(named, 'index.html'))) throw new Error(`--renderer ${named} holds no index.html: build it first`);
    return { dir: named, temporary: false };
  }
  const dist = join(ROOT, 'dist/renderer');
  if (existsSync(join(dist, 'index.html'))) return { dir: dist, temporary: false };
  const dir = await mkdtemp(join(tmpdir(), 'outrider-bench-renderer-'));
  log(`Building the renderer into ${dir}`);
  await run('npx', ['vite', 'build', '--logLevel', 'warn'], { ...process.env, OUTRIDER_RENDERER_DIR: dir });
  return { dir, temporary: true };
}

function run(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: ROOT, env, stdio: ['ignore', 'inherit', 'inherit'] });
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${command} ${args.join(' ')} exited ${code}`))));
  });
}

/** Bundles the baseline page and its service worker (Workbox inside) into `dir`, with an index page. */
async function buildBaseline(dir: string): Promise<void> {
  await build({
    entryPoints: { page: join(PROBES, 'baseline-page.ts'), sw: join(PROBES, 'baseline-worker.ts'), 'floor-worker': join(PROBES, 'floor-worker.ts') },
    bundle: true,
    format: 'iife',
    target: 'chrome120',
    outdir: dir,
    logLevel: 'warning',
    // A production build, as Workbox's users ship it: no development logging or assertions.
    define: { 'process.env.NODE_ENV': '"production"' },
  });
  // A plate and a state field, as the terminal's plate form has: the enqueue baselines are typed and entered too.
  await writeFile(
    join(dir, 'index.html'),
    '<!doctype html><meta charset="utf-8"><title>Baseline</title><script src="./page.js"></script>' +
      '<label>Plate <input id="lic"></label> <label>State <input id="lis"></label>',
  );
}

/** The terminal probe as one script to run before the app (see probes/terminal-probe.ts). */
async function terminalProbe(): Promise<string> {
  const result = await build({ entryPoints: [join(PROBES, 'terminal-probe.ts')], bundle: true, format: 'iife', target: 'chrome120', write: false, logLevel: 'warning' });
  return result.outputFiles[0]!.text;
}

const TYPES: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8' };

/** A tiny static server for the baseline page: its own origin, no CSP, like a page a Workbox user writes. */
async function serveStatic(dir: string): Promise<{ server: Server; url: string }> {
  const server = createServer(async (request, response) => {
    const name = (request.url ?? '/').split('?')[0] === '/' ? 'index.html' : (request.url ?? '').split('?')[0]!.slice(1);
    const type = TYPES[name.slice(name.lastIndexOf('.'))];
    if (!/^[\w.-]+$/.test(name) || !type) return void response.writeHead(404).end();
    const body = await readFile(join(dir, name)).catch(() => undefined);
    if (!body) return void response.writeHead(404).end();
    response.writeHead(200, { 'Content-Type': type, 'Cache-Control': 'no-cache' }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  return { server, url: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}` };
}

const closeServer = (server: Server) => new Promise<void>((resolve) => server.close(() => resolve()));

let probeScript: Promise<string> | undefined;

/** A fresh browser profile (its own IndexedDB) with the name shim, and the terminal probe when asked. */
export async function newContext(bench: Bench, withProbe: boolean): Promise<BrowserContext> {
  const context = await bench.browser.newContext();
  await context.addInitScript({ content: NAME_SHIM });
  if (withProbe) await context.addInitScript({ content: await (probeScript ??= terminalProbe()) });
  return context;
}

/**
 * A Chromium of its own (the same executable and arguments) whose one profile is kept on disk, in a temp dir
 * that `close` removes: where a figure depends on what reaching the disk costs. A context from `newContext` is
 * off the record and keeps IndexedDB in memory, where a strict commit costs what a relaxed one does (as it
 * would not in the terminal's own profile).
 */
export async function launchOnDisk(): Promise<{ context: BrowserContext; close(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'outrider-bench-profile-'));
  const executablePath = chromiumExecutable();
  const context = await chromium.launchPersistentContext(dir, { ...(executablePath ? { executablePath } : {}), args: CHROMIUM_ARGS });
  await context.addInitScript({ content: NAME_SHIM });
  return {
    context,
    async close() {
      await context.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

export interface TerminalOptions {
  /** Where the terminal is served; the bench's own by default. */
  url?: string;
  /**
   * False refuses the stolen-plate hotlist, for a figure about the live answer: with it, a training hit queued
   * while the link is down pops a POSSIBLE HIT before the switch has answered.
   */
  hotlist?: boolean;
}

/** The terminal loaded in a fresh profile, or in a page of `onDisk` (launchOnDisk), and showing a live link. */
export async function openTerminal(bench: Bench, onDisk?: BrowserContext, { url = bench.terminalUrl, hotlist = true }: TerminalOptions = {}): Promise<{ context: BrowserContext; page: Page }> {
  const context = onDisk ?? (await newContext(bench, true));
  const page = await context.newPage();
  if (!hotlist) await page.route('**/v1/hotlist*', (route) => route.abort('blockedbyclient'));
  if (onDisk) await page.addInitScript({ content: await (probeScript ??= terminalProbe()) });
  await page.goto(url);
  await enter(page);
  await page.getByRole('status', { name: 'Terminal status' }).getByText('Link: Online').waitFor();
  return { context, page };
}

/** The baseline page (its own origin), in a fresh profile or in a page of `onDisk` (launchOnDisk). */
export async function openBaseline(bench: Bench, onDisk?: BrowserContext): Promise<{ context: BrowserContext; page: Page }> {
  const context = onDisk ?? (await newContext(bench, false));
  const page = await context.newPage();
  await page.goto(bench.baselineUrl);
  await page.waitForFunction(() => 'baseline' in window);
  return { context, page };
}

export async function startBench(options: { renderer?: string; log: (message: string) => void }): Promise<Bench> {
  const { log } = options;
  const renderer = await rendererDir(options.renderer, log);
  const baselineDir = await mkdtemp(join(tmpdir(), 'outrider-bench-baseline-'));
  await buildBaseline(baselineDir);
  const drillSwitch = new SwitchProcess(0, ['--latency-scale', '0']);
  await drillSwitch.start();
  const serveFor = (switchUrl: string) => serveTerminal({ root: renderer.dir, port: 0, config: { switchUrl, mode: 'drill', appVersion: 'bench', shell: 'web' } });
  const terminal = await serveFor(drillSwitch.url);
  const baseline = await serveStatic(baselineDir);
  const executablePath = chromiumExecutable();
  const browser = await chromium.launch({ ...(executablePath ? { executablePath } : {}), args: CHROMIUM_ARGS });
  log(`Chromium ${browser.version()}, switch ${drillSwitch.url}, terminal ${terminal.url} (renderer ${renderer.dir})`);
  return {
    browser,
    drillSwitch,
    terminalUrl: terminal.url,
    baselineUrl: baseline.url,
    browserVersion: browser.version(),
    async serveTerminalFor(switchUrl) {
      const { server, url } = await serveFor(switchUrl);
      return { url, close: () => closeServer(server) };
    },
    log,
    async close() {
      await browser.close();
      await Promise.all([closeServer(terminal.server), closeServer(baseline.server), drillSwitch.stop()]);
      await rm(baselineDir, { recursive: true, force: true });
      if (renderer.temporary) await rm(renderer.dir, { recursive: true, force: true });
    },
  };
}

/** Enters a plate query the way an officer does: type the fields, press Enter. */
export async function enterPlate(page: Page, lic: string, lis = 'CA'): Promise<void> {
  await page.locator('#plate-lic').fill(lic);
  await page.locator('#plate-lis').fill(lis);
  await page.locator('#plate-lis').press('Enter');
}

/** The gap an officer leaves between the last key of the plate and Enter: a fast typist's, between two keys. */
export const PAUSE_BEFORE_ENTER_MS = 100;

/**
 * Puts each value in its field as typing does (focus, the value, an `input` event the form's own handlers hear),
 * the last field left focused for Enter. One round trip for them all: Playwright's `fill` checks each field is
 * visible, enabled and stable first, 50-100 ms a plate on a busy 2-core machine against 10 for this, and the
 * enqueue figure types 2,100 plates. Nothing of it falls in the milliseconds timed, which start at Enter.
 */
async function typeFields(page: Page, fields: ReadonlyArray<readonly [string, string]>): Promise<void> {
  await page.evaluate((pairs) => {
    for (const [selector, value] of pairs) {
      const input = document.querySelector<HTMLInputElement>(selector);
      if (!input) throw new Error(`no field ${selector} to type into`);
      input.focus();
      input.value = value;
      input.dispatchEvent(new InputEvent('input', { bubbles: true, inputType: 'insertText', data: value }));
    }
  }, fields);
}

/**
 * Types `fields` (selector, value) and presses Enter at an officer's pace: the fields typed, a pause, Enter
 * down, and Enter up once `queued` has resolved, as a finger lifts some 50-100 ms after it pressed. `queued`
 * is asked before the pause: its page.evaluate waits in the page, so no command of the harness reaches the
 * browser in the milliseconds timed after Enter, only the key's own. At machine speed (enterPlate) the frame
 * drawing the typed plate, the handling of the key's release and the next command all land inside them,
 * which no officer's typing does.
 */
export async function enterAtOfficerPace(page: Page, fields: ReadonlyArray<readonly [string, string]>, queued: () => Promise<unknown>): Promise<void> {
  // The last entry's key release, sent without waiting for it: it lands before the typing that follows
  // (a round trip less per entry, of some 2,000 in the enqueue figure), and its failure surfaces here.
  await Promise.all([releasing.get(page), typeFields(page, fields)]);
  const waiting = queued();
  // Should the key press fail, the wait's own failure is not left unhandled.
  waiting.catch(() => undefined);
  await sleep(PAUSE_BEFORE_ENTER_MS);
  await page.keyboard.down('Enter');
  await waiting;
  const release = page.keyboard.up('Enter');
  release.catch(() => undefined);
  releasing.set(page, release);
}

/** Each page's Enter release still on its way (enterAtOfficerPace). */
const releasing = new WeakMap<Page, Promise<void>>();

/** A plate entered in the terminal at an officer's pace (enterAtOfficerPace), up to its being the `count`-th query committed. */
export function enterPlateAtOfficerPace(page: Page, lic: string, count: number): Promise<void> {
  return enterAtOfficerPace(
    page,
    [
      ['#plate-lic', lic],
      ['#plate-lis', 'CA'],
    ],
    () => page.evaluate((n) => window.__benchProbe.whenCommits(n), count),
  );
}

/** Waits until the probe has seen `count` enqueue commits in this page. */
export async function waitForCommits(page: Page, count: number): Promise<void> {
  await page.waitForFunction((n) => window.__benchProbe.commits.length >= n, count, { polling: 5 });
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Node's clock on the same epoch scale as a page's performance.timeOrigin + startTime. */
export const epochNow = () => performance.timeOrigin + performance.now();
