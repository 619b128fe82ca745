// The terminal's audit trail: stamped with who, where and when to the hundredth, hash-chained, append-only,
// and checked against tampering by someone who holds the data key.
import 'fake-indexeddb/auto';
import { Dexie } from 'dexie';
import { afterEach, describe, expect, it } from 'vitest';
import { GENESIS } from '../../../src-shared/audit-chain.ts';
import type { QueryAnswer } from '../../../src-shared/protocol.ts';
import { acknowledgeAlert, foldAcknowledgements } from '../../../src-renderer/alerts/alert-center.ts';
import { verifyAuditTrail } from '../../../src-renderer/audit/audit-trail.ts';
import { UNKNOWN_TERMINAL } from '../../../src-renderer/db/audit-chain-middleware.ts';
import { type AuditEntry, openDatabase, type OutriderDb } from '../../../src-renderer/db/database.ts';
import { SCHEMA_V1 } from '../../../src-renderer/db/schema-history.ts';
import { AlertRaiser } from '../../../src-renderer/alerts/alert-raiser.ts';
import { wholeAnswer } from '../../../src-renderer/answers/answer-store.ts';
import { Outbox } from '../../../src-renderer/outbox/outbox.ts';
import { isSealed, seal } from '../../../src-renderer/vault/sealing.ts';

const KEY = new Uint8Array(32).fill(7);
const TERMINAL = 'terminal-test-0001';
const plate = { kind: 'plate', lic: '4TRN123', lis: 'CA' } as const;

const stolen = (key: string): QueryAnswer => ({
  queryId: crypto.randomUUID(),
  idempotencyKey: key,
  receivedAt: new Date().toISOString(),
  parts: [
    {
      source: 'SVS',
      status: 'record',
      records: [{ type: 'stolen_vehicle', summary: 'STOLEN VEHICLE', fields: { LIC: '4TRN123' }, cautions: [] }],
      text: 'REPLY FROM SVS: 1 RECORD(S) LIC/4TRN123 LIS/CA',
      answeredAt: new Date().toISOString(),
    },
  ],
});

const opened: OutriderDb[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((db) => db.delete()));
});

/** A sealed database whose audit lines are stamped by the returned `who`, as the session would. */
function sealedDb() {
  const who = { officer: '', terminal: TERMINAL };
  const name = `audit-${crypto.randomUUID()}`;
  const db = openDatabase(name, async () => KEY, { stamp: () => who });
  opened.push(db);
  return { db, who, name };
}

/** Changes stored audit rows as IndexedDB holds them, behind Outrider's back. */
function rawAudit(name: string, change: (store: IDBObjectStore) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(name);
    request.onerror = () => reject(request.error);
    request.onsuccess = () => {
      const tx = request.result.transaction('audit', 'readwrite');
      change(tx.objectStore('audit'));
      tx.oncomplete = () => (request.result.close(), resolve());
      tx.onerror = () => reject(tx.error);
    };
  });
}

/** A shift: a line before sign-in, then queries, an answer with a hit, its acknowledgement and a cancel. */
async function shift(db: OutriderDb, who: { officer: string }): Promise<void> {
  const clock = () => new Date('2026-11-23T14:05:09.379Z');
  await db.audit.add({ at: clock().toISOString(), action: 'session.signin_failed', subject: 'TRN999', outcome: 'refused: credentials', officer: 'TRN999' });
  who.officer = 'TRN101';
  const outbox = new Outbox(db, { clock });
  const alerts = new AlertRaiser({ db, show: () => undefined, clock });
  const hit = await outbox.enqueue(plate, 'routine');
  const withdrawn = await outbox.enqueue(plate, 'routine');
  await outbox.claim(1);
  const [alert] = await alerts.deliver(wholeAnswer(hit.id, stolen(hit.id)));
  await acknowledgeAlert(db, alert!, clock());
  await foldAcknowledgements(db);
  await outbox.cancel(withdrawn.id);
}

