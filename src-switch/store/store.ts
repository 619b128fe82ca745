// What the switch promises to remember, behind one interface with three engines: memory (the desktop app's
// bundled drill switch, unit tests), SQLite (one node, the default) and PostgreSQL (several nodes).
// Records are JSON documents by namespace and key, changed only inside a transaction; the event log and the
// audit trails are append-only tables of their own. The durable engines seal every value at rest (sealing.ts).
import type { AuditRecord } from '../../src-shared/audit-chain.ts';
import type { Sealer } from './sealing.ts';

export type StoreEngine = 'memory' | 'sqlite' | 'postgres';

export interface StoredEvent {
  seq: number;
  /** The one terminal the event is for; null for a broadcast. */
  terminal: string | null;
  type: string;
  data: unknown;
  at: number;
}

/** What a change decides inside its transaction: the record's next value (null deletes it), and what to answer. */
export interface Change<T, R> {
  next?: T | null;
  /** Epoch ms after which the record may be forgotten. */
  expiresAt?: number;
  result: R;
}

/** The audit trail's state, kept beside its records and changed with them in one transaction. */
export interface AuditAppend<S> {
  state: S;
  records: AuditRecord[];
}

export interface SwitchStore {
  readonly engine: StoreEngine;
  /** Stable for the store's whole life: it names event ids, so a terminal resumes across restarts and nodes. */
  readonly id: string;
  /** Whether other switch processes write to it too: their events must be read back, not only ours. */
  readonly shared: boolean;
  /**
   * Seals every value again under a new store key and records its check value (`--rotate-store-key`); the durable
   * engines only (memory keeps nothing on disk). Returns how many values were sealed again.
   */
  rotateKey?(next: Sealer): Promise<number>;
  /** A secret kept with the store, made with `make` the first time (the session key: every node signs alike). */
  secret(name: string, make: () => Buffer): Promise<Buffer>;
  get<T>(ns: string, key: string): Promise<T | undefined>;
  list<T>(ns: string): Promise<Array<[string, T]>>;
  /** Reads, decides and writes one record atomically: two nodes changing it at once take turns. */
  update<T, R>(ns: string, key: string, change: (current: T | undefined) => Change<T, R>): Promise<R>;
  /** Appends to the event log; the sequence numbers rise in commit order. */
  appendEvent(terminal: string | null, type: string, data: unknown, at: number): Promise<number>;
  eventsAfter(seq: number, limit: number): Promise<StoredEvent[]>;
  /** The oldest and newest sequence held (0 and 0 when the log is empty). */
  eventBounds(): Promise<{ first: number; last: number }>;
  /**
   * Changes a terminal's audit state and appends its new records in one transaction. The state is an ordinary
   * record too, under namespace AUDIT_STATE and the terminal as key: `get` and `list` read it.
   */
  keepAudit<S, R>(terminal: string, decide: (state: S | undefined) => AuditAppend<S> & { result: R }): Promise<R>;
  auditRecords(terminal: string): Promise<AuditRecord[]>;
  /** Forgets records past their expiry and events beyond the newest `eventsKept` or older than `eventsBefore`. */
  purge(now: number, eventsKept: number, eventsBefore: number): Promise<void>;
  /** Called when another node appended events (PostgreSQL's NOTIFY); engines with one writer never call it. */
  onEvents(listener: () => void): () => void;
  close(): Promise<void>;
}

/** The namespace of each terminal's audit state (see keepAudit). */
export const AUDIT_STATE = 'audit-state';

/** The schema version this code writes; an older store is migrated forward at start, a newer one refused. */
export const SCHEMA_VERSION = 2;
/** The first schema whose values are sealed (sealing.ts): a store at 1 is sealed in place when opened. */
export const SEALED_SINCE = 2;

/**
 * A sealed value that does not open under the store key: changed, or moved from another row, outside the switch.
 * The message names where it lives (table, namespace, key), never what it holds.
 */
export class StoreDamaged extends Error {
  constructor(readonly where: string) {
    super(`a value the switch's store holds (${where}) does not open under the store key: it was changed, or moved from another row, outside the switch`);
  }
}

export class StoreUnavailable extends Error {
  constructor(cause: unknown) {
    super(`the switch's store cannot be reached: ${(cause as Error)?.message ?? String(cause)}`, { cause });
  }
}
