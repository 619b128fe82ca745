// A private gpsd for one test file (SERVERS.md's recipe): gpsfake replays an NMEA log into it on a free loopback port,
// and it is stopped by its process group when the test ends, or killed with the test process if that dies first.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { connect } from 'node:net';
import { freePort } from './free-port.ts';

export interface GpsdServer {
  port: number;
  /** Stops gpsfake and its gpsd. Safe to call twice. */
  stop(): Promise<void>;
  /** Starts them again on the same port, after `stop`: a gpsd that systemd restarted. */
  restart(): Promise<void>;
}

export interface GpsfakeOptions {
  /** The NMEA log to replay, over and over. */
  log: string;
  /** Seconds between sentences; an RMC and a GGA make one fix, so 0.1 gives five fixes a second. */
  cycle?: number;
}

/** Why this machine cannot run gpsfake, or undefined when it can. */
export function whyNoGpsd(): string | undefined {
  try {
    execFileSync('gpsfake', ['-h'], { stdio: 'ignore' });
    // gpsd is in /usr/sbin, which an ordinary user's PATH may lack; gpsfake looks there itself.
    execFileSync('gpsd', ['-V'], { stdio: 'ignore', env: { ...process.env, PATH: `${process.env.PATH ?? ''}:/usr/sbin` } });
    return undefined;
  } catch {
    const missing = 'gpsd and gpsfake are not installed (apt-get install -y gpsd gpsd-clients)';
    // CI installs them: there a missing gpsd fails the run rather than skipping its tests.
    if (process.env.OUTRIDER_REQUIRE_GPSD) throw new Error(`OUTRIDER_REQUIRE_GPSD is set but ${missing}`);
    return missing;
  }
}

export async function startGpsfake(options: GpsfakeOptions): Promise<GpsdServer> {
  const reason = whyNoGpsd();
  if (reason) throw new Error(reason);
  let port = 0;
  let child: ChildProcess | undefined;
  const start = async (): Promise<void> => {
    // gpsfake runs gpsd as its child: a process group of their own lets one signal end both.
    child = spawn('gpsfake', ['-P', String(port), '-c', String(options.cycle ?? 0.1), '-q', options.log], {
      detached: true,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    running.add(child.pid!);
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<never>((_, reject) => child!.once('exit', (code) => reject(new Error(`gpsfake exited (${code}): ${stderr.trim()}`))));
    exited.catch(() => undefined);
    await Promise.race([waitForPort(port, 15_000), exited]);
  };
  const stop = async (): Promise<void> => {
    const ending = child;
    child = undefined;
    if (!ending || ending.exitCode !== null || ending.signalCode !== null) return;
    const exited = new Promise((resolve) => ending.once('exit', resolve));
    killGroup(ending.pid!, 'SIGTERM');
    const timer = setTimeout(() => killGroup(ending.pid!, 'SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
    running.delete(ending.pid!);
    // gpsd may outlive gpsfake by a moment: the port is free only once it has gone too.
    await waitForPortClosed(port, 5_000);
  };
  // Another process may take the free port between our look and gpsd's bind: try a fresh one.
  for (let attempt = 1; ; attempt++) {
    port = await freePort();
    try {
      await start();
      break;
    } catch (error) {
      if (child) killGroup(child.pid!, 'SIGKILL');
      child = undefined;
      if (attempt === 3) throw error;
    }
  }
  return { port, stop, restart: start };
}

/** gpsfake process groups this process started and has not stopped: killed if it exits first (a test that crashed). */
const running = new Set<number>();
process.on('exit', () => {
  for (const pid of running) killGroup(pid, 'SIGKILL');
});

function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // Already gone.
  }
}

const canConnect = (port: number): Promise<boolean> =>
  new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });

async function waitForPort(port: number, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await canConnect(port))) {
    if (Date.now() > deadline) throw new Error(`gpsd did not listen on port ${port} within ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function waitForPortClosed(port: number, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (await canConnect(port)) {
    if (Date.now() > deadline) throw new Error(`gpsd still listens on port ${port} after ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
