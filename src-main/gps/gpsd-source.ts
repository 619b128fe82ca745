// A client of the gpsd service: watches its JSON reports over TCP, and reconnects with backoff whenever gpsd goes away.
import { connect, type Socket } from 'node:net';
import { FIELD_CONFIG } from '../../src-shared/field-config.ts';
import { GPSD_DEFAULT, type GpsReport, type GpsSource } from '../../src-shared/gps.ts';
import { GPSD_WATCH, readGpsdLine } from './gpsd-reports.ts';
import { GPS_RETRY, retryDelay, type RetryPolicy } from './retry.ts';

export interface GpsdOptions {
  host?: string;
  port?: number;
  now?: () => number;
  /** Waits before reconnecting; FIELD_CONFIG's GPS retry times by default. */
  retry?: RetryPolicy;
}

type Rejection = 'malformed' | 'implausible';

export interface GpsdSource extends GpsSource {
  counts(): { fixes: number; rejected: Record<Rejection, number>; connections: number };
}

/** gpsd's JSON objects are a few KB at most; a line longer than this is not gpsd talking. */
const MAX_LINE = 64 * 1024;

/** Connects at once and keeps connecting until closed; reports `unavailable` while gpsd cannot be reached. */
export function startGpsdSource(options: GpsdOptions = {}): GpsdSource {
  return new GpsdClient(options);
}

class GpsdClient implements GpsdSource {
  readonly kind = 'gpsd' as const;
  readonly #host: string;
  readonly #port: number;
  readonly #now: () => number;
  readonly #retry: RetryPolicy;
  readonly #listeners = new Set<(report: GpsReport) => void>();
  readonly #rejected: Record<Rejection, number> = { malformed: 0, implausible: 0 };
  #accepted = 0;
  #connections = 0;
  #failures = 0;
  #socket: Socket | undefined;
  #retryTimer: ReturnType<typeof setTimeout> | undefined;
  #closed = false;
  /** Whether the last thing said was `unavailable`, so a reconnection says gpsd is back. */
  #saidUnavailable = false;

  constructor(options: GpsdOptions) {
    this.#host = options.host ?? GPSD_DEFAULT.host;
    this.#port = options.port ?? GPSD_DEFAULT.port;
    this.#now = options.now ?? Date.now;
    this.#retry = options.retry ?? GPS_RETRY;
    this.#connect();
  }

  onReport(listener: (report: GpsReport) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  counts() {
    return { fixes: this.#accepted, rejected: { ...this.#rejected }, connections: this.#connections };
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#listeners.clear();
    clearTimeout(this.#retryTimer);
    const socket = this.#socket;
    if (!socket || socket.destroyed) return;
    await new Promise<void>((resolve) => {
      socket.once('close', () => resolve());
      socket.destroy();
    });
  }

  #connect(): void {
    const socket = connect({ host: this.#host, port: this.#port });
    this.#socket = socket;
    let buffered = '';
    let reason = 'gpsd closed the connection';
    socket.setEncoding('utf8');
    socket.setTimeout(FIELD_CONFIG.gpsdConnectTimeoutMs);
    socket.once('timeout', () => {
      reason = `gpsd did not answer within ${FIELD_CONFIG.gpsdConnectTimeoutMs} ms`;
      socket.destroy();
    });
    socket.once('connect', () => {
      // Once connected, silence is gpsd with no receiver, not a dead link: the fix goes stale instead.
      socket.setTimeout(0);
      this.#connections++;
      socket.write(GPSD_WATCH);
      if (this.#saidUnavailable) this.#emit({ kind: 'no-fix' });
    });
    socket.on('data', (chunk: string) => {
      this.#failures = 0;
      buffered += chunk;
      const lines = buffered.split('\n');
      buffered = lines.pop()!;
      if (buffered.length > MAX_LINE) {
        this.#rejected.malformed++;
        buffered = '';
      }
      const receivedAt = this.#now();
      for (const line of lines) if (line.trim() !== '') this.#read(line, receivedAt);
    });
    socket.on('error', (error: NodeJS.ErrnoException) => {
      reason = `gpsd at ${this.#host}:${this.#port} cannot be reached (${error.code ?? error.message})`;
    });
    socket.once('close', () => {
      if (this.#closed) return;
      this.#emit({ kind: 'unavailable', reason });
      this.#scheduleRetry();
    });
  }

  #read(line: string, receivedAt: number): void {
    const outcome = readGpsdLine(line, receivedAt);
    if (outcome?.kind === 'rejected') this.#rejected[outcome.reason]++;
    else if (outcome) {
      if (outcome.kind === 'fix') this.#accepted++;
      this.#emit(outcome);
    }
  }

  /** Doubles the wait for each failure in a row; a connection that delivered anything starts the count again. */
  #scheduleRetry(): void {
    this.#failures++;
    this.#retryTimer = setTimeout(() => this.#connect(), retryDelay(this.#failures, this.#retry));
  }

  #emit(report: GpsReport): void {
    this.#saidUnavailable = report.kind === 'unavailable';
    for (const listener of this.#listeners) listener(report);
  }
}
