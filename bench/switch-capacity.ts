// Figure 7: queries per second the reference switch sustains for many terminals, and their p99 latency.
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SwitchProcess } from '../scripts/switch-process.ts';
import { bearer } from '../src-shared/auth.ts';
import { IDEMPOTENCY_HEADER, paths } from '../src-shared/protocol.ts';
import { traineeOfficers } from '../src-switch/auth/drill-officers.ts';
import { startHaproxy, whyNoHaproxy } from '../tests/support/haproxy.ts';
import { startPostgres, whyNoPostgres } from '../tests/support/postgres-server.ts';
import { signInAt } from '../tests/support/switch-session.ts';
import { median, percentile, type Row } from './report.ts';

export interface CapacityOptions {
  terminals: number;
  warmupMs: number;
  measureMs: number;
  runs: number;
}

/** The body of the `i`th query: a resend sends the same one (its key stands for this body). */
function queryBody(i: number): string {
  return JSON.stringify({ query: { kind: 'plate', lic: `K${String(i % 1_000_000).padStart(6, '0')}`, lis: 'CA' }, askedAt: new Date().toISOString() });
}

/** One synchronous POST /v1/queries on the terminal's own keep-alive connection, with its session; resolves with its status. */
function post(url: URL, agent: Agent, i: number, session: Record<string, string>, key: string = randomUUID(), body: string = queryBody(i)): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(url, {
      method: 'POST',
      agent,
      headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body), [IDEMPOTENCY_HEADER]: key, ...session },
    });
    req.once('response', (response) => {
      response.resume();
      response.once('end', () => resolve(response.statusCode ?? 0));
    });
    req.once('error', reject);
    req.end(body);
  });
}

/** Signs every terminal in, each as its own trainee (a switch takes each one-time code once), before anything is timed. */
function signInAll(switchUrl: string, terminals: number): Promise<Array<Record<string, string>>> {
  const officers = traineeOfficers(terminals);
  return Promise.all(
    Array.from({ length: terminals }, async (_, i) => {
      return bearer((await signInAt(switchUrl, `bench-terminal-${String(i).padStart(4, '0')}`, officers[i])).token);
    }),
  );
}

/** Every terminal sends one query after another until the clock runs out; only answers inside the window count. */
async function load(url: URL, options: CapacityOptions, sessions: ReadonlyArray<Record<string, string>>): Promise<{ qps: number; latencies: number[]; errors: number }> {
  const start = performance.now();
  const measureFrom = start + options.warmupMs;
  const measureTo = measureFrom + options.measureMs;
  const latencies: number[] = [];
  let errors = 0;
  let sent = 0;
  const terminal = async (session: Record<string, string>) => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    while (performance.now() < measureTo) {
      const began = performance.now();
      const status = await post(url, agent, sent++, session).catch(() => 0);
      const ended = performance.now();
      if (began < measureFrom || ended > measureTo) continue;
      if (status === 200) latencies.push(ended - began);
      else errors++;
    }
    agent.destroy();
  };
  await Promise.all(sessions.map(terminal));
  return { qps: latencies.length / (options.measureMs / 1000), latencies, errors };
}

/** One engine under load: the switch node(s) it runs, the URL the terminals use, and how to stop it all. */
interface Deployment {
  url: string;
  nodes: SwitchProcess[];
  stop(): Promise<void>;
}

type EngineName = 'memory' | 'SQLite' | 'PostgreSQL, 1 node' | 'PostgreSQL, 2 nodes behind HAProxy';

