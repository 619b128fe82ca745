// A sealed value opens only in the row it was sealed for: swapping values between rows at rest is refused, and
// a database sealed the older way (table and field only) is re-sealed once, bound to its rows, at the upgrade.
import 'fake-indexeddb/auto';
import { gcm } from '@noble/ciphers/aes.js';
import { utf8ToBytes } from '@noble/ciphers/utils.js';
import { Dexie } from 'dexie';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../../src-renderer/db/database.ts';
import { SCHEMA_V2 } from '../../../src-renderer/db/schema-history.ts';
import { ROW_KEYS, SEALED_FIELDS } from '../../../src-renderer/vault/cji-middleware.ts';
import type { Sealed } from '../../../src-renderer/vault/sealing.ts';
import { rawDatabaseText } from '../../support/raw-indexeddb.ts';

const KEY = crypto.getRandomValues(new Uint8Array(32));
const keyed = () => Promise.resolve(KEY);

/** Runs `change` on one store of `name` in raw IndexedDB, under Outrider's reader. */
function raw(name: string, store: string, change: (store: IDBObjectStore) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(name);
    request.onsuccess = () => {
      const tx = request.result.transaction(store, 'readwrite');
      change(tx.objectStore(store));
      tx.oncomplete = () => {
        request.result.close();
        resolve();
      };
      tx.onerror = () => reject(tx.error);
    };
  });
}

const entry = (id: string, lic: string, seq: number) => ({ id, query: { kind: 'plate', lic, lis: 'CA' }, priority: 'routine', lane: 2, seq, status: 'queued', attempts: 0, askedAt: '2026-11-23T10:00:00.000Z' });

/** A value sealed as schema 6 sealed it: its additional data named table and field, not the row. */
function sealedUnbound(table: string, field: string, value: unknown): Sealed {
  const iv = crypto.getRandomValues(new Uint8Array(12));
  return { $sealed: 1, iv, ct: gcm(KEY, iv, utf8ToBytes(`outrider:${table}.${field}`)).encrypt(utf8ToBytes(JSON.stringify(value))) };
}

describe('sealing bound to the row', () => {
  it("refuses a sealed query moved onto another row's entry, even one read a moment before", async () => {
    const name = `row-bound-${crypto.randomUUID()}`;
    const db = openDatabase(name, keyed);
    await db.outbox.bulkAdd([entry('stolen-one', '4TRN123', 1), entry('harmless', '1ABC234', 2)] as never);
    // Both read once, so their opened values sit in memory, as they do on a terminal showing its queue.
    expect((await db.outbox.get('harmless'))?.query).toMatchObject({ lic: '1ABC234' });
    expect((await db.outbox.get('stolen-one'))?.query).toMatchObject({ lic: '4TRN123' });
    await raw(name, 'outbox', (store) => {
      const stolen = store.get('stolen-one');
      stolen.onsuccess = () => {
        const get = store.get('harmless');
        get.onsuccess = () => store.put({ ...(get.result as object), query: (stolen.result as { query: Sealed }).query });
      };
    });
    await expect(db.outbox.get('harmless')).rejects.toThrow(/harmless/);
    await db.delete();
  });

  it('re-seals every value of a schema-6 database bound to its row, once, and reads each back', async () => {
    const name = `row-upgrade-${crypto.randomUUID()}`;
    const v6 = new Dexie(name);
    v6.version(6).stores({ ...SCHEMA_V2, alerts: 'id, queryId, [acknowledgedAt+rank]', settings: 'key', bolos: 'id, issuedAt', hotlist: 'id', confirmations: 'id, queryId, dueAt', answers: 'queryId, answeredAt', officers: 'id', held: 'officerId', intake: 'id' });
    await v6.table('outbox').bulkAdd([1, 2, 3].map((i) => ({ ...entry(`q${i}`, '', i), query: sealedUnbound('outbox', 'query', { kind: 'plate', lic: `4TRN00${i}`, lis: 'CA' }) })));
    await v6.table('audit').add({ seq: 1, at: '2026-11-23T10:00:00.00Z', action: 'query.enqueued', subject: sealedUnbound('audit', 'subject', 'q1'), outcome: sealedUnbound('audit', 'outcome', 'queued plate query, routine'), hash: sealedUnbound('audit', 'hash', 'f'.repeat(64)), prev: '0'.repeat(64), officer: 'TRN101', terminal: 'MDT-7' });
    await v6.table('hotlist').add({ id: 0, plates: sealedUnbound('hotlist', 'plates', ['CA:4TRN123']) });
    // A value already unreadable before the upgrade (tampered with) must not stop the terminal opening.
    await v6.table('outbox').add({ ...entry('torn', '', 9), query: { ...sealedUnbound('outbox', 'query', 'x'), ct: new Uint8Array(40) } });
    v6.close();

    const db = openDatabase(name, keyed);
    await db.open();
    expect(db.verno).toBe(8);
    expect((await db.outbox.bulkGet(['q1', 'q2', 'q3'])).map((row) => row?.query)).toEqual([1, 2, 3].map((i) => ({ kind: 'plate', lic: `4TRN00${i}`, lis: 'CA' })));
    expect(await db.audit.get(1)).toMatchObject({ subject: 'q1', outcome: 'queued plate query, routine' });
    expect((await db.hotlist.get(0))?.plates).toEqual(['CA:4TRN123']);
    await expect(db.outbox.get('torn')).rejects.toThrow(/torn/);
    db.close();

    const text = await rawDatabaseText(name);
    expect(text.match(/"\$sealed":1/g)).toHaveLength(1);
    // An old value planted after the upgrade (from a copy of the disk made before it) is refused.
    await raw(name, 'outbox', (store) => store.put({ ...entry('q1', '', 1), query: sealedUnbound('outbox', 'query', { kind: 'plate', lic: '9ZZZ999', lis: 'CA' }) }));
    const again = openDatabase(name, keyed);
    await expect(again.outbox.get('q1')).rejects.toThrow(/without its row/);
    await again.delete();
  });

  it('names the primary key of every sealed table as the schema declares it', async () => {
    const db = openDatabase(`row-keys-${crypto.randomUUID()}`, keyed);
    await db.open();
    for (const table of Object.keys(SEALED_FIELDS)) expect([table, db.table(table).schema.primKey.keyPath]).toEqual([table, ROW_KEYS[table]]);
    await db.delete();
  });
});
