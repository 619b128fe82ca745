// Figure 7: queries per second the reference switch sustains for many terminals, and their p99 latency.
import { randomUUID } from 'node:crypto';
import { Agent, request } from 'node:http';
import { SwitchProcess } from '../scripts/switch-process.ts';
import { bearer } from '../src-shared/auth.ts';
import { IDEMPOTENCY_HEADER, paths } from '../src-shared/protocol.ts';
import { traineeOfficers } from '../src-switch/drill-officers.ts';
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

/** The switch at its default latency scale (sources answer in 40-120 ms), its own process, loaded from this one. */
export async function measureSwitchCapacity(options: CapacityOptions): Promise<Row[]> {
  const capacitySwitch = new SwitchProcess(0, ['--training-officers', String(options.terminals)]);
  await capacitySwitch.start();
  try {
    const url = new URL(`${capacitySwitch.url}${paths.queries}`);
    const sessions = await signInAll(capacitySwitch.url, options.terminals);
    const runs = [];
    for (let run = 0; run < options.runs; run++) runs.push(await load(url, options, sessions));
    const errors = runs.reduce((sum, run) => sum + run.errors, 0);
    const latencies = runs.flatMap((run) => run.latencies);
    const note = `${options.runs} run(s) of ${options.measureMs / 1000} s after ${options.warmupMs / 1000} s warm-up; ${errors} failed requests; the load comes from one Node process on the same cores`;
    return [
      { figure: `Switch capacity, ${options.terminals} terminals (keep-alive)`, unit: 'q/s', outrider: { value: median(runs.map((run) => run.qps)) }, targets: [], note },
      { figure: `Switch latency p99 at that load`, unit: 'ms', outrider: latencies.length ? { value: percentile(latencies, 99) } : null, targets: [] },
    ];
  } finally {
    await capacitySwitch.stop();
  }
}