/** Starts the switch on `engine`, its own process(es) at the default latency scale; undefined with the reason when it cannot run here. */
async function deploy(engine: EngineName, terminals: number, { fsync = false } = {}): Promise<Deployment | string> {
  const officers = ['--training-officers', String(terminals)];
  if (engine === 'memory' || engine === 'SQLite') {
    const node = new SwitchProcess(0, [...officers, ...(engine === 'memory' ? ['--store', 'memory'] : [])]);
    await node.start();
    return { url: node.url, nodes: [node], stop: () => node.stop() };
  }
  const noPostgres = whyNoPostgres();
  if (noPostgres) return noPostgres;
  const twoNodes = engine !== 'PostgreSQL, 1 node';
  const noHaproxy = twoNodes ? whyNoHaproxy() : undefined;
  if (noHaproxy) return noHaproxy;
  // fsync off for throughput: this figure is the switch's, not the disk's; the node kill runs with it on.
  const database = await startPostgres({ fsync });
  const url = await database.database();
  // Every node of one database seals with one store key (docs/deploy-switch.md): the first to start makes it.
  const storeKey = join(mkdtempSync(join(tmpdir(), 'outrider-store-key-')), 'store.key');
  const nodes = Array.from({ length: twoNodes ? 2 : 1 }, () => new SwitchProcess(0, [...officers, '--store', url, '--store-key-file', storeKey]));
  for (const node of nodes) await node.start();
  const balancer = twoNodes ? await startHaproxy(nodes.map((node) => node.url)) : undefined;
  return {
    url: balancer?.url ?? nodes[0]!.url,
    nodes,
    stop: async () => {
      await balancer?.stop();
      for (const node of nodes) if (node.running) await node.stop();
      await database.stop({ remove: true });
    },
  };
}

async function measureEngine(engine: EngineName, options: CapacityOptions): Promise<{ qps: number | null; p99: number | null; note: string }> {
  const deployed = await deploy(engine, options.terminals);
  if (typeof deployed === 'string') return { qps: null, p99: null, note: `not measured: ${deployed}` };
  try {
    const url = new URL(`${deployed.url}${paths.queries}`);
    const sessions = await signInAll(deployed.url, options.terminals);
    const runs = [];
    for (let run = 0; run < options.runs; run++) runs.push(await load(url, options, sessions));
    const errors = runs.reduce((sum, run) => sum + run.errors, 0);
    const latencies = runs.flatMap((run) => run.latencies);
    return { qps: median(runs.map((run) => run.qps)), p99: latencies.length ? percentile(latencies, 99) : null, note: `${errors} failed requests` };
  } finally {
    await deployed.stop();
  }
}

/** How long a terminal goes on resending one query before the figure counts it as failed. */
const GIVE_UP_MS = 60_000;
/** The pause before a resend: the terminal's outbox backs off too, from about this. */
const RESEND_AFTER_MS = 500;

interface KillRun {
  queries: number;
  resends: number;
  unanswered: number;
  /** The longest a query took, first send to answer, among those a resend answered. */
  slowestResentMs: number;
  /** What the last try of each unanswered query got: HTTP status (0: no answer at all), and how many. */
  lastRefusals: Map<number, number>;
}

/**
 * Two PostgreSQL nodes behind HAProxy under the same load, and one node killed (SIGKILL) halfway: each terminal
 * resends a query that failed (a dropped connection, a 5xx) with the same Idempotency-Key until it is answered,
 * as its outbox does. What counts is a query never answered within GIVE_UP_MS: a failure the officer would see.
 */
