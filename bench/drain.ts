// Figure 3: a thousand queued queries drained over a link with 100 ms added round trip.
import { randomUUID } from 'node:crypto';
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
}

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
async function outriderRun(bench: Bench, options: DrainOptions): Promise<number> {
  const { context, page } = await openTerminal(bench);
  try {
    const prefix = randomUUID().slice(0, 23);
    await page.evaluate(([template, n, id]) => window.__benchProbe.seed('outbox', template, n, 'queued-outbox', id), [QUEUED, options.count - 1, prefix] as const);
    await bench.drillSwitch.setConditions({ latencyMs: options.latencyMs });
    await enterPlate(page, 'D000000');
    await waitForCommits(page, 1);
    const entered = await page.evaluate(() => window.__benchProbe.enters.at(-1)!);
    const drained = await page.evaluate((n) => window.__benchProbe.whenStatusCount('answered', n, 50), options.count);
    return drained - entered;
  } finally {
    await context.close();
    await bench.drillSwitch.setConditions({});
  }
}

/** Workbox's replayRequests over the same link: the queue filled first (untimed), then replayed. */
async function workboxRun(bench: Bench, options: DrainOptions, run: number, token: string): Promise<number> {
  const { context, page } = await openBaseline(bench);
  try {
    await page.evaluate((session) => window.baseline.useSession(session), token);
    const name = `bench-drain-${run}`;
    await page.evaluate(([queue, url, n]) => window.baseline.workboxFill(queue, url, n), [name, bench.drillSwitch.url, options.count] as const);
    await bench.drillSwitch.setConditions({ latencyMs: options.latencyMs });
    return await page.evaluate((queue) => window.baseline.workboxReplay(queue), name);
  } finally {
    await context.close();
    await bench.drillSwitch.setConditions({});
  }
}

export async function measureDrain(bench: Bench, options: DrainOptions): Promise<Row[]> {
  // Warm-up: a small drain, so the first measured run does not pay for a cold switch or browser.
  if (options.warmup > 0) await outriderRun(bench, { ...options, count: options.warmup });
  // Node's round trip and the Workbox page carry a session, as the terminal's requests do; signing in is not timed.
  const { token } = await signInAt(bench.drillSwitch.url, 'bench-drain-0001');
  await bench.drillSwitch.setConditions({ latencyMs: options.latencyMs });
  const rtt = await roundTrip(bench, token);
  await bench.drillSwitch.setConditions({});
  const outrider: number[] = [];
  const workbox: number[] = [];
  for (let run = 0; run < Math.max(options.runs, options.workboxRuns); run++) {
    if (run < options.runs) outrider.push(await outriderRun(bench, options));
    if (run < options.workboxRuns) workbox.push(await workboxRun(bench, options, run, token));
    bench.log(`  drain, run ${run + 1}: Outrider ${outrider.map((ms) => (ms / 1000).toFixed(2)).join(', ')} s; Workbox ${workbox.map((ms) => (ms / 1000).toFixed(2)).join(', ')} s`);
  }
  const floor = (options.count * rtt) / FIELD_CONFIG.maxInFlight / 1000;
  const total = { value: median(outrider) / 1000 };
  const n = options.count.toLocaleString('en-US');
  return [
    {
      figure: `Drain ${n} queued, +${options.latencyMs} ms RTT`,
      unit: 's',
      outrider: total,
      baseline: { name: `link floor ${n} x ${rtt.toFixed(0)} ms / ${FIELD_CONFIG.maxInFlight}`, measured: { value: floor } },
      targets: [{ on: 'ratio', max: 1.3, text: '≤ 1.3x floor' }],
      note: `RTT measured from Node under the same conditions: ${rtt.toFixed(1)} ms`,
    },
    { figure: `Drain ${n} queued vs Workbox`, unit: 's', outrider: total, baseline: { name: 'Workbox replayRequests', measured: { value: median(workbox) / 1000 } }, targets: [] },
  ];
}
