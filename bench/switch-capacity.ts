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

/** One synchronous POST /v1/queries on the terminal's own keep-alive connection, with its session; resolves with its status. */
function post(url: URL, agent: Agent, i: number, session: Record<string, string>): Promise<number> {
  const body = JSON.stringify({ query: { kind: 'plate', lic: `K${String(i % 1_000_000).padStart(6, '0')}`, lis: 'CA' }, askedAt: new Date().toISOString() });
  return new Promise((resolve, reject) => {
    const req = request(url, {
      method: 'POST',
      agent,
      headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body), [IDEMPOTENCY_HEADER]: randomUUID(), ...session },
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
  stop(): Promise<void>;
}

type EngineName = 'memory' | 'SQLite' | 'PostgreSQL, 1 node' | 'PostgreSQL, 2 nodes behind HAProxy';

/** Starts the switch on `engine`, its own process(es) at the default latency scale; undefined with the reason when it cannot run here. */
async function deploy(engine: EngineName, terminals: number): Promise<Deployment | string> {
  const officers = ['--training-officers', String(terminals)];
  if (engine === 'memory' || engine === 'SQLite') {
    const node = new SwitchProcess(0, [...officers, ...(engine === 'memory' ? ['--store', 'memory'] : [])]);
    await node.start();
    return { url: node.url, stop: () => node.stop() };
  }
  const noPostgres = whyNoPostgres();
  if (noPostgres) return noPostgres;
  const twoNodes = engine !== 'PostgreSQL, 1 node';
  const noHaproxy = twoNodes ? whyNoHaproxy() : undefined;
  if (noHaproxy) return noHaproxy;
  // fsync off: this figure is the switch's throughput, not the disk's; the kill tests run with it on.
  const database = await startPostgres({ fsync: false });
  const url = await database.database();
  // Every node of one database seals with one store key (docs/deploy-switch.md): the first to start makes it.
  const storeKey = join(mkdtempSync(join(tmpdir(), 'outrider-store-key-')), 'store.key');
  const nodes = Array.from({ length: twoNodes ? 2 : 1 }, () => new SwitchProcess(0, [...officers, '--store', url, '--store-key-file', storeKey]));
  for (const node of nodes) await node.start();
  const balancer = twoNodes ? await startHaproxy(nodes.map((node) => node.url)) : undefined;
  return {
    url: balancer?.url ?? nodes[0]!.url,
    stop: async () => {
      await balancer?.stop();
      for (const node of nodes) await node.stop();
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
  return rows;
}