async function killOneNode(options: CapacityOptions): Promise<KillRun | string> {
  const deployed = await deploy('PostgreSQL, 2 nodes behind HAProxy', options.terminals, { fsync: true });
  if (typeof deployed === 'string') return deployed;
  try {
    const url = new URL(`${deployed.url}${paths.queries}`);
    const sessions = await signInAll(deployed.url, options.terminals);
    const run: KillRun = { queries: 0, resends: 0, unanswered: 0, slowestResentMs: 0, lastRefusals: new Map() };
    const stopAt = performance.now() + options.warmupMs + options.measureMs;
    const killed = new Promise<void>((resolve) => setTimeout(resolve, options.warmupMs + options.measureMs / 2)).then(() => deployed.nodes[0]!.kill());
    let sent = 0;
    const terminal = async (session: Record<string, string>) => {
      const agent = new Agent({ keepAlive: true, maxSockets: 1 });
      while (performance.now() < stopAt) {
        const key = randomUUID();
        const body = queryBody(sent++);
        const began = performance.now();
        run.queries++;
        for (let tries = 0; ; tries++) {
          if (tries > 0) {
            run.resends++;
            await new Promise((resolve) => setTimeout(resolve, RESEND_AFTER_MS));
          }
          const status = await post(url, agent, 0, session, key, body).catch(() => 0);
          if (status === 200) {
            if (tries > 0) run.slowestResentMs = Math.max(run.slowestResentMs, performance.now() - began);
            break;
          }
          if (performance.now() - began > GIVE_UP_MS) {
            run.unanswered++;
            run.lastRefusals.set(status, (run.lastRefusals.get(status) ?? 0) + 1);
            break;
          }
        }
      }
      agent.destroy();
    };
    await Promise.all([killed, ...sessions.map(terminal)]);
    return run;
  } finally {
    await deployed.stop();
  }
}

const ENGINES: readonly EngineName[] = ['memory', 'SQLite', 'PostgreSQL, 1 node', 'PostgreSQL, 2 nodes behind HAProxy'];

/**
 * Queries per second and p99 for `terminals` terminals on each store engine, in one run, on loopback: the
 * switch's own processes at the default latency scale (sources answer in 40-120 ms), loaded from this one.
 */
export async function measureSwitchCapacity(options: CapacityOptions): Promise<Row[]> {
  const rows: Row[] = [];
  let memoryQps: number | null = null;
  for (const engine of ENGINES) {
    const measured = await measureEngine(engine, options);
    if (engine === 'memory') memoryQps = measured.qps;
    const note = `${options.runs} run(s) of ${options.measureMs / 1000} s after ${options.warmupMs / 1000} s warm-up; ${measured.note}; the load comes from one Node process on the same cores`;
    const vsMemory = engine === 'memory' ? {} : { baseline: { name: 'memory store', measured: memoryQps === null ? null : { value: memoryQps } } };
    // Issue 18: a durable single node should keep at least half of what the memory store does.
    const targets: Row['targets'] = engine === 'SQLite' ? [{ on: 'ratio', min: 0.5, text: '≥ 0.5x memory' }] : [];
    rows.push({ figure: `Switch capacity, ${engine}, ${options.terminals} terminals`, unit: 'q/s', outrider: measured.qps === null ? null : { value: measured.qps }, ...vsMemory, targets, note });
    rows.push({ figure: `Switch latency p99, ${engine}`, unit: 'ms', outrider: measured.p99 === null ? null : { value: measured.p99 }, targets: [] });
  }
  const kill = await killOneNode(options);
  rows.push({
    figure: `Queries failed by a node kill, PostgreSQL, 2 nodes behind HAProxy, ${options.terminals} terminals`,
    unit: 'queries',
    outrider: typeof kill === 'string' ? null : { value: kill.unanswered },
    // Issue 18: no failed request seen by a terminal during a node kill (resends allowed).
    targets: [{ on: 'value', max: 0, text: 'none' }],
    note:
      typeof kill === 'string'
        ? `not measured: ${kill}`
        : `${kill.queries} queries over ${(options.warmupMs + options.measureMs) / 1000} s, one node killed (SIGKILL) halfway, PostgreSQL with fsync on; ${kill.resends} resends with the same Idempotency-Key, ${RESEND_AFTER_MS} ms apart; the slowest query a resend answered took ${(kill.slowestResentMs / 1000).toFixed(1)} s; failed = not answered within ${GIVE_UP_MS / 1000} s${kill.unanswered ? ` (their last tries: ${[...kill.lastRefusals].map(([status, count]) => `${count} x ${status || 'no answer'}`).join(', ')})` : ''}`,
  });
  return rows;
}
