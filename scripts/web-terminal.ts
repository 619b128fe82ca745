// The terminal in a browser with its bundled drill switch: `npm run start:web`, and `npm start` where Electron cannot run.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TerminalConfig } from '../src-shared/ipc.ts';
import { drillSignInHint } from '../src-switch/drill/drill-codes.ts';
import { buildSwitchBundle, useBuiltSwitchBundle } from './switch-bundle.ts';
import { SwitchProcess } from './switch-process.ts';
import { serveTerminal } from './web-server.ts';

const projectRoot = fileURLToPath(new URL('..', import.meta.url));

/** Where vite.config.ts writes the renderer; OUTRIDER_RENDERER_DIR lets a test or a benchmark serve its own build. */
export const RENDERER_DIR = process.env.OUTRIDER_RENDERER_DIR ? resolve(process.env.OUTRIDER_RENDERER_DIR) : join(projectRoot, 'dist', 'renderer');

/** The port the browser terminal is served on unless `--port N` says otherwise (Vite's usual one, easy to remember). */
export const DEFAULT_WEB_PORT = 5173;

/** `--port`'s value as a port number; exits 2 naming the bad value. */
export function portOption(text: string): number {
  const port = Number(text);
  if (text.trim() === '' || !Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`--port must be a whole number from 0 to 65535, not "${text}"`);
    process.exit(2);
  }
  return port;
}

/** Vite's production build of the renderer, with its output in this terminal. */
export function buildRenderer(): void {
  console.log('Building the renderer…');
  execFileSync(process.execPath, ['node_modules/vite/bin/vite.js', 'build', '--logLevel', 'warn'], { cwd: projectRoot, stdio: 'inherit' });
}

export interface WebTerminalOptions {
  /** Loopback port for the terminal page; 0 picks a free one. */
  port: number;
  /** Build the renderer first; `npm start` has built everything already. */
  build: boolean;
}

/**
 * Starts the drill switch and serves the terminal for it on 127.0.0.1, printing the addresses and how to sign in,
 * until Ctrl-C stops both. Exits 1, with the reason, when there is no build to serve or the port is taken.
 */
export async function runWebTerminal({ port, build }: WebTerminalOptions): Promise<void> {
  if (build) buildRenderer();
  if (!existsSync(join(RENDERER_DIR, 'index.html'))) {
    console.error(`There is no built terminal in ${RENDERER_DIR}: run \`npm run build:renderer\` first.`);
    process.exit(1);
  }

  // The switch runs as its bundle (it listens in a third of the time the sources take under tsx): built now from
  // the sources, or, told not to build, the one `npm run build` made.
  await (build ? buildSwitchBundle() : useBuiltSwitchBundle());
  const drillSwitch = new SwitchProcess(0);
  const switchUrl = await drillSwitch.start();
  // Before anything is printed: whoever stops us on reading a line (the tests do) must stop the switch too.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      void drillSwitch.stop().then(() => process.exit(0));
    });
  }
  console.log(`Outrider drill switch: ${switchUrl}`);
  // The fragment carries the admin token to the instructor page; browsers never send a fragment anywhere.
  console.log(`Instructor page: ${drillSwitch.adminUrl}/#admin-token=${drillSwitch.adminToken}`);

  const version = (await import('../package.json', { with: { type: 'json' } })).default.version;
  const config: TerminalConfig = { switchUrl, mode: 'drill', appVersion: version, shell: 'web' };
  try {
    const { url } = await serveTerminal({ root: RENDERER_DIR, port, config });
    console.log(`Outrider web terminal: ${url}`);
  } catch (error) {
    console.error(`Cannot serve the terminal on 127.0.0.1:${port}: ${(error as Error).message}. Try --port N.`);
    await drillSwitch.stop();
    process.exit(1);
  }
  const hint = drillSignInHint({ drill: config.mode === 'drill' });
  if (hint) console.log(hint);
  console.log('Press Ctrl-C to stop the terminal and the switch.');
}
