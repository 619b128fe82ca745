// Exactly-once execution per Idempotency-Key, kept in the store: the record is written before any source is
// asked and each part as it comes, so a switch killed at any moment, restarted (or another node of several),
// answers a resend from what it holds and asks only the sources that had not answered. Never a second run.
import { createHash } from 'node:crypto';
import type { AnswerPart, Priority, QueryAnswer, QueryStatus, Source } from '../../src-shared/protocol.ts';
import type { Query } from '../../src-shared/queries.ts';
import type { SwitchStore } from '../store/store.ts';

/** What the store keeps of one query. The query itself is kept so a run cut short can be finished. */
export interface ExecutionRecord {
  key: string;
  owner?: string;
  fingerprint: string;
  queryId: string;
  receivedAt: string;
  /** Epoch ms of the first receipt, for retention and the admin's recent list. */
  at: number;
  priority: Priority;
  query: Query;
  sources: Source[];
  /** Whether the parts go to the owner's event stream (Prefer: respond-async). */
  streamed: boolean;
  /** Parts in the order the sources answered. */
  parts: AnswerPart[];
  complete: boolean;
  /** How many times the query was run: 1, whatever was resent or finished after a crash. */
  executions: number;
  /** The node running it, until when; another node finishes it only once this has passed. */
  lease?: { node: string; until: number };
}

export type Claim = { kind: 'new'; record: ExecutionRecord } | { kind: 'replay'; record: ExecutionRecord } | { kind: 'mismatch' };

export const EXECUTIONS = 'execution';
/** The keys of runs not yet complete: the sweep for a dead node's runs reads these, not every record held. */
const UNFINISHED = 'execution-unfinished';
const COUNTERS = 'counter';
/** How long a node's claim on a run stands without renewal: a dead node's runs are taken over after this. */
export const LEASE_MS = 10_000;
/** The most recent executions the admin's stats list, newest last. */
const RECENT_KEPT = 2000;

/** Canonical fingerprint of a request body: the same query with keys in another order is the same query. */
export function fingerprint(body: unknown): string {
  const canonical = JSON.stringify(body, (_key, value: unknown) =>
    value && typeof value === 'object' && !Array.isArray(value)
      ? Object.fromEntries(Object.entries(value).sort(([a], [b]) => a.localeCompare(b)))
      : value,
  );
  return createHash('sha256').update(canonical).digest('hex');
}

export type NewRun = Omit<ExecutionRecord, 'fingerprint' | 'parts' | 'complete' | 'executions' | 'lease'>;

export class Executions {
  constructor(
    private readonly store: SwitchStore,
    private readonly node: string,
    private readonly retentionMs: number,
    private readonly clock: () => number = Date.now,
  ) {}

  /** The record for `key`, made now if there is none: the same key for another body or owner is a mismatch. */
  async claim(run: NewRun, body: unknown): Promise<Claim> {
    const print = fingerprint({ body, owner: run.owner });
    const now = this.clock();
    const claim = await this.store.update<ExecutionRecord, Claim>(EXECUTIONS, run.key, (current) => {
      if (current && current.at + this.retentionMs >= now) {
        return current.fingerprint === print ? { result: { kind: 'replay', record: current } } : { result: { kind: 'mismatch' } };
      }
      const record: ExecutionRecord = { ...run, fingerprint: print, parts: [], complete: false, executions: 1, lease: { node: this.node, until: now + LEASE_MS } };
      return { next: record, expiresAt: now + this.retentionMs, result: { kind: 'new', record } };
    });
    if (claim.kind === 'replay') await this.store.update<number, void>(COUNTERS, 'replayed', (count) => ({ next: (count ?? 0) + 1, result: undefined }));
    if (claim.kind === 'new') await this.store.update<number, void>(UNFINISHED, run.key, () => ({ next: now, expiresAt: now + this.retentionMs, result: undefined }));
    return claim;
  }

