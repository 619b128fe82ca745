// Writes the intake from a worker (intake-worker.ts), off the page's main thread, where a frame being drawn
// would hold the commit back: the row is sealed and stamped here as the database's middlewares would, and the
// data key stays in the page. The same worker commits the officer's acknowledgements of alerts (alert-center.ts).
import { stampIntake } from '../db/audit-chain-middleware.ts';
import { type AcknowledgementRecord, type IntakeRecord, type OutriderDb, sealingOf } from '../db/database.ts';
import type { Query } from '../../src-shared/queries.ts';
import { sealFields } from '../vault/cji-middleware.ts';
import { seal, type Sealed } from '../vault/sealing.ts';
import { journalOf } from './queue-journal.ts';

export interface IntakeRequest {
  n: number;
  database: string;
  kind?: 'intake';
  /** Sealed already: the data key never leaves the page. */
  row: IntakeRecord;
  /** Copied into the queue journal too (queue-journal.ts): the page has one for this database. */
  journal?: boolean;
}

/** An acknowledgement for the worker to commit: it holds no CJI, so nothing is sealed or stamped. */
export interface AcknowledgementRequest {
  n: number;
  database: string;
  kind: 'acknowledgement';
  row: AcknowledgementRecord;
}

/** `journal`, on a write that committed: why its copy in the queue journal could not be written. */
export type IntakeReply = { n: number; ok: true; committedAt: number; journal?: string } | { n: number; ok: false; name: string; message: string };

/** Asks the worker to make the queue journal's next file ready before the first query is entered. No reply. */
export interface JournalReady {
  kind: 'journal-ready';
  database: string;
}

/** Said by the worker after a reply: a journal file written could not be flushed to disk. */
export interface JournalTrouble {
  journalTrouble: string;
}

/** The worker could not be started or has died: the caller writes through the page instead. */
export class IntakeWorkerUnavailable extends Error {}

/** The worker's side of a database: one write a message, resolved with the epoch time (high resolution) it committed at. */
export interface WorkerWrites {
  /** Posted at once, in the caller's task; rejects with IntakeWorkerUnavailable when the worker cannot run. */
  write(request: { kind: 'intake'; row: IntakeRecord; journal?: boolean } | { kind: 'acknowledgement'; row: AcknowledgementRecord }): Promise<number>;
  /** Starts the worker and has it make the queue journal's first file, while the officer types the first query. */
  readyJournal(): void;
  readonly broken: boolean;
}

export interface IntakeWriter {
  /** Resolves with the epoch time (high resolution) the row committed at. */
  write(row: IntakeRecord): Promise<number>;
  /**
   * Seals `query` ahead, while the officer is still typing it: the next write of this same query (under the
   * same data key) takes the sealed value instead of sealing it after Enter. Used once, then dropped.
   */
  prepare(query: Query): void;
  /** The row id the prepared value is sealed for, when `query` is the one prepared: the entry takes it. */
  preparedId(query: Query): string | undefined;
}

/** A query sealed ahead (IntakeWriter.prepare): what it was, as JSON, the key and the row id it was sealed under. */
interface Prepared {
  json: string;
  key: Uint8Array;
  id: string;
  sealed: Sealed;
}

const channels = new WeakMap<OutriderDb, WorkerWrites | undefined>();
const writers = new WeakMap<OutriderDb, IntakeWriter | undefined>();

/** The worker's writes for `db` (one worker per database, started on the first write), or undefined where there are no workers (Node). */
export function workerWrites(db: OutriderDb): WorkerWrites | undefined {
  if (!channels.has(db)) channels.set(db, typeof Worker === 'undefined' ? undefined : startChannel(db));
  return channels.get(db);
}

/** The intake's worker writer for `db`, or undefined where there are no workers (Node) or nothing is sealed. */
export function workerIntake(db: OutriderDb): IntakeWriter | undefined {
  if (!writers.has(db)) writers.set(db, startWriter(db));
  return writers.get(db);
}