describe('the audit trail', () => {
  it('stamps every line with who, where and the time to the hundredth, and chains them', async () => {
    const { db, who } = sealedDb();
    await shift(db, who);
    const lines = await db.audit.orderBy('seq').toArray();
    expect(lines.map((line) => line.action)).toEqual(['session.signin_failed', 'query.enqueued', 'query.enqueued', 'query.answered', 'alert.raised', 'alert.acknowledged', 'query.cancelled']);
    expect(lines.every((line) => line.at === '2026-11-23T14:05:09.37Z' && line.terminal === TERMINAL)).toBe(true);
    // The failed sign-in names who tried; the rest, who held the shift.
    expect(lines.map((line) => line.officer)).toEqual(['TRN999', ...Array<string>(6).fill('TRN101')]);
    expect(lines[0]!.prev).toBe(GENESIS);
    expect(lines.slice(1).every((line, index) => line.prev === lines[index]!.hash)).toBe(true);
    expect(await verifyAuditTrail(db)).toEqual({ ok: true, last: lines.at(-1)!.hash });
  });

  it('keeps subject, outcome and hash sealed at rest', async () => {
    const { db, who, name } = sealedDb();
    await shift(db, who);
    const rows: Array<Record<string, unknown>> = [];
    await rawAudit(name, (store) => {
      const all = store.getAll();
      all.onsuccess = () => rows.push(...(all.result as Array<Record<string, unknown>>));
    });
    expect(rows.every((row) => isSealed(row.subject) && isSealed(row.outcome) && isSealed(row.hash))).toBe(true);
  });

  it('finds a line rewritten at rest by someone holding the data key, and names it', async () => {
    const { db, who, name } = sealedDb();
    await shift(db, who);
    await rawAudit(name, (store) => {
      const get = store.get(3);
      get.onsuccess = () => store.put({ ...(get.result as object), outcome: seal(KEY, 'audit', 'outcome', 3, 'nothing was queued') });
    });
    expect((await db.audit.get(3))!.outcome).toBe('nothing was queued');
    expect(await verifyAuditTrail(db)).toEqual({ ok: false, seq: 3, reason: 'record 3 was changed after it was written' });
  });

  it('finds a line deleted at rest, and names the one after it', async () => {
    const { db, who, name } = sealedDb();
    await shift(db, who);
    await rawAudit(name, (store) => store.delete(4));
    expect(await verifyAuditTrail(db)).toMatchObject({ ok: false, seq: 5 });
  });

  it('refuses to change or delete a line through the database', async () => {
    const { db, who } = sealedDb();
    await shift(db, who);
    const first = (await db.audit.get(1))!;
    await expect(db.audit.put({ ...first, outcome: 'nothing' })).rejects.toThrow('The audit trail is append-only: put refused');
    await expect(db.audit.update(1, { outcome: 'nothing' })).rejects.toThrow('append-only');
    await expect(db.audit.delete(1)).rejects.toThrow('The audit trail is append-only: delete refused');
    await expect(db.audit.clear()).rejects.toThrow('The audit trail is append-only: deleteRange refused');
    expect(await db.audit.count()).toBe(7);
    expect(await verifyAuditTrail(db)).toMatchObject({ ok: true });
  });

  it('chains lines added together in one transaction, one after another', async () => {
    const { db } = sealedDb();
    const line = (subject: string): AuditEntry => ({ at: new Date().toISOString(), action: 'query.held', subject, outcome: 'held' });
    await db.transaction('rw', db.audit, () => Promise.all([db.audit.add(line('a')), db.audit.add(line('b')), db.audit.bulkAdd([line('c'), line('d')])]));
    expect((await db.audit.orderBy('seq').toArray()).map((entry) => entry.subject)).toEqual(['a', 'b', 'c', 'd']);
    expect(await verifyAuditTrail(db)).toMatchObject({ ok: true });
  });

  it('stamps an unknown terminal with an id the switch accepts, and cuts lines to what it accepts', async () => {
    const db = openDatabase(`audit-${crypto.randomUUID()}`);
    opened.push(db);
    await db.audit.add({ at: new Date().toISOString(), action: 'query.failed', subject: 'q1', outcome: 'x'.repeat(600) });
    expect(await db.audit.get(1)).toMatchObject({ officer: '', terminal: UNKNOWN_TERMINAL, outcome: 'x'.repeat(500) });
    expect(await verifyAuditTrail(db)).toMatchObject({ ok: true });
  });

  it('starts the chain after lines an older version wrote without one', async () => {
    const name = `audit-legacy-${crypto.randomUUID()}`;
    const v1 = new Dexie(name);
    v1.version(1).stores(SCHEMA_V1);
    await v1.table('audit').bulkAdd([1, 2].map((n) => ({ at: new Date().toISOString(), action: 'query.enqueued', subject: `old-${n}`, outcome: 'queued' })));
    v1.close();
    const db = openDatabase(name, async () => KEY, { stamp: () => ({ officer: 'TRN101', terminal: TERMINAL }) });
    opened.push(db);
    const outbox = new Outbox(db);
    await outbox.enqueue(plate, 'routine');
    await outbox.settle();
    expect(await db.audit.get(3)).toMatchObject({ prev: GENESIS, officer: 'TRN101' });
    expect(await verifyAuditTrail(db)).toMatchObject({ ok: true });
  });
});
