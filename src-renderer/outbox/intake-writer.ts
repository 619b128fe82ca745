// Writes the intake from a worker (intake-worker.ts), off the page's main thread, where a frame being drawn
// would hold the commit back: the row is sealed and stamped here as the database's middlewares would, and the
// data key stays in the page.
import { stampIntake } from '../db/audit-chain-middleware.ts';
import { type IntakeRecord, type OutriderDb, sealingOf } from '../db/database.ts';
import type { Query } from '../../src-shared/queries.ts';
import { sealFields } from '../vault/cji-middleware.ts';
import { seal, type Sealed } from '../vault/sealing.ts';

export interface IntakeRequest {
  n: number;
  database: string;
  /** Sealed already: the data key never leaves the page. */
  row: IntakeRecord;
}

export type IntakeReply = { n: number; ok: true; committedAt: number } | { n: number; ok: false; name: string; message: string };

/** The worker could not be started or has died: the caller writes through the page instead. */
export class IntakeWorkerUnavailable extends Error {}

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

const writers = new WeakMap<OutriderDb, IntakeWriter | undefined>();

/** The worker writer for `db` (one per database), or undefined where there are no workers (Node) or nothing is sealed. */
export function workerIntake(db: OutriderDb): IntakeWriter | undefined {
  if (!writers.has(db)) writers.set(db, startWriter(db));
  return writers.get(db);
}

function startWriter(db: OutriderDb): IntakeWriter | undefined {
  const sealing = sealingOf(db);
  if (typeof Worker === 'undefined' || !sealing) return undefined;
  let worker: Worker | undefined;
  let broken = false;
  let next = 0;
  const waiting = new Map<number, { resolve(at: number): void; reject(error: Error): void }>();
  let prepared: Prepared | undefined;
  /** `row`'s query sealed ahead, if it was prepared under this key; the prepared value is used once either way. */
  const preparedFor = (row: IntakeRecord, key: Uint8Array): Sealed | undefined => {
    const held = prepared;
    if (!held || held.key !== key || held.id !== row.id || held.json !== JSON.stringify(row.query)) return undefined;
    prepared = undefined;
    return held.sealed;
  };
  const fail = (error: Error) => {
    broken = true;
    worker?.terminate();
    waiting.forEach((each) => each.reject(error));
    waiting.clear();
  };
  const started = (): Worker => {
    if (worker) return worker;
    worker = new Worker(new URL('./intake-worker.ts', import.meta.url), { type: 'module', name: 'outrider-intake' });
    worker.onmessage = (event: MessageEvent<IntakeReply>) => {
      const reply = event.data;
      const held = waiting.get(reply.n);
      waiting.delete(reply.n);
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
    async write(row) {
      const key = sealing.key();
      if (broken || !key) throw new IntakeWorkerUnavailable(broken ? 'The intake worker failed' : 'The data key is not loaded yet');
      // Stamped and sealed as the database's middlewares would; a query sealed ahead is used as it is.
      const ahead = preparedFor(row, key);
      const sealed = sealFields(key, 'intake', stampIntake(ahead ? { ...row, query: ahead as unknown as Query } : row, sealing.stamp));
      const n = next++;
      const committed = new Promise<number>((resolve, reject) => waiting.set(n, { resolve, reject }));
      try {
        started().postMessage({ n, database: db.name, row: sealed } satisfies IntakeRequest);
      } catch (error) {
        waiting.delete(n);
        fail(new IntakeWorkerUnavailable((error as Error).message));
        throw new IntakeWorkerUnavailable((error as Error).message);
      }
      return committed;
    },
    prepare(query) {
      const key = sealing.key();
      if (broken || !key) return;
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
