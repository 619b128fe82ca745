// `npm run dist:check`: loads electron.config.ts the way electron-builder does, validates it against
// electron-builder's own schema, and lists what its file matchers would pack, failing on anything wrong.
import * as fileMatcherModule from 'app-builder-lib/out/fileMatcher.js';
import { getConfig, validateConfiguration } from 'app-builder-lib/out/util/config/config.js';
import type { Configuration, PlatformSpecificBuildOptions } from 'app-builder-lib';
import { DebugLogger, walk, type Filter } from 'builder-util';
import type { Stats } from 'node:fs';
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

// No trailing slash: electron-builder's filters cut paths at exactly this prefix.
const projectDir = path.resolve(fileURLToPath(new URL('..', import.meta.url)));
const CONFIG_FILE = 'electron.config.ts';

/** What the installed app cannot run without. */
const REQUIRED = ['package.json', 'dist/main/main.cjs', 'dist/main/preload.cjs', 'dist/renderer/index.html', 'dist/switch/switch.cjs', 'drills/routes/canyon-drive.nmea'];

/** What must never be packed; checked against the files on disk and against these probes, which may not exist yet. */
const FORBIDDEN: readonly { reason: string; test: (file: string) => boolean }[] = [
  { reason: 'source maps put the source in the installer', test: (file) => file.endsWith('.map') },
  { reason: 'tests are not part of the app', test: (file) => /(^|\/)tests?\//.test(file) },
  { reason: 'environment files may hold secrets', test: (file) => /(^|\/)\.env(\.|$)/.test(path.posix.basename(file)) || path.posix.basename(file) === '.env' },
  { reason: 'sources are bundled, not shipped', test: (file) => /^(src-[a-z]+|scripts|build)\//.test(file) || /\.(ts|mts|cts|svelte)$/.test(file) },
  { reason: 'the bundles carry their dependencies', test: (file) => /(^|\/)node_modules\//.test(file) },
];
const PROBES = ['dist/renderer/assets/index.js.map', 'dist/main/main.cjs.map', 'tests/unit/main/app-path.test.ts', 'tests/electron/smoke.spec.ts', '.env', 'dist/.env', 'src-main/main.ts', 'src-shared/ipc.ts', 'scripts/build-main.ts', 'build/agency.example.json'];

// electron-builder's own matchers, so the check packs exactly what a build would. They are marked
// internal (absent from its .d.ts), hence the declared shape; a missing function fails the check.
interface PackagerInfo {
  projectDir: string;
  buildResourcesDir: string;
  isPrepackedAppAsar: boolean;
  config: Configuration;
  debugLogger: DebugLogger;
}
interface Matcher {
  createFilter(): Filter;
  patterns: string[];
}
interface Internals {
  getMainFileMatchers(appDir: string, destination: string, expand: (s: string) => string, options: PlatformSpecificBuildOptions, packager: { info: PackagerInfo }, outDir: string, isElectronCompile: boolean): Matcher[];
  getNodeModuleFileMatcher(appDir: string, destination: string, expand: (s: string) => string, options: PlatformSpecificBuildOptions, packager: PackagerInfo): Matcher;
}

const problems: string[] = [];
const problem = (message: string) => problems.push(message);

function expectEqual(label: string, actual: unknown, expected: unknown): void {
  if (actual !== expected) problem(`${label} is ${JSON.stringify(actual)}, expected ${JSON.stringify(expected)}`);
}

async function loadAndValidate(): Promise<Configuration> {
  const config = await getConfig(projectDir, CONFIG_FILE, null);
  try {
    await validateConfiguration(config, new DebugLogger(false));
  } catch (error) {
    problem(`electron-builder refuses ${CONFIG_FILE}: ${(error as Error).message}`);
  }
  return config;
}

function checkSettings(config: Configuration, metadata: Record<string, unknown>): void {
  expectEqual('appId', config.appId, 'org.outrider.mdt');
  expectEqual('asar', config.asar, true);
  const fuses = config.electronFuses ?? {};
  const wanted = { runAsNode: false, enableNodeOptionsEnvironmentVariable: false, enableNodeCliInspectArguments: false, enableCookieEncryption: true, enableEmbeddedAsarIntegrityValidation: true, onlyLoadAppFromAsar: true };
  for (const [fuse, value] of Object.entries(wanted)) expectEqual(`electronFuses.${fuse}`, fuses[fuse as keyof typeof fuses], value);
  expectEqual('package.json "main"', metadata.main, 'dist/main/main.cjs');
  // deb and rpm refuse to build without these.
  if (typeof metadata.homepage !== 'string') problem('package.json has no "homepage" (the deb/rpm Homepage field)');
  const author = metadata.author as { email?: unknown } | undefined;
  if (typeof author?.email !== 'string' && !config.linux?.maintainer) problem('neither package.json author.email nor linux.maintainer is set');
  if (!config.artifactName?.includes('${version}')) problem('artifactName does not carry ${version}');
  checkInstallers(config);
}

const targetNames = (targets: unknown): string[] =>
  (Array.isArray(targets) ? targets : [targets]).map((target) => (typeof target === 'string' ? target : (target as { target?: string } | null)?.target ?? '')).filter(Boolean);

/** What agency IT relies on (docs/agency-it.md): per-machine Windows installers, a hardened macOS app, the Linux packages, an update feed. */
function checkInstallers(config: Configuration): void {
  expectEqual('productName', config.productName, 'Outrider');
  for (const target of ['nsis', 'msi']) if (!targetNames(config.win?.target).includes(target)) problem(`win.target lacks ${target}`);
  if (!targetNames(config.mac?.target).includes('dmg')) problem('mac.target lacks dmg');
  for (const target of ['AppImage', 'deb', 'rpm']) if (!targetNames(config.linux?.target).includes(target)) problem(`linux.target lacks ${target}`);
  expectEqual('nsis.perMachine', config.nsis?.perMachine, true);
  expectEqual('msi.perMachine', config.msi?.perMachine, true);
  expectEqual('mac.hardenedRuntime', config.mac?.hardenedRuntime, true);
  for (const key of ['entitlements', 'entitlementsInherit'] as const) {
    const file = config.mac?.[key];
    if (typeof file !== 'string' || !existsSync(path.join(projectDir, file))) problem(`mac.${key} does not name a file in the project (${String(file)})`);
  }
  // electron-updater needs app-update.yml in the app, which electron-builder writes only for a publish provider.
  const publish = config.publish as { provider?: string } | null | undefined;
  expectEqual('publish.provider', publish?.provider, 'generic');
}

function internals(): Internals {
  const candidate = fileMatcherModule as unknown as Partial<Internals>;
  if (typeof candidate.getMainFileMatchers !== 'function' || typeof candidate.getNodeModuleFileMatcher !== 'function') {
    throw new Error('this electron-builder no longer exposes getMainFileMatchers/getNodeModuleFileMatcher; update scripts/dist-check.ts');
  }
  return candidate as Internals;
}

const fakeStat = (directory: boolean, moduleFullFilePath?: string) => ({ isDirectory: () => directory, moduleFullFilePath }) as unknown as Stats;

async function packedFiles(config: Configuration, platform: 'win' | 'mac' | 'linux', metadata: Record<string, unknown>): Promise<string[]> {
  const info: PackagerInfo = {
    projectDir,
    buildResourcesDir: path.resolve(projectDir, config.directories?.buildResources ?? 'build'),
    isPrepackedAppAsar: false,
    config,
    debugLogger: new DebugLogger(false),
  };
  const options = (config[platform] ?? {}) as PlatformSpecificBuildOptions;
  const outDir = path.resolve(projectDir, config.directories?.output ?? 'dist');
  const identity = (pattern: string) => pattern;
  const matchers = internals().getMainFileMatchers(projectDir, '/app', identity, options, { info }, outDir, false);
  const files = new Set<string>();
  for (const matcher of matchers) {
    const filter = matcher.createFilter();
    for (const file of await walk(projectDir, filter)) files.add(path.relative(projectDir, file).split(path.sep).join('/'));
    for (const probe of PROBES) {
      if (filter(path.join(projectDir, probe), fakeStat(false))) problem(`${platform}: the file patterns would pack ${probe} if it existed`);
    }
  }
  // Production dependencies are copied by a separate matcher; every one of them should be excluded.
  const moduleFilter = internals().getNodeModuleFileMatcher(projectDir, '/app', identity, options, info).createFilter();
  for (const name of Object.keys((metadata.dependencies as Record<string, string> | undefined) ?? {})) {
    const probe = `node_modules/${name}/package.json`;
    if (moduleFilter(path.join(projectDir, probe), fakeStat(false, probe))) problem(`${platform}: the dependency ${name} would be packed into node_modules`);
  }
  return [...files].sort();
}

function checkPacked(platform: string, files: readonly string[]): void {
  for (const required of REQUIRED) {
    if (!files.includes(required)) {
      let exists = true;
      try {
        statSync(path.join(projectDir, required));
      } catch {
        exists = false;
      }
      problem(exists ? `${platform}: ${required} exists but the file patterns leave it out` : `${required} is missing: run \`npm run build\` first`);
    }
  }
  for (const file of files) {
    for (const rule of FORBIDDEN) if (rule.test(file)) problem(`${platform}: would pack ${file} (${rule.reason})`);
  }
}

const metadata = JSON.parse(readFileSync(path.join(projectDir, 'package.json'), 'utf8')) as Record<string, unknown>;
const config = await loadAndValidate();
checkSettings(config, metadata);
const listings = new Map<string, string[]>();
for (const platform of ['win', 'mac', 'linux'] as const) {
  const files = await packedFiles(config, platform, metadata);
  checkPacked(platform, files);
  listings.set(platform, files);
}

const [first, ...others] = [...listings.values()];
const identical = others.every((files) => files.join('\n') === first!.join('\n'));
let total = 0;
console.log(`\napp.asar would hold${identical ? ' (same on Windows, macOS and Linux)' : ' (Linux listing)'}:`);
for (const file of listings.get('linux')!) {
  const size = statSync(path.join(projectDir, file)).size;
  total += size;
  console.log(`  ${file}  ${(size / 1024).toFixed(1)} KiB`);
}
console.log(`  ${listings.get('linux')!.length} files, ${(total / 1024 / 1024).toFixed(2)} MiB before compression\n`);
if (!identical) problem('the packed files differ between platforms');

const distinct = [...new Set(problems)];
if (distinct.length > 0) {
  console.error(`dist:check found ${distinct.length} problem(s):`);
  for (const message of distinct) console.error(`  - ${message}`);
  process.exit(1);
}
console.log('dist:check: configuration valid, packed files as intended.');
