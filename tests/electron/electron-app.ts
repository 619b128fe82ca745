// Finds the Electron binary npm installed (never downloading it) and launches the built app with it.
import { _electron as electron, type ElectronApplication } from '@playwright/test';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { profileLocation } from '../../src-main/profile/load-profile.ts';

export const PROJECT_ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** The executable `require('electron')` would return, if it is on disk; looking never triggers the download. */
export function electronBinary(): string | undefined {
  let packageDir: string;
  try {
    packageDir = path.dirname(createRequire(import.meta.url).resolve('electron/package.json'));
  } catch {
    return undefined;
  }
  const pathFile = path.join(packageDir, 'path.txt');
  if (!existsSync(pathFile)) return undefined;
  const executable = path.join(process.env.ELECTRON_OVERRIDE_DIST_PATH ?? path.join(packageDir, 'dist'), readFileSync(pathFile, 'utf8').trim());
  return existsSync(executable) ? executable : undefined;
}

export const NO_ELECTRON_REASON =
  'Electron binary not installed on this machine (npm downloads it from GitHub); run on a machine where `npm install` could fetch it';

/** An agency profile installed on this machine would put the app in agency mode instead of a drill. */
export function installedProfile(): string | undefined {
  const { path: file } = profileLocation(process.platform, {});
  return existsSync(file) ? file : undefined;
}

const BUILT = ['dist/main/main.cjs', 'dist/main/preload.cjs', 'dist/renderer/index.html', 'dist/switch/switch.cjs'];

/** Launches the built app as `npm start` would; `profile` sets OUTRIDER_PROFILE. */
export async function launchTerminal(executablePath: string, profile?: string): Promise<ElectronApplication> {
  const missing = BUILT.filter((file) => !existsSync(path.join(PROJECT_ROOT, file)));
  if (missing.length > 0) throw new Error(`Build the app first (npm run build): missing ${missing.join(', ')}`);
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(process.env)) if (value !== undefined) env[name] = value;
  delete env.ELECTRON_RUN_AS_NODE;
  delete env.OUTRIDER_PROFILE;
  if (profile) env.OUTRIDER_PROFILE = profile;
  return electron.launch({ executablePath, args: [PROJECT_ROOT], cwd: PROJECT_ROOT, env });
}
