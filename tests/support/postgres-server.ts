// A private PostgreSQL for one test file (SERVERS.md's recipe): its own cluster in a temp folder, on a free
// loopback port, stopped by its process id when the test ends, and killed with the test process if that dies first.
import { execFile, execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { freePort } from './free-port.ts';

const run = promisify(execFile);
const ROLE = 'outrider';

export interface PostgresServer {
  /** postgres:// URL of a database made for the test. */
  url: string;
  /** Makes another empty database on the same server (one per test keeps tests apart) and gives its URL. */
  database(): Promise<string>;
  /** Starts the server again on the same data and port, after `stop` or `kill`. */
  restart(): Promise<void>;
  /** Stops the server (fast shutdown); `remove` also deletes its folder. Safe to call twice. */
  stop(options?: { remove?: boolean }): Promise<void>;
  /** SIGKILL to the postmaster and its backends: the database host is gone, nothing shuts down cleanly. */
  kill(): void;
  /** SIGSTOP (true) or SIGCONT (false) to the postmaster and its backends: a database that hangs without closing a connection. */
  freeze(frozen: boolean): void;
}

export interface PostgresOptions {
  /** Off only for speed in tests that never kill the server to prove a commit survived (SERVERS.md). */
  fsync?: boolean;
}

/** Why this machine cannot run PostgreSQL for a test, or undefined when it can. */
export function whyNoPostgres(): string | undefined {
  const missing = findBinaries() ? undefined : 'PostgreSQL is not installed (no initdb under /usr/lib/postgresql/*/bin or on PATH; apt-get install -y postgresql)';
  if (missing && process.env.OUTRIDER_REQUIRE_POSTGRES) throw new Error(`OUTRIDER_REQUIRE_POSTGRES is set but ${missing}`);
  if (!missing && isRoot() && !userExists('postgres')) return 'running as root, and there is no postgres user to run initdb as';
  return missing;
}

export async function startPostgres(options: PostgresOptions = {}): Promise<PostgresServer> {
  const reason = whyNoPostgres();
  if (reason) throw new Error(reason);
  const bin = findBinaries()!;
  const dir = mkdtempSync(join(tmpdir(), 'outrider-pg-'));
  const data = join(dir, 'data');
  // initdb refuses to run as root: the cluster belongs to the postgres user then.
  const as = isRoot() ? ['runuser', '-u', 'postgres', '--'] : [];
  if (isRoot()) chownSync(dir, Number(execFileSync('id', ['-u', 'postgres']).toString()), Number(execFileSync('id', ['-g', 'postgres']).toString()));
  const tool = (name: string, args: string[]) => (as.length ? run(as[0]!, [...as.slice(1), join(bin, name), ...args]) : run(join(bin, name), args));
  await tool('initdb', ['-D', data, '-A', 'trust', '-U', ROLE, '-E', 'UTF8', '--locale=C', '--no-sync']);
  let port = 0;
  let pid = 0;
  let killed: number[] = [];
  const start = async (): Promise<void> => {
    // After a kill the processes may linger a moment (or stay zombies nobody reaps), and the server would take
    // its old lock files for a live one's: wait until they are gone, then drop the files.
    if (killed.length > 0) {
      await waitUntil(() => killed.every(isGone), 10_000, 'the killed PostgreSQL processes did not end');
      for (const lock of [join(data, 'postmaster.pid'), join(dir, `.s.PGSQL.${port}.lock`)]) rmSync(lock, { force: true });
      killed = [];
    }
    const settings = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1${options.fsync === false ? ' -c fsync=off' : ''} -c max_connections=60`;
    await tool('pg_ctl', ['-D', data, '-l', join(dir, 'log'), '-w', '-t', '30', '-o', settings, 'start']);
    pid = Number(readFileSync(join(data, 'postmaster.pid'), 'utf8').split('\n')[0]);
    running.add(pid);
  };
  // Another process may take the free port between our look and the server's bind: try a fresh one.
  for (let attempt = 1; ; attempt++) {
    port = await freePort();
    try {
      await start();
      break;
    } catch (error) {
      if (attempt === 3) throw new Error(`PostgreSQL did not start: ${(error as Error).message}\n${readLog(dir)}`, { cause: error });
    }
  }
  const base = `postgres://${ROLE}@127.0.0.1:${port}`;
  let made = 0;
  const database = async (): Promise<string> => {
    const name = `test_${++made}`;
    const admin = new pg.Client({ connectionString: `${base}/postgres` });
    await admin.connect();
    try {
      await admin.query(`create database ${name}`);
    } finally {
      await admin.end();
    }
    return `${base}/${name}`;
  };
  const stop = async ({ remove = true } = {}): Promise<void> => {
    if (running.has(pid)) {
      running.delete(pid);
      await tool('pg_ctl', ['-D', data, '-m', 'fast', '-w', 'stop']).catch(() => killTree(pid));
    }
    if (remove) rmSync(dir, { recursive: true, force: true });
  };
  return {
    url: await database(),
    database,
    restart: start,
    stop,
    kill: () => {
      running.delete(pid);
      killed = killTree(pid);
    },
    freeze: (frozen) => {
      for (const each of [pid, ...childrenOf(pid)]) process.kill(each, frozen ? 'SIGSTOP' : 'SIGCONT');
    },
  };
}

/** Postmasters this process started and has not stopped: killed if it exits first (a test that crashed). */
const running = new Set<number>();
process.on('exit', () => {
  for (const pid of running) killTree(pid);
});

/** Kills a postmaster and its backends at once, and names them. */
function killTree(pid: number): number[] {
  const all = [...childrenOf(pid), pid];
  for (const each of all) signal(each);
  return all;
}

function isGone(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
  } catch {
    return true;
  }
}

async function waitUntil(done: () => boolean, ms: number, failure: string): Promise<void> {
  const deadline = Date.now() + ms;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(failure);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

function signal(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // Already gone.
  }
}

function childrenOf(pid: number): number[] {
  const children: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // The parent's pid is the 2nd field after the command name, which is in parentheses and may hold spaces.
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === pid) children.push(Number(entry));
    } catch {
      // The process ended while we looked.
    }
  }
  return children;
}

function findBinaries(): string | undefined {
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? readdirSync(root).sort((a, b) => Number(b) - Number(a)) : [];
  for (const version of versions) if (existsSync(join(root, version, 'bin', 'initdb'))) return join(root, version, 'bin');
  for (const folder of (process.env.PATH ?? '').split(':')) if (folder && existsSync(join(folder, 'initdb')) && existsSync(join(folder, 'pg_ctl'))) return folder;
  return undefined;
}

function isRoot(): boolean {
  return process.getuid?.() === 0;
}

function userExists(name: string): boolean {
  try {
    execFileSync('id', ['-u', name], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

function readLog(dir: string): string {
  try {
    return readFileSync(join(dir, 'log'), 'utf8').slice(-2000);
  } catch {
    return '(no server log)';
  }
}

