// Figure 3: a thousand queued queries drained over a link with 100 ms added round trip.
import { randomUUID } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import type { CDPSession } from '@playwright/test';
import { bearer } from '../src-shared/auth.ts';
import { FIELD_CONFIG } from '../src-shared/field-config.ts';
import { IDEMPOTENCY_HEADER, paths } from '../src-shared/protocol.ts';
import { signInAt } from '../tests/support/switch-session.ts';
import { type Bench, enterPlate, openBaseline, openTerminal, waitForCommits } from './harness.ts';
import { median, type Row } from './report.ts';

export interface DrainOptions {
  count: number;
  /** Queries in a first, unmeasured drain; 0 for none. */
  warmup: number;
  latencyMs: number;
  runs: number;
  workboxRuns: number;
  /**
   * Queries Workbox replays; the drain's own count if unset. Workbox sends one request at a time, so its time
   * is the count times one round trip: a quarter of the queue gives the same pace in a quarter of the time
   * (118 s for 1,000 in a full run, each run of the bench), and its figure is scaled to the drain's count.
   */
  workboxCount?: number;
  /** Queries in the drain from a switch that answers at once (no added latency); the drain's own count if unset. */
  instantCount?: number;
}

/** The page's main thread, as Chromium accounts it: time in tasks, and the part of it running script (ms). */
interface ThreadTime {
  taskMs: number;
  scriptMs: number;
}

/** One drain's outcome: how long it took, and what it cost the page's main thread. */
export interface Drained {
  ms: number;
  thread: ThreadTime;
}

async function threadTime(cdp: CDPSession): Promise<ThreadTime> {
  const { metrics } = await cdp.send('Performance.getMetrics');
  const of = (name: string) => (metrics.find((metric) => metric.name === name)?.value ?? 0) * 1000;
  return { taskMs: of('TaskDuration'), scriptMs: of('ScriptDuration') };
}

/**
 * Where a CPU profile of the instant drain is written when OUTRIDER_BENCH_CPUPROFILE names a file: what
 * the main-thread row is made of, for a person to read (see docs/benchmarks.md).
 */
const PROFILE_TO = process.env.OUTRIDER_BENCH_CPUPROFILE;

/** The queued row every seeded query copies: a routine plate query in the outbox's own shape. */
const QUEUED = { query: { kind: 'plate', lis: 'CA' }, priority: 'routine', lane: 2 };

