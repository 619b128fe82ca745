// `npm run soak -- crash|flap`: the reliability runs. Each prints one line a person can read and writes the
// details as JSON; it exits 1 when anything was lost, ran twice at the switch, or went unalerted.
//   npm run soak -- crash [--kills 50] [--queries 1000] [--out soak-crash.json] [--renderer DIR]
//   npm run soak -- flap [--minutes 10] [--queries 240] [--out soak-flap.json] [--renderer DIR]
import type { Server } from 'node:http';
import { rm, writeFile } from 'node:fs/promises';
import { cpus } from 'node:os';
import { parseArgs } from 'node:util';
import { rendererDir } from '../bench/harness.ts';
import { CRASH_DEFAULTS, runCrashSoak, type SoakRig } from '../soak/crash.ts';
import { FLAP_DEFAULTS, runFlapSoak } from '../soak/flap.ts';
import { openTerminal } from '../soak/browser.ts';
import { failures, type SoakCounts, summaryLine } from '../soak/summary.ts';
import { buildSwitchBundle } from './switch-bundle.ts';
import { SwitchProcess } from './switch-process.ts';
import { serveTerminal } from './web-server.ts';

const USAGE = 'usage: npm run soak -- crash [--kills N] [--queries N] | flap [--minutes M] [--queries N]  [--out FILE] [--renderer DIR]';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    kills: { type: 'string' },
    queries: { type: 'string' },
    minutes: { type: 'string' },
    out: { type: 'string' },
    renderer: { type: 'string' },
  },
});

/** A whole number option, or the default; anything else is a clear refusal. */
function whole(name: string, value: string | undefined, fallback: number, min = 1): number {
  if (value === undefined) return fallback;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < min) throw new UsageError(`--${name} must be a whole number of at least ${min}, not "${value}"`);
  return parsed;
}

class UsageError extends Error {}

const log = (message: string) => console.error(message);

async function main(): Promise<number> {
  const kind = positionals[0];
  if (positionals.length !== 1 || (kind !== 'crash' && kind !== 'flap')) throw new UsageError(positionals.length ? `no soak "${positionals.join(' ')}": the soaks are crash and flap` : 'name a soak: crash or flap');
  const queries = whole('queries', values.queries, kind === 'crash' ? CRASH_DEFAULTS.queries : FLAP_DEFAULTS.queries, kind === 'crash' ? 2 : 1);
  const kills = whole('kills', values.kills, CRASH_DEFAULTS.kills);
  if (kind === 'crash' && kills >= queries) throw new UsageError(`--kills (${kills}) must be fewer than --queries (${queries})`);
  const minutes = values.minutes === undefined ? FLAP_DEFAULTS.durationMs / 60_000 : Number(values.minutes);
  if (!(minutes > 0 && minutes <= 24 * 60)) throw new UsageError(`--minutes must be a number of minutes above 0, not "${values.minutes}"`);
  const out = values.out ?? `soak-${kind}.json`;

  const renderer = await rendererDir(values.renderer, log);
  // The switch runs the bundle the app ships, built here from the current sources.
  await buildSwitchBundle();
  const drillSwitch = new SwitchProcess(0);
  await drillSwitch.start();
  const terminal = await serveTerminal({ root: renderer.dir, port: 0, config: { switchUrl: drillSwitch.url, mode: 'drill', appVersion: 'soak', shell: 'web' } });
  const rig: SoakRig = { drillSwitch, terminalUrl: terminal.url, log };
  const started = new Date();
  let result: SoakCounts;
  let what: string;
  try {
    if (kind === 'crash') {
      log(`Crash soak: ${kills} kills during a drain of ${queries} queries`);
      const crash = await runCrashSoak(rig, { ...CRASH_DEFAULTS, kills, queries });
      [result, what] = [crash, `${crash.kills} kills`];
    } else {
      log(`Flapping soak: ${minutes} min of a link flapping every ${FLAP_DEFAULTS.flapMinMs / 1000}-${FLAP_DEFAULTS.flapMaxMs / 1000} s, ${queries} queries`);
      const browser = await openTerminal(terminal.url);
      try {
        const flap = await runFlapSoak(rig, browser.page, { ...FLAP_DEFAULTS, durationMs: minutes * 60_000, queries });
        [result, what] = [flap, `${minutes} min flapping (${flap.outages.offline + flap.outages.blackHole} outages)`];
      } finally {
        await browser.close();
      }
    }
  } finally {
    await new Promise<void>((resolve) => (terminal.server as Server).close(() => resolve()));
    await drillSwitch.stop();
    if (renderer.temporary) await rm(renderer.dir, { recursive: true, force: true });
  }
  const wrong = failures(result);
  const meta = { started: started.toISOString(), seconds: Math.round((Date.now() - started.getTime()) / 1000), node: process.version, cores: cpus().length };
  await writeFile(out, `${JSON.stringify({ ...meta, summary: summaryLine(result, what), failures: wrong, ...result }, null, 2)}\n`);
  console.log(summaryLine(result, what));
  log(`Details in ${out}`);
  return wrong.length ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof UsageError) {
      console.error(`${error.message}\n${USAGE}`);
      process.exit(2);
    }
    console.error(error);
    process.exit(1);
  },
);