function startChannel(db: OutriderDb): WorkerWrites {
  let worker: Worker | undefined;
  let broken = false;
  let journalReadied = false;
  let next = 0;
  const waiting = new Map<number, { resolve(at: number): void; reject(error: Error): void }>();
  const fail = (error: Error) => {
    broken = true;
    worker?.terminate();
    waiting.forEach((each) => each.reject(error));
    waiting.clear();
  };
  const started = (): Worker => {
    if (worker) return worker;
    worker = new Worker(new URL('./intake-worker.ts', import.meta.url), { type: 'module', name: 'outrider-intake' });
    worker.onmessage = (event: MessageEvent<IntakeReply | JournalTrouble>) => {
      if ('journalTrouble' in event.data) {
        journalOf(db)?.noteTrouble(event.data.journalTrouble);
        return;
      }
      const reply = event.data;
      const held = waiting.get(reply.n);
      waiting.delete(reply.n);
      if (reply.ok && reply.journal) journalOf(db)?.noteTrouble(reply.journal);
      if (reply.ok) held?.resolve(reply.committedAt);
      else held?.reject(Object.assign(new Error(reply.message), { name: reply.name }));
    };
    // A script that cannot load (or a worker that dies) fails what waits, and every write after, over to the page.
    worker.onerror = (event) => {
      event.preventDefault();
      fail(new IntakeWorkerUnavailable(event.message || 'The intake worker failed'));
    };
    return worker;
  };
  return {
    get broken() {
      return broken;
    },
    write(request) {
      if (broken) return Promise.reject(new IntakeWorkerUnavailable('The intake worker failed'));
      const n = next++;
      const committed = new Promise<number>((resolve, reject) => waiting.set(n, { resolve, reject }));
      try {
        started().postMessage({ n, database: db.name, ...request } satisfies IntakeRequest | AcknowledgementRequest);
      } catch (error) {
        // Rejects `committed` with the rest: the caller writes through the page.
        fail(new IntakeWorkerUnavailable((error as Error).message));
      }
      return committed;
    },
    readyJournal() {
      if (broken || journalReadied) return;
      journalReadied = true;
      try {
        started().postMessage({ kind: 'journal-ready', database: db.name } satisfies JournalReady);
      } catch (error) {
        fail(new IntakeWorkerUnavailable((error as Error).message));
      }
    },
  };
}

function startWriter(db: OutriderDb): IntakeWriter | undefined {
  const sealing = sealingOf(db);
  const channel = workerWrites(db);
  if (!channel || !sealing) return undefined;
  let prepared: Prepared | undefined;
  /** `row`'s query sealed ahead, if it was prepared under this key; the prepared value is used once either way. */
  const preparedFor = (row: IntakeRecord, key: Uint8Array): Sealed | undefined => {
    const held = prepared;
    if (!held || held.key !== key || held.id !== row.id || held.json !== JSON.stringify(row.query)) return undefined;
    prepared = undefined;
    return held.sealed;
  };
  return {
    async write(row) {
      const key = sealing.key();
      if (channel.broken || !key) throw new IntakeWorkerUnavailable(channel.broken ? 'The intake worker failed' : 'The data key is not loaded yet');
      // Stamped and sealed as the database's middlewares would; a query sealed ahead is used as it is.
      const ahead = preparedFor(row, key);
      const sealed = sealFields(key, 'intake', stampIntake(ahead ? { ...row, query: ahead as unknown as Query } : row, sealing.stamp));
      return channel.write({ kind: 'intake', row: sealed, journal: journalOf(db) !== undefined });
    },
    prepare(query) {
      const key = sealing.key();
      if (channel.broken || !key) return;
      // The first query's file is made while it is typed, not after its Enter: made then, it held Enter up.
      if (journalOf(db)) channel.readyJournal();
      const json = JSON.stringify(query);
      if (prepared?.json === json && prepared.key === key) return;
      // The table, field and row the value will rest in: it is bound to them and opens nowhere else.
      const id = crypto.randomUUID();
      prepared = { json, key, id, sealed: seal(key, 'intake', 'query', id, query) };
    },
    preparedId(query) {
      return prepared?.json === JSON.stringify(query) ? prepared.id : undefined;
    },
  };
}