/** The round trip of one query as Node sees it under the same conditions: the link floor's RTT. */
async function roundTrip(bench: Bench, token: string): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < 10; i++) {
    const started = performance.now();
    const response = await fetch(`${bench.drillSwitch.url}${paths.queries}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', [IDEMPOTENCY_HEADER]: randomUUID(), ...bearer(token) },
      body: JSON.stringify({ query: { kind: 'plate', lic: `T${String(i).padStart(6, '0')}`, lis: 'CA' }, askedAt: new Date().toISOString() }),
    });
    await response.arrayBuffer();
    if (i > 1) times.push(performance.now() - started);
  }
  return median(times);
}

/**
 * The terminal's drain: count - 1 queries written into its outbox as queued rows (its own schema), then
 * one entered by hand, which wakes the sync engine. Timed from that Enter to the moment every entry
 * is answered in IndexedDB (polled every 50 ms through the status index).
 */
export async function outriderRun(bench: Bench, options: DrainOptions, latencyMs = options.latencyMs, profileTo?: string): Promise<Drained> {
  const { context, page } = await openTerminal(bench);
  try {
    const prefix = randomUUID().slice(0, 23);
    await page.evaluate(([template, n, id]) => window.__benchProbe.seed('outbox', template, n, 'queued-outbox', id), [QUEUED, options.count - 1, prefix] as const);
    await bench.drillSwitch.setConditions({ latencyMs });
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Performance.enable', { timeDomain: 'threadTicks' });
    if (profileTo) await startProfile(cdp);
    const before = await threadTime(cdp);
    await enterPlate(page, 'D000000');
    await waitForCommits(page, 1);
    const entered = await page.evaluate(() => window.__benchProbe.enters.at(-1)!);
    const drained = await page.evaluate((n) => window.__benchProbe.whenStatusCount('answered', n, 50), options.count);
    const after = await threadTime(cdp);
    if (profileTo) await stopProfile(cdp, profileTo);
    await cdp.detach();
    return { ms: drained - entered, thread: { taskMs: after.taskMs - before.taskMs, scriptMs: after.scriptMs - before.scriptMs } };
  } finally {
    await context.close();
    await bench.drillSwitch.setConditions({});
  }
}

async function startProfile(cdp: CDPSession): Promise<void> {
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
  await cdp.send('Profiler.start');
}

async function stopProfile(cdp: CDPSession, to: string): Promise<void> {
  const { profile } = await cdp.send('Profiler.stop');
  await writeFile(to, JSON.stringify(profile));
}

/** Workbox's replayRequests over the same link: the queue filled first (untimed), then replayed. */
async function workboxRun(bench: Bench, options: DrainOptions, run: number, token: string): Promise<number> {
  const { context, page } = await openBaseline(bench);
  try {
    await page.evaluate((session) => window.baseline.useSession(session), token);
    const name = `bench-drain-${run}`;
    await page.evaluate(([queue, url, n]) => window.baseline.workboxFill(queue, url, n), [name, bench.drillSwitch.url, options.workboxCount ?? options.count] as const);
    await bench.drillSwitch.setConditions({ latencyMs: options.latencyMs });
    return await page.evaluate((queue) => window.baseline.workboxReplay(queue), name);
  } finally {
    await context.close();
    await bench.drillSwitch.setConditions({});
  }
}

/** Main-thread milliseconds per answered query, over a drain. */
const perQuery = (drained: Drained, count: number) => drained.thread.taskMs / count;

export async function measureDrain(bench: Bench, options: DrainOptions): Promise<Row[]> {
  // Warm-up: a small drain, so the first measured run does not pay for a cold switch or browser.
  if (options.warmup > 0) await outriderRun(bench, { ...options, count: options.warmup });
  // The same queue from a switch that answers at once: nothing to wait for, so the main thread's work per
  // answer is all that sets the pace, and is what is counted.
  const instantCount = options.instantCount ?? options.count;
  const instant = await outriderRun(bench, { ...options, count: instantCount }, 0, PROFILE_TO);
  if (PROFILE_TO) bench.log(`  drain: CPU profile of the instant drain written to ${PROFILE_TO}`);
  bench.log(`  drain, instant: ${(instant.ms / 1000).toFixed(2)} s, main thread ${(instant.thread.taskMs / 1000).toFixed(2)} s in tasks (${(instant.thread.scriptMs / 1000).toFixed(2)} s script)`);
  // Node's round trip and the Workbox page carry a session, as the terminal's requests do; signing in is not timed.
  const { token } = await signInAt(bench.drillSwitch.url, 'bench-drain-0001');
  await bench.drillSwitch.setConditions({ latencyMs: options.latencyMs });
  const rtt = await roundTrip(bench, token);
  await bench.drillSwitch.setConditions({});
  const outrider: number[] = [];
  const threads: number[] = [];
  const workbox: number[] = [];
  for (let run = 0; run < Math.max(options.runs, options.workboxRuns); run++) {
    if (run < options.runs) {
      const drained = await outriderRun(bench, options);
      outrider.push(drained.ms);
      threads.push(perQuery(drained, options.count));
    }
    if (run < options.workboxRuns) workbox.push(await workboxRun(bench, options, run, token));
    bench.log(`  drain, run ${run + 1}: Outrider ${outrider.map((ms) => (ms / 1000).toFixed(2)).join(', ')} s; Workbox ${workbox.map((ms) => (ms / 1000).toFixed(2)).join(', ')} s`);
  }
  const floor = (options.count * rtt) / FIELD_CONFIG.maxInFlight / 1000;
  const workboxCount = options.workboxCount ?? options.count;
  /** Workbox's time at the drain's count: its replay is sequential, so time grows with the count. */
  const workboxScaled = (median(workbox) * options.count) / workboxCount / 1000;
  const total = { value: median(outrider) / 1000 };
  const n = options.count.toLocaleString('en-US');
  const ni = instantCount.toLocaleString('en-US');
  return [
    {
      figure: `Drain ${n} queued, +${options.latencyMs} ms RTT`,
      unit: 's',
      outrider: total,
      baseline: { name: `link floor ${n} x ${rtt.toFixed(0)} ms / ${FIELD_CONFIG.maxInFlight}`, measured: { value: floor } },
      targets: [{ on: 'ratio', max: 1.15, text: '≤ 1.15x floor' }],
      note: `RTT measured from Node under the same conditions: ${rtt.toFixed(1)} ms`,
    },
    {
      figure: `Drain ${n} queued vs Workbox`,
      unit: 's',
      outrider: total,
      baseline: { name: workboxCount === options.count ? 'Workbox replayRequests' : `Workbox replayRequests, ${workboxCount.toLocaleString('en-US')} scaled`, measured: { value: workboxScaled } },
      targets: [],
      ...(workboxCount === options.count
        ? {}
        : { note: `Workbox replayed ${workboxCount.toLocaleString('en-US')} in ${workbox.map((ms) => (ms / 1000).toFixed(2)).join(', ')} s, one request at a time (${(median(workbox) / workboxCount).toFixed(0)} ms each), scaled to ${n}` }),
    },
    {
      figure: `Renderer main-thread time per answered query, switch answering at once (${ni})`,
      unit: 'ms',
      outrider: { value: perQuery(instant, instantCount) },
      targets: [{ on: 'value', max: 3, text: '≤ 3 ms' }],
      note:
        `Chromium's TaskDuration for the page's main thread (CDP Performance.getMetrics, thread time) from Enter until every entry is answered, ` +
        `divided by the queries answered; ${(instant.thread.scriptMs / instantCount).toFixed(2)} ms of it running script. ` +
        `The drain took ${(instant.ms / 1000).toFixed(2)} s (${(instantCount / (instant.ms / 1000)).toFixed(0)} answers/s). The probe's 50 ms poll of the status index is counted in.`,
    },
    {
      figure: `Renderer main-thread time per answered query, +${options.latencyMs} ms RTT (${n})`,
      unit: 'ms',
      outrider: { value: median(threads) },
      targets: [{ on: 'value', max: 3, text: '≤ 3 ms' }],
      note: `The same measure over the timed drains above: ${threads.map((ms) => ms.toFixed(2)).join(', ')} ms.`,
    },
  ];
}
