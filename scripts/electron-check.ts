// Whether Electron can run the app on this machine, found out before launching so `npm start` can say why not.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

type Env = Readonly<Record<string, string | undefined>>;

/** Set (to anything) to serve the terminal to a browser even where Electron could run. */
export const NO_ELECTRON_ENV = 'OUTRIDER_NO_ELECTRON';

/** A freshly downloaded binary answers `--version` in well under a second; a hung one must not hold `npm start`. */
const PROBE_TIMEOUT_MS = 15_000;

/**
 * The executable `require('electron')` would return, if it is on disk. Looking never starts a download:
 * `require('electron')` retries it, which on a machine that cannot reach GitHub only prints a stack trace.
 */
export function installedElectron(env: Env = process.env): string | undefined {
  let packageDir: string;
  try {
    packageDir = dirname(createRequire(import.meta.url).resolve('electron/package.json'));
  } catch {
    return undefined;
  }
  const pathFile = join(packageDir, 'path.txt');
  if (!existsSync(pathFile)) return undefined;
  const executable = join(env.ELECTRON_OVERRIDE_DIST_PATH ?? join(packageDir, 'dist'), readFileSync(pathFile, 'utf8').trim());
  return existsSync(executable) ? executable : undefined;
}

export interface ElectronHost {
  env: Env;
  platform: NodeJS.Platform;
  /** The installed binary, if any (`installedElectron()`). */
  executable: string | undefined;
}

/** Why Electron cannot run on this host, as the end of a sentence; undefined when nothing visible stops it. */
export function electronBlocker({ env, platform, executable }: ElectronHost): string | undefined {
  if (env[NO_ELECTRON_ENV]) return `${NO_ELECTRON_ENV} is set`;
  if (!executable) return 'its binary is not installed (npm could not download it; `npx install-electron` tries again)';
  // X11 and Wayland are the only ways Electron draws a window on Linux; a server or an SSH session has neither.
  if (platform === 'linux' && !env.DISPLAY && !env.WAYLAND_DISPLAY) return 'there is no display here (neither DISPLAY nor WAYLAND_DISPLAY is set)';
  return undefined;
}

/** Runs the binary once as plain Node: a fresh Linux often lacks a shared library Electron needs (libnss3, libgtk-3). */
function runProblem(executable: string, env: Env): string | undefined {
  const probe = spawnSync(executable, ['--version'], { env: { ...env, ELECTRON_RUN_AS_NODE: '1' }, encoding: 'utf8', timeout: PROBE_TIMEOUT_MS });
  if (probe.status === 0) return undefined;
  const said = (probe.stderr ?? '').trim().split('\n')[0] || probe.error?.message || `exit code ${probe.status}`;
  return `its binary does not run here (${said})`;
}

export type ElectronCheck = { ok: true; executable: string } | { ok: false; reason: string };

/** Whether `npm start` can launch Electron here: the installed binary, or the reason it cannot. */
export function checkElectron(env: Env = process.env, platform: NodeJS.Platform = process.platform): ElectronCheck {
  const executable = installedElectron(env);
  const blocker = electronBlocker({ env, platform, executable });
  if (blocker || !executable) return { ok: false, reason: blocker ?? 'its binary is not installed' };
  const problem = runProblem(executable, env);
  return problem ? { ok: false, reason: problem } : { ok: true, executable };
}
