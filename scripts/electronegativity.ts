// `npm run security:electron`: Electronegativity over the Electron shell's sources, failing on any
// finding that build/electronegativity-allow.json does not list with a reviewed reason.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { z } from 'zod';

const root = fileURLToPath(new URL('..', import.meta.url));
/** The Electron the app ships (package.json devDependencies): checks that depend on the version use this one. */
const ELECTRON_VERSION = '45.0.0';
const ALLOW_LIST = 'build/electronegativity-allow.json';
/** Scanned together, so global checks (CSP, navigation limits, permission handler) see the whole app. */
const SOURCES = ['src-main', 'src-shared', 'src-renderer'];

export interface Finding {
  readonly check: string;
  /** Relative to the project; undefined for a global check about the app as a whole. */
  readonly file: string | undefined;
  readonly line: number;
  readonly message: string;
}

export const AllowList = z
  .object({
    allowed: z.array(
      z
        .object({
          check: z.string().regex(/^[A-Z_]+_CHECK$/, { error: 'check must be an Electronegativity check id such as PRELOAD_JS_CHECK' }),
          /** The file the finding is in, or null for a global check. Lines are not pinned: they move with every edit. */
          file: z.string().min(1).nullable(),
          reason: z.string().min(20, { error: 'every allowed finding needs a reason a reviewer can check' }),
        })
        .strict(),
    ),
  })
  .strict();
export type AllowList = z.infer<typeof AllowList>;
type Allowed = AllowList['allowed'][number];

export interface Comparison {
  readonly unlisted: readonly Finding[];
  readonly allowed: readonly { readonly finding: Finding; readonly reason: string }[];
  /** Entries no finding matched: the code changed, so the entry should go. */
  readonly stale: readonly Allowed[];
}

const SarifLog = z.object({
  runs: z.array(
    z.object({
      results: z.array(
        z.object({
          ruleId: z.string(),
          message: z.object({ text: z.string() }),
          locations: z
            .array(z.object({ physicalLocation: z.object({ artifactLocation: z.object({ uri: z.string() }), region: z.object({ startLine: z.number() }).optional() }) }))
            .default([]),
        }),
      ),
    }),
  ),
});

/** Findings from Electronegativity's SARIF output; a global check's location is `file:///`. */
export function parseFindings(sarifText: string): Finding[] {
  const log = SarifLog.parse(JSON.parse(sarifText));
  return log.runs.flatMap((run) =>
    run.results.map((result) => {
      const location = result.locations[0]?.physicalLocation;
      const uri = location?.artifactLocation.uri;
      const file = !uri || uri.startsWith('file:') ? undefined : uri.split('\\').join('/');
      return { check: result.ruleId, file, line: location?.region?.startLine ?? 0, message: result.message.text };
    }),
  );
}

const matches = (entry: Allowed, finding: Finding) => entry.check === finding.check && (entry.file ?? undefined) === finding.file;

export function compareWithAllowList(findings: readonly Finding[], allowList: AllowList): Comparison {
  const unlisted: Finding[] = [];
  const allowed: { finding: Finding; reason: string }[] = [];
  for (const finding of findings) {
    const entry = allowList.allowed.find((candidate) => matches(candidate, finding));
    if (entry) allowed.push({ finding, reason: entry.reason });
    else unlisted.push(finding);
  }
  const stale = allowList.allowed.filter((entry) => !findings.some((finding) => matches(entry, finding)));
  return { unlisted, allowed, stale };
}

const where = (finding: Finding) => (finding.file ? `${finding.file}:${finding.line}` : 'whole app');

export function report(comparison: Comparison): string {
  const lines: string[] = [];
  for (const { finding, reason } of comparison.allowed) lines.push(`  allowed  ${finding.check} (${where(finding)}): ${reason}`);
  for (const finding of comparison.unlisted) lines.push(`  FINDING  ${finding.check} (${where(finding)}): ${finding.message}`);
  for (const entry of comparison.stale) lines.push(`  stale    ${entry.check} (${entry.file ?? 'whole app'}) is allowed but no longer found: remove it from ${ALLOW_LIST}`);
  return lines.join('\n');
}

function electronegativityCli(): string {
  const require = createRequire(import.meta.url);
  const manifestPath = require.resolve('@doyensec/electronegativity/package.json');
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { bin: Record<string, string> };
  return path.join(path.dirname(manifestPath), Object.values(manifest.bin)[0]!);
}

function scan(): Finding[] {
  // A staging copy, so the scan sees the app's sources and nothing of node_modules, tests or dist.
  const stage = mkdtempSync(path.join(tmpdir(), 'outrider-electronegativity-'));
  try {
    for (const source of SOURCES) cpSync(path.join(root, source), path.join(stage, 'app', source), { recursive: true });
    const output = path.join(stage, 'findings.sarif');
    const run = spawnSync(process.execPath, [electronegativityCli(), '-i', path.join(stage, 'app'), '-e', ELECTRON_VERSION, '-r', '-o', output], { encoding: 'utf8' });
    if (run.status !== 0 || !existsSync(output)) {
      throw new Error(`Electronegativity failed (exit ${run.status}): ${`${run.stderr}\n${run.stdout}`.trim()}`);
    }
    return parseFindings(readFileSync(output, 'utf8'));
  } finally {
    rmSync(stage, { recursive: true, force: true });
  }
}

function main(): void {
  const allowList = AllowList.parse(JSON.parse(readFileSync(path.join(root, ALLOW_LIST), 'utf8')));
  const comparison = compareWithAllowList(scan(), allowList);
  console.log(`Electronegativity (Electron ${ELECTRON_VERSION}) over ${SOURCES.join(', ')}:`);
  const text = report(comparison);
  if (text) console.log(text);
  if (comparison.unlisted.length > 0) {
    console.error(`${comparison.unlisted.length} finding(s) not in ${ALLOW_LIST}: fix them, or list each with the reason it is safe.`);
    process.exit(1);
  }
  console.log(`security:electron: no unlisted findings (${comparison.allowed.length} allowed${comparison.stale.length ? `, ${comparison.stale.length} stale` : ''}).`);
}

// Run when executed, not when the unit tests import the comparison.
if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) main();
