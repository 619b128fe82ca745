// Runs the reference switch as a real child process on loopback; start-web and the tests both use it.
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LinkConditions } from '../src-shared/conditions.ts';
import { type DrillReport, drillPaths, type DrillStatus } from '../src-shared/drill.ts';
import { type Bolo, type BoloRequest, type ExecutionStats, paths } from '../src-shared/protocol.ts';
import { switchCommand } from './switch-bundle.ts';

const LISTENING = /Outrider switch listening on (http:\/\/[\d.]+:\d+)[\s\S]*Outrider switch admin on (http:\/\/[\d.]+:\d+)/;
/** Printed at each start; with a durable store the switch is its supervisor's child, and a drill restart changes it. */
const SWITCH_PID = /Switch process id: (\d+)/g;

export class SwitchProcess {
  #child: ChildProcess | undefined;
  /** The switch's own process: the child's child under its supervisor (durable stores), else the child itself. */
  #switchPid: number | undefined;
  #port: number;
  #stderr = '';
  url = '';
  adminUrl = '';

  constructor(
    port = 0,
    private readonly extraArgs: readonly string[] = [],
  ) {
    this.#port = port;
  }

  /** The admin port's token, read from the file the switch made on its first start. */
  get adminToken(): string {
    return readFileSync(this.adminTokenFile, 'utf8').trim();
  }

  /** A request to the admin port with the admin token, as the instructor page or an administrator's script sends it. */
  adminFetch(path: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    headers.set('Authorization', `Bearer ${this.adminToken}`);
    if (init.body !== undefined && !headers.has('Content-Type')) headers.set('Content-Type', 'application/json');
    return fetch(`${this.adminUrl}${path}`, { ...init, headers });
  }

  /** Sets the link conditions the switch plays (outage, black hole, errors...) through its admin port. */
  async setConditions(conditions: Partial<LinkConditions>): Promise<LinkConditions> {
    const response = await this.adminFetch(paths.adminConditions, { method: 'PUT', body: JSON.stringify(conditions) });
    if (!response.ok) throw new Error(`The switch refused the conditions: ${await response.text()}`);
    return (await response.json()) as LinkConditions;
  }

  async stats(): Promise<ExecutionStats> {
    return (await (await this.adminFetch(paths.adminStats)).json()) as ExecutionStats;
  }

  /** Issues a BOLO to every terminal's stream through the admin port, as an instructor or the agency would. */
  async issueBolo(body: BoloRequest): Promise<Bolo> {
    const response = await this.adminFetch(paths.adminBolos, { method: 'POST', body: JSON.stringify(body) });
    if (!response.ok) throw new Error(`The switch refused the BOLO: ${await response.text()}`);
    return (await response.json()) as Bolo;
  }

  /** Plays a shipped drill (`drills/<id>.json`), as the instructor page does. To play a file, start with extraArgs `--drill FILE`. */
  async startDrill(id: string): Promise<DrillStatus> {
    const response = await this.adminFetch(drillPaths.adminDrill, { method: 'POST', body: JSON.stringify({ id }) });
    if (!response.ok) throw new Error(`The switch did not start the drill: ${await response.text()}`);
    return (await response.json()) as DrillStatus;
  }

  /** The drill report so far (the final one once the drill has ended). */
  async drillReport(): Promise<DrillReport> {
    return (await (await this.adminFetch(drillPaths.adminReport)).json()) as DrillReport;
  }

  get port(): number {
    return this.#port;
  }

  /** The switch's process id, while it runs (the benchmarks read its memory): not its supervisor's, and the latest after a drill restart. */
  get pid(): number {
    const pid = this.#switchPid ?? this.#child?.pid;
    if (pid === undefined || !this.running) throw new Error('the switch is not running');
    return pid;
  }

  /** What the switch wrote to stderr since its last start: where it tells its operator what went wrong. */
  get stderr(): string {
    return this.#stderr;
  }

  get running(): boolean {
    return this.#child !== undefined && this.#child.exitCode === null;
  }

  /**
   * One data folder for every start of this switch, as a real switch keeps it on disk: its SQLite store (unless
   * extraArgs choose another), the admin token. A restart keeps terminals signed in and every promise made.
   */
  readonly #stateDir = mkdtempSync(join(tmpdir(), 'outrider-switch-'));
  private readonly adminTokenFile = join(this.#stateDir, 'admin.token');

  /** Starts the switch; after a stop it comes back on the same port, as a restarted switch would. */
  async start(): Promise<string> {
    const state = ['--data-dir', this.#stateDir];
    const args = [...switchCommand(), '--port', String(this.#port), ...state, ...this.extraArgs];
    const child = spawn(process.execPath, args, {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.#child = child;
    this.#switchPid = undefined;
    this.#stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => (this.#stderr += chunk.toString()));
    const [url, adminUrl] = await new Promise<[string, string]>((resolve, reject) => {
      let stdout = '';
      child.stdout!.on('data', (chunk: Buffer) => {
        stdout += chunk.toString();
        const pids = [...stdout.matchAll(SWITCH_PID)];
        if (pids.length > 0) this.#switchPid = Number(pids.at(-1)![1]);
        // Kept short: once the switch listens only its latest pid line matters.
        if (stdout.length > 64_000) stdout = stdout.slice(-16_000);
        const match = LISTENING.exec(stdout);
        if (match) resolve([match[1]!, match[2]!]);
      });
      child.once('exit', (code) => reject(new Error(`The switch exited (${code}) before listening: ${this.#stderr.trim()}`)));
    });
    this.url = url;
    this.adminUrl = adminUrl;
    this.#port = Number(new URL(url).port);
    return url;
  }

  /**
   * Kills the switch outright (SIGKILL), as a crash or a power cut would: it gets no chance to tidy up. Under its
   * supervisor the switch process itself is killed; the supervisor, seeing no drill restart, ends with it, and
   * waiting for that means the switch's ports are free again.
   */
  async kill(): Promise<void> {
    const child = this.#child;
    const switchPid = this.#switchPid;
    if (!child || child.exitCode !== null || child.signalCode !== null || switchPid === undefined || switchPid === child.pid) return this.#end('SIGKILL');
    const exited = once(child, 'exit');
    try {
      process.kill(switchPid, 'SIGKILL');
    } catch {
      // Already gone.
    }
    const stuck = setTimeout(() => child.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(stuck);
  }

  stop(): Promise<void> {
    return this.#end('SIGTERM');
  }

  async #end(signal: NodeJS.Signals): Promise<void> {
    const child = this.#child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = once(child, 'exit');
    child.kill(signal);
    await exited;
  }
}