  /**
   * Takes over a run no live node holds (its lease has passed: the node died), so it can be finished.
   * Undefined when it is complete, or another node still holds it.
   */
  async takeOver(key: string, alone = false): Promise<ExecutionRecord | undefined> {
    const now = this.clock();
    return this.store.update<ExecutionRecord, ExecutionRecord | undefined>(EXECUTIONS, key, (current) => {
      if (!current || current.complete || (!alone && current.lease && current.lease.node !== this.node && current.lease.until > now)) return { result: undefined };
      const next = { ...current, lease: { node: this.node, until: now + LEASE_MS } };
      return { next, result: next };
    });
  }

  /** Keeps a part as it comes, renewing the lease; false when the source had answered already (not kept twice). */
  async addPart(key: string, part: AnswerPart): Promise<boolean> {
    const now = this.clock();
    return this.store.update<ExecutionRecord, boolean>(EXECUTIONS, key, (current) => {
      if (!current || current.parts.some((held) => held.source === part.source)) return { result: false };
      return { next: { ...current, parts: [...current.parts, part], lease: { node: this.node, until: now + LEASE_MS } }, result: true };
    });
  }

  async renew(key: string): Promise<void> {
    const now = this.clock();
    await this.store.update<ExecutionRecord, void>(EXECUTIONS, key, (current) =>
      current && !current.complete && current.lease?.node === this.node ? { next: { ...current, lease: { node: this.node, until: now + LEASE_MS } }, result: undefined } : { result: undefined },
    );
  }

  /** Marks the run complete; the answer is every part, in fan-out order. */
  async complete(key: string): Promise<ExecutionRecord | undefined> {
    const done = await this.store.update<ExecutionRecord, ExecutionRecord | undefined>(EXECUTIONS, key, (current) => {
      if (!current) return { result: undefined };
      const next = { ...current, complete: true, lease: undefined };
      return { next, result: next };
    });
    await this.#finished(key);
    return done;
  }

  async #finished(key: string): Promise<void> {
    await this.store.update<number, void>(UNFINISHED, key, () => ({ next: null, result: undefined }));
  }

  /** A run that failed outright is forgotten, so the terminal's retry can run it again. */
  async forget(key: string): Promise<void> {
    await this.store.update<ExecutionRecord, void>(EXECUTIONS, key, () => ({ next: null, result: undefined }));
    await this.#finished(key);
  }

  async lookup(key: string): Promise<ExecutionRecord | undefined> {
    const record = await this.store.get<ExecutionRecord>(EXECUTIONS, key);
    return record && record.at + this.retentionMs >= this.clock() ? record : undefined;
  }

  /**
   * Runs left unfinished with no live lease: after a crash of this node, or of another. `alone`: no other node
   * uses this store (SQLite, memory), so every unfinished run is this process's predecessor's, lease or not.
   */
  async orphans(alone = false): Promise<ExecutionRecord[]> {
    const now = this.clock();
    const keys = (await this.store.list<number>(UNFINISHED)).map(([key]) => key);
    const records = await Promise.all(keys.map((key) => this.store.get<ExecutionRecord>(EXECUTIONS, key)));
    return records.filter(
      (record): record is ExecutionRecord => record !== undefined && !record.complete && (alone || !record.lease || record.lease.until <= now || record.lease.node === this.node),
    );
  }

  async stats() {
    const records = (await this.store.list<ExecutionRecord>(EXECUTIONS)).map(([, record]) => record).sort((a, b) => a.at - b.at);
    const replayed = (await this.store.get<number>(COUNTERS, 'replayed')) ?? 0;
    return {
      executed: records.reduce((sum, record) => sum + record.executions, 0),
      replayed,
      byKey: Object.fromEntries(records.map((record) => [record.key, record.executions])),
      recent: records.slice(-RECENT_KEPT).map((record) => ({ key: record.key, priority: record.priority })),
    };
  }
}

export function statusOf(record: ExecutionRecord): QueryStatus {
  return { queryId: record.queryId, idempotencyKey: record.key, receivedAt: record.receivedAt, sources: [...record.sources], parts: [...record.parts], complete: record.complete };
}

/** The whole answer, parts in fan-out order (the synchronous reply's order). */
export function answerOf(record: ExecutionRecord): QueryAnswer {
  const parts = record.sources.map((source) => record.parts.find((part) => part.source === source)).filter((part): part is AnswerPart => part !== undefined);
  return { queryId: record.queryId, idempotencyKey: record.key, receivedAt: record.receivedAt, parts };
}
