// `npm run bench`: Outrider side by side with the alternatives, on loopback, as a table and as JSON.
//   npm run bench -- [--quick] [--out bench.json] [--renderer DIR] [--only enqueue,drain]
import { writeFile } from 'node:fs/promises';
import { cpus } from 'node:os';
import { parseArgs } from 'node:util';
import { measureAlertLatency } from '../bench/alert-latency.ts';
import { measureDrain } from '../bench/drain.ts';
import { measureEnqueue } from '../bench/enqueue.ts';
import { type Bench, startBench } from '../bench/harness.ts';
import { measureHotlist } from '../bench/hotlist.ts';
import { measureLinkBack } from '../bench/link-back.ts';
import { formatTable, type Row, toJson, unproduced } from '../bench/report.ts';
import { measureStartup } from '../bench/startup.ts';
import { measureSwitchCapacity } from '../bench/switch-capacity.ts';
import { measureHeldStreams } from '../bench/held-streams.ts';
import { buildSwitchBundle } from './switch-bundle.ts';

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    out: { type: 'string' },
    renderer: { type: 'string' },
    only: { type: 'string' },
  },
});

/** Counts for the full run and for the --quick smoke run (about a minute and a half, in `npm test`). */
const SIZES = {
  full: {
    enqueue: { count: 1_000, warmup: 20, block: 100, machineSpeed: 100, strictFloors: 300, settled: 100, relaxedFloors: 50 },
    linkBack: { queries: 20, outageMs: 15_000, runs: 10, workboxRuns: 1, windowMs: 20_000, silentRuns: 1 },
    drain: { count: 1_000, warmup: 20, latencyMs: 100, runs: 2, workboxRuns: 1, workboxCount: 250 },
    alerts: { count: 200, warmup: 5 },
    hotlist: { plates: 1_000_000, delta: 10_000, runs: 3 },
    startup: { answers: 10_000, runs: 5 },
    capacity: { terminals: 200, warmupMs: 2_000, measureMs: 5_000, runs: 3 },
    streams: { streams: 5_000, rate: 500, warmupMs: 2_000, measureMs: 10_000 },
  },
  quick: {
    enqueue: { count: 12, warmup: 2, block: 12, machineSpeed: 5, strictFloors: 8, settled: 6, relaxedFloors: 4 },
    linkBack: { queries: 10, outageMs: 1_000, runs: 1, workboxRuns: 1, windowMs: 3_000, silentRuns: 1 },
    drain: { count: 24, warmup: 0, latencyMs: 100, runs: 1, workboxRuns: 1 },
    alerts: { count: 10, warmup: 1 },
    hotlist: { plates: 100_000, delta: 10_000, runs: 1 },
    startup: { answers: 2_000, runs: 1 },
    capacity: { terminals: 20, warmupMs: 300, measureMs: 1_000, runs: 1 },
    streams: { streams: 200, rate: 50, warmupMs: 300, measureMs: 1_000 },
  },
} as const;
const sizes = values.quick ? SIZES.quick : SIZES.full;

interface Figure {
  id: string;
  title: string;
  run(bench: Bench): Promise<Row[]>;
}

const FIGURES: Figure[] = [
  { id: 'enqueue', title: 'Enqueue', run: (bench) => measureEnqueue(bench, sizes.enqueue) },
  { id: 'link-back', title: 'Link back to alert', run: (bench) => measureLinkBack(bench, sizes.linkBack) },
  { id: 'drain', title: 'Drain', run: (bench) => measureDrain(bench, sizes.drain) },
  { id: 'alerts', title: 'Alert latency', run: (bench) => measureAlertLatency(bench, sizes.alerts) },
  { id: 'hotlist', title: 'Hotlist', run: (bench) => measureHotlist(bench, sizes.hotlist) },
  { id: 'startup', title: 'Start-up and memory', run: (bench) => measureStartup(bench, sizes.startup) },
  { id: 'capacity', title: 'Switch capacity', run: (bench) => measureSwitchCapacity(sizes.capacity, bench.log) },
  { id: 'streams', title: 'Held event streams', run: () => measureHeldStreams(sizes.streams) },
];

const log = (message: string) => console.error(message);

async function main(): Promise<number> {
  const only = values.only?.split(',');
  const unknown = only?.filter((id) => !FIGURES.some((figure) => figure.id === id)) ?? [];
  if (unknown.length > 0) {
    console.error(`--only: no figure ${unknown.join(', ')}; the figures are ${FIGURES.map((figure) => figure.id).join(', ')}`);
    return 2;
  }
  const started = performance.now();
  // Every switch the bench starts runs the bundle the app ships, built here from the current sources.
  await buildSwitchBundle();
  const bench = await startBench({ ...(values.renderer ? { renderer: values.renderer } : {}), log });
  const rows: Row[] = [];
  const durations: Record<string, number> = {};
  try {
    for (const figure of FIGURES.filter((candidate) => !only || only.includes(candidate.id))) {
      log(`${figure.title}…`);
      const figureStarted = performance.now();
      try {
        rows.push(...(await figure.run(bench)));
      } catch (error) {
        // One figure failing still leaves the others' numbers: the row says what went wrong.
        log(`${figure.title} failed: ${(error as Error).stack ?? String(error)}`);
        rows.push({ figure: figure.title, unit: 'ms', outrider: null, targets: [], note: `failed: ${(error as Error).message.split('\n')[0]}` });
      }
      durations[figure.id] = Math.round(performance.now() - figureStarted);
    }
  } finally {
    await bench.close();
  }
  const totalMs = Math.round(performance.now() - started);
  console.log(formatTable(rows));
  console.log(`\n${values.quick ? 'Quick' : 'Full'} run in ${(totalMs / 1000).toFixed(1)} s on ${cpus().length} cores (${Object.entries(durations).map(([id, ms]) => `${id} ${(ms / 1000).toFixed(1)} s`).join(', ')})`);
  if (values.out) {
    const meta = { date: new Date().toISOString(), quick: values.quick, node: process.version, cores: cpus().length, cpu: cpus()[0]?.model, browser: bench.browserVersion, totalMs, durations, sizes };
    await writeFile(values.out, `${JSON.stringify(toJson(rows, meta), null, 2)}\n`);
    log(`Wrote ${values.out}`);
  }
  const missing = unproduced(rows);
  if (missing.length > 0) console.error(`No figure for: ${missing.map((row) => row.figure).join('; ')}`);
  // Times never fail the run; a figure that could not be produced does.
  return missing.length > 0 ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
