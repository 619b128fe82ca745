// The drill switch as one CommonJS file (`dist/switch/switch.cjs`): what installers ship, and what the tests and
// benchmarks run. Started from the bundle a switch listens in about a third of the time it takes under tsx, which
// transpiles every source file in the switch and again in its supervised child.
import { build, type BuildOptions } from 'esbuild';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

/** Set by the test and benchmark runs once they have built the bundle: SwitchProcess then runs it instead of tsx. */
export const SWITCH_BUNDLE_ENV = 'OUTRIDER_SWITCH_BUNDLE';

/** Electron 45 runs Node 22 in its main and utility processes; Node 20 runs what this target emits too. */
export const NODE_TARGET = 'node22';

/** What every bundle of `npm run build:main` shares, the switch's included. */
export const BUNDLE_COMMON = {
  absWorkingDir: root,
  bundle: true,
  format: 'cjs',
  // No source maps: they would put the source inside installers (dist:check refuses them).
  sourcemap: false,
  legalComments: 'none',
  logLevel: 'warning',
  metafile: true,
  define: { 'process.env.NODE_ENV': '"production"' },
} satisfies BuildOptions;

/**
 * Everything, fastify included, goes into the one file: the installed app ships no node_modules. The database
 * engines stay outside: the app's drill switch runs `--store memory` and never loads them. A CommonJS bundle has
 * no import.meta: the switch finds shipped drive routes from __dirname there.
 */
export const SWITCH_BUNDLE_OPTIONS = {
  ...BUNDLE_COMMON,
  define: { ...BUNDLE_COMMON.define, 'import.meta.url': 'undefined' },
  entryPoints: ['src-switch/cli.ts'],
  // Two folders below the project, so shipped drills are found from its __dirname (drive-route.ts).
  outfile: 'dist/switch/switch.cjs',
  platform: 'node',
  target: NODE_TARGET,
  external: ['libsql', 'pg'],
} satisfies BuildOptions;

/** Where the bundle is. */
export const SWITCH_BUNDLE = join(root, SWITCH_BUNDLE_OPTIONS.outfile);

/**
 * Builds the bundle from the sources as they are now and puts it in place in one rename, so a switch starting
 * meanwhile (a second test run on the same checkout) reads either the old file or the new one, never half of one.
 * Sets SWITCH_BUNDLE_ENV for this process and the workers it starts. Returns the bundle's path.
 */
export async function buildSwitchBundle(): Promise<string> {
  const result = await build({ ...SWITCH_BUNDLE_OPTIONS, write: false });
  const [output] = result.outputFiles;
  if (!output) throw new Error('esbuild wrote no switch bundle');
  const partial = `${SWITCH_BUNDLE}.${randomBytes(4).toString('hex')}.partial`;
  mkdirSync(dirname(SWITCH_BUNDLE), { recursive: true });
  try {
    writeFileSync(partial, output.contents);
    renameSync(partial, SWITCH_BUNDLE);
  } finally {
    rmSync(partial, { force: true });
  }
  process.env[SWITCH_BUNDLE_ENV] = SWITCH_BUNDLE;
  return SWITCH_BUNDLE;
}

/**
 * Runs the bundle already built (by `npm run build`, which `npm start` runs first) if there is one, else builds it:
 * for a run told not to build.
 */
export async function useBuiltSwitchBundle(): Promise<string> {
  if (!existsSync(SWITCH_BUNDLE)) return buildSwitchBundle();
  process.env[SWITCH_BUNDLE_ENV] = SWITCH_BUNDLE;
  return SWITCH_BUNDLE;
}

/** How to start the switch CLI: the bundle when this run built one, else the sources under tsx. */
export function switchCommand(): string[] {
  const bundle = process.env[SWITCH_BUNDLE_ENV];
  return bundle ? [bundle] : ['--import', 'tsx', fileURLToPath(new URL('../src-switch/cli.ts', import.meta.url))];
}
