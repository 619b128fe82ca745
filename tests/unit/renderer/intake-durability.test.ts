// A query is queued once its intake transaction has committed strict (flushed to disk, not left in the OS's
// cache), from the intake's worker and from the page alike. fake-indexeddb keeps each transaction's durability.
import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { type IntakeRecord, openDatabase, type OutriderDb } from '../../../src-renderer/db/database.ts';
import { intakeFor } from '../../../src-renderer/outbox/intake.ts';
import type { IntakeReply, IntakeRequest } from '../../../src-renderer/outbox/intake-writer.ts';
import { Outbox } from '../../../src-renderer/outbox/outbox.ts';

const plate = { kind: 'plate', lic: '4TRN123', lis: 'CA' } as const;

function intakeRow(): IntakeRecord {
  const id = crypto.randomUUID();
  const at = new Date().toISOString();
  return {
    id,
    query: plate,
    priority: 'routine',
    lane: 2,
    seq: 1,
    status: 'queued',
    attempts: 0,
    askedAt: at,
    enqueued: { at, action: 'query.enqueued', subject: id, outcome: 'queued plate query, routine' },
  };
}

/** The durability of the transaction behind each put into the intake, in order. */
function intakePutDurabilities(): IDBTransactionDurability[] {
  const seen: IDBTransactionDurability[] = [];
  const put = IDBObjectStore.prototype.put;
  vi.spyOn(IDBObjectStore.prototype, 'put').mockImplementation(function (this: IDBObjectStore, ...args: Parameters<IDBObjectStore['put']>) {
    if (this.name === 'intake') seen.push(this.transaction.durability);
    return put.apply(this, args);
  });
  return seen;
}

let db: OutriderDb;
beforeEach(() => {
  db = openDatabase(`intake-durability-${crypto.randomUUID()}`);
});
afterEach(async () => {
  vi.restoreAllMocks();
  vi.unstubAllGlobals();
  await db.delete();
});

describe('a queued query is on disk', () => {
  it('commits a query written through the page strict, and every other write as before', async () => {
    const puts = intakePutDurabilities();
    const outbox = new Outbox(db, { intake: intakeFor(db, undefined) });
    const entry = await outbox.enqueue(plate, 'routine');
    expect(puts).toEqual(['strict']);
    // Stamped and whole, as through the database's own connection; taken into the outbox as before.
    expect(await db.intake.get(entry.id)).toMatchObject({ query: plate, enqueued: { officer: '', subject: entry.id } });
    await outbox.settle();
    expect(await db.outbox.get(entry.id)).toMatchObject({ status: 'queued', query: plate });
  });

  it('commits a query from the intake worker strict', async () => {
    await db.open();
    const puts = intakePutDurabilities();
    const replies: IntakeReply[] = [];
    // The worker's own module, run here as in a worker: messages in through onmessage, replies out through postMessage.
    vi.stubGlobal('self', globalThis);
    vi.stubGlobal('postMessage', (reply: IntakeReply) => replies.push(reply));
    await import('../../../src-renderer/outbox/intake-worker.ts');
    const row = intakeRow();
    (globalThis as unknown as { onmessage: (event: { data: IntakeRequest }) => void }).onmessage({ data: { n: 0, database: db.name, row } });
    await vi.waitFor(() => expect(replies).toEqual([expect.objectContaining({ n: 0, ok: true })]));
    expect(puts).toEqual(['strict']);
    expect(await db.intake.get(row.id)).toMatchObject({ query: plate });
  });
});
