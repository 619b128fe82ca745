// The terminal's IndexedDB (Dexie): outbox, answers, alerts and audit. Indexes hold no CJI.
import { Dexie, type EntityTable } from 'dexie';
import type { AlertSeverity } from '../../src-shared/ipc.ts';
import type { AnswerPart, Priority } from '../../src-shared/protocol.ts';
import type { Query } from '../../src-shared/queries.ts';

export type OutboxStatus = 'queued' | 'sending' | 'answered' | 'failed';

export interface OutboxEntry {
  /** A UUID made at entry; also the Idempotency-Key, so a resend can never execute twice. */
  id: string;
  query: Query;
  priority: Priority;
  /** Lane rank for ordering: 0 emergency, 1 officer safety, 2 routine. */
  lane: number;
  /** Entry order within the device, for first-in-first-out within a lane. */
  seq: number;
  status: OutboxStatus;
  attempts: number;
  askedAt: string;
  sentAt?: string;
  answeredAt?: string;
  /** Why the last attempt did not get an answer, in words an officer can read. */
  lastError?: string;
}

export interface StoredAnswer {
  queryId: string;
  switchQueryId: string;
  receivedAt: string;
  parts: AnswerPart[];
}

export interface AlertRecord {
  id: string;
  queryId: string;
  severity: AlertSeverity;
  /** 0 is most severe; indexed so the alert center shows the worst first. */
  rank: number;
  title: string;
  subject: string;
  detail: string;
  cautions: string[];
  sources: string[];
  askedAt: string;
  answeredAt: string;
  /** 0 until acknowledged (IndexedDB cannot index null), then the epoch millisecond of acknowledgement. */
  acknowledgedAt: number;
}

export interface AuditEntry {
  seq?: number;
  at: string;
  action: 'query.enqueued' | 'query.answered' | 'query.failed' | 'alert.raised' | 'alert.acknowledged';
  subject: string;
  outcome: string;
}

export type OutriderDb = Dexie & {
  outbox: EntityTable<OutboxEntry, 'id'>;
  answers: EntityTable<StoredAnswer, 'queryId'>;
  alerts: EntityTable<AlertRecord, 'id'>;
  audit: EntityTable<AuditEntry, 'seq'>;
};

export const DATABASE_NAME = 'outrider';

export function openDatabase(name: string = DATABASE_NAME): OutriderDb {
  const db = new Dexie(name) as OutriderDb;
  db.version(1).stores({
    outbox: 'id, status, seq, [status+lane+seq]',
    answers: 'queryId',
    alerts: 'id, [acknowledgedAt+rank]',
    audit: '++seq',
  });
  return db;
}
