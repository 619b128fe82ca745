// HAProxy in front of several switch nodes for a test (SERVERS.md): round-robin with no stickiness, so a terminal's
// stream and its queries may land on different nodes; run in the foreground and stopped by its process id.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './free-port.ts';

export interface Haproxy {
  /** http:// URL of the balancer. */
  url: string;
  stop(): Promise<void>;
}

export interface HaproxyOptions {
  /**
   * Idle time HAProxy allows on a connection either way. The event stream sends a heartbeat every 5 s, so this
   * stays well above it; a test that proves which timeout applies to a held stream may set it low.
   */
  idleMs?: number;
  /** How often each node's /v1/ready is checked. */
  checkMs?: number;
}

/** Why this machine cannot run HAProxy, or undefined when it can. */
export function whyNoHaproxy(): string | undefined {
  try {
    execFileSync('haproxy', ['-v'], { stdio: 'ignore' });
    return undefined;
  } catch {
    const missing = 'HAProxy is not installed (apt-get install -y haproxy)';
    // CI installs it: there a missing HAProxy fails the run rather than skipping its tests.
    if (process.env.OUTRIDER_REQUIRE_HAPROXY) throw new Error(`OUTRIDER_REQUIRE_HAPROXY is set but ${missing}`);
    return missing;
  }
}

/** Balances over `backends` (http://host:port URLs of switch nodes). */
export async function startHaproxy(backends: readonly string[], options: HaproxyOptions = {}): Promise<Haproxy> {
  const idle = options.idleMs ?? 30_000;
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'outrider-haproxy-'));
  const servers = backends.map((backend, index) => `  server node${index} ${new URL(backend).host} check inter ${options.checkMs ?? 1000} fall 2 rise 1`);
  const config = [
    'global',
    '  nbthread 1',
    'defaults',
    '  mode http',
    '  timeout connect 2s',
    `  timeout client ${idle}ms`,
    `  timeout server ${idle}ms`,
    `  timeout tunnel ${idle}ms`,
    '  timeout http-request 10s',
    'frontend switch',
    `  bind 127.0.0.1:${port}`,
    '  default_backend nodes',
    'backend nodes',
    '  balance roundrobin',
    '  option httpchk GET /v1/ready',
    ...servers,
    '',
  ].join('\n');
  writeFileSync(join(dir, 'haproxy.cfg'), config);
  const child = spawn('haproxy', ['-f', join(dir, 'haproxy.cfg'), '-db'], { stdio: ['ignore', 'ignore', 'pipe'] });
  running.add(child);
  let output = '';
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const stop = async (): Promise<void> => {
    if (running.delete(child) && child.exitCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await untilListening(port, child);
  } catch (error) {
    await stop();
    throw new Error(`HAProxy did not start: ${(error as Error).message}\n${output}`, { cause: error });
  }
  return { url: `http://127.0.0.1:${port}`, stop };
}

const running = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

/** Resolves once the port takes connections; rejects if HAProxy exits first (a bad config, the port taken). */
async function untilListening(port: number, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`exited with ${child.exitCode}`);
    if (await accepts(port)) return;
    if (Date.now() > deadline) throw new Error(`nothing listens on 127.0.0.1:${port} after 10 s`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

