// `npm run build:main`: esbuild bundles of the main process, the sandboxed preload and the drill switch.
import { build, type BuildOptions, type Metafile } from 'esbuild';
import { builtinModules } from 'node:module';
import { BUNDLE_COMMON as common, NODE_TARGET, SWITCH_BUNDLE_OPTIONS } from './switch-bundle.ts';

// Electron 45 runs Chromium 140 in renderers (and Node 22 in the main and utility processes: NODE_TARGET).
const CHROME_TARGET = 'chrome140';

interface Bundle extends BuildOptions {
  outfile: string;
  /** Whether Node built-ins may stay outside the bundle (they exist in the main and utility processes). */
  nodeBuiltins: boolean;
}

const bundles: readonly Bundle[] = [
  { ...common, entryPoints: ['src-main/main.ts'], outfile: 'dist/main/main.cjs', platform: 'node', target: NODE_TARGET, external: ['electron'], nodeBuiltins: true },
  // A sandboxed preload cannot require its own files: one file, and only `electron` left outside it.
  // platform 'browser' makes any Node import a build error rather than a run-time one.
  { ...common, entryPoints: ['src-main/preload.ts'], outfile: 'dist/main/preload.cjs', platform: 'browser', target: CHROME_TARGET, external: ['electron'], nodeBuiltins: false },
  // The drill switch: one file, the database engines left outside (switch-bundle.ts says why).
  { ...SWITCH_BUNDLE_OPTIONS, nodeBuiltins: true },
];

const NODE_BUILTINS = new Set(builtinModules);

/** Imports the bundle leaves for run time that are neither `electron` (where declared) nor, if allowed, Node's own. */
function strayImports(metafile: Metafile, bundle: Bundle): string[] {
  const imports = Object.values(metafile.outputs).flatMap((output) => output.imports.filter((entry) => entry.external).map((entry) => entry.path));
  const allowed = (path: string) => (bundle.external ?? []).includes(path) || (bundle.nodeBuiltins && NODE_BUILTINS.has(path.replace(/^node:/, '')));
  return [...new Set(imports.filter((path) => !allowed(path)))];
}

let failed = false;
for (const bundle of bundles) {
  const { nodeBuiltins: _nodeBuiltins, ...options } = bundle;
  try {
    const result = await build(options);
    const stray = strayImports(result.metafile!, bundle);
    if (stray.length > 0) {
      failed = true;
      console.error(`${options.outfile} would need files outside itself at run time: ${stray.join(', ')}`);
    } else {
      console.log(`built ${options.outfile}`);
    }
  } catch (error) {
    failed = true;
    // esbuild has already printed the detail; name the bundle so the cause is clear.
    const hint = /top-level await/i.test(String(error)) ? ': a CommonJS bundle cannot hold top-level await, so wrap the entry in an async main()' : '';
    console.error(`${options.outfile} failed to build${hint}`);
  }
}
process.exit(failed ? 1 : 0);
