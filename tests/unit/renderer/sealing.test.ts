// CJI at rest: what IndexedDB holds after queries, answers and alerts is sealed; Outrider reads it back whole.
import 'fake-indexeddb/auto';
import { describe, expect, it, vi } from 'vitest';
import { ok, fail } from '../../../src-shared/result.ts';
import type { QueryAnswer } from '../../../src-shared/protocol.ts';
import { loadDataKey, type KeyProtection } from '../../../src-renderer/vault/data-key.ts';
import { type IntakeRecord, openDatabase, type OutriderDb, sealingOf } from '../../../src-renderer/db/database.ts';
import { sealFields } from '../../../src-renderer/vault/cji-middleware.ts';
import type { Sealed } from '../../../src-renderer/vault/sealing.ts';
import { SCHEMA_V2 } from '../../../src-renderer/db/schema-history.ts';
import { AlertRaiser } from '../../../src-renderer/alerts/alert-raiser.ts';
import { wholeAnswer } from '../../../src-renderer/answers/answer-store.ts';
import { Outbox } from '../../../src-renderer/outbox/outbox.ts';
import { HotlistCache, JOURNAL_FIRST_ID } from '../../../src-renderer/hotlist/hotlist-cache.ts';
import { Dexie } from 'dexie';
import { rawDatabaseText } from '../../support/raw-indexeddb.ts';

const noKeychain: KeyProtection = { protectKey: async () => fail('none'), unprotectKey: async () => fail('none') };

const stolen = (key: string): QueryAnswer => ({
  queryId: crypto.randomUUID(),
  idempotencyKey: key,
  receivedAt: new Date().toISOString(),
  parts: [
    {
      source: 'SVS',
      status: 'record',
      records: [{ type: 'stolen_vehicle', summary: 'STOLEN VEHICLE: 2016 HONDA CIVIC', fields: { LIC: '4TRN123', VIN: '1HGCM82633A004352' }, cautions: [] }],
      text: 'REPLY FROM SVS: 1 RECORD(S) LIC/4TRN123 LIS/CA',
      answeredAt: new Date().toISOString(),
    },
  ],
});

/**
 * Node has no Worker: this one (stubbed in as the global) records a copy of what the page posts to the
 * intake's worker and commits the row as the real one does. Returns what was posted, in order.
 */
function recordIntakeWorker(db: OutriderDb): Array<{ n: number; row: IntakeRecord }> {
  const posted: Array<{ n: number; row: IntakeRecord }> = [];
  class RecordingWorker {
    onmessage?: (event: { data: unknown }) => void;
    onerror?: unknown;
    postMessage(message: { n: number; row: IntakeRecord }) {
      posted.push(structuredClone(message));
      void db.backendDB().transaction('intake', 'readwrite').objectStore('intake').put(message.row);
      queueMicrotask(() => this.onmessage?.({ data: { n: message.n, ok: true, committedAt: Date.now() } }));
    }
    terminate() {}
  }
  vi.stubGlobal('Worker', RecordingWorker);
  return posted;
}

describe('sealed storage', () => {
  it('holds no plate, name or VIN in plain text, and reads back exactly what was written', async () => {
    const name = `sealed-${crypto.randomUUID()}`;
    const db = openDatabase(name, () => loadDataKey(noKeychain, `${name}-keys`));
    const outbox = new Outbox(db);
    const plate = await outbox.enqueue({ kind: 'plate', lic: '4TRN123', lis: 'CA' }, 'routine');
    const person = await outbox.enqueue({ kind: 'person', nam: 'TRAINING, ARMED', dob: '1980-01-01', sex: 'M' }, 'routine');
    await outbox.settle();
    await new AlertRaiser({ db, show: () => undefined }).deliver(wholeAnswer(plate.id, stolen(plate.id)));
    expect(await db.alerts.count()).toBe(1);
    db.close();

    const raw = await rawDatabaseText(name);
    for (const cji of ['4TRN123', 'TRAINING', 'ARMED', '1HGCM82633A004352', 'HONDA', 'STOLEN VEHICLE']) expect(raw).not.toContain(cji);
    // What stays readable is what the indexes need: ids, statuses, times.
    expect(raw).toContain(plate.id);
    expect(raw).toContain('"status":"answered"');

    const again = openDatabase(name, () => loadDataKey(noKeychain, `${name}-keys`));
    expect((await again.outbox.get(person.id))!.query).toEqual({ kind: 'person', nam: 'TRAINING, ARMED', dob: '1980-01-01', sex: 'M' });
    expect((await again.answers.get(plate.id))!.parts[0]!.records[0]!.fields.LIC).toBe('4TRN123');
    expect((await again.alerts.toArray())[0]).toMatchObject({ title: 'STOLEN VEHICLE', subject: 'Plate 4TRN123 (CA)' });
    // Cursors (each, modify) open rows too.
    const seen: string[] = [];
    await again.outbox.each((entry) => seen.push(entry.query.kind));
    expect(seen.sort()).toEqual(['person', 'plate']);
    await again.delete();
  });

  it('seals a query and its audit line in the intake, before the outbox takes them in', async () => {
    const name = `intake-${crypto.randomUUID()}`;
    const db = openDatabase(name, () => loadDataKey(noKeychain, `${name}-keys`));
    const id = crypto.randomUUID();
    const query = { kind: 'person', nam: 'TRAINING, ARMED', dob: '1980-01-01', sex: 'M' } as const;
    // As Outbox.enqueue writes it; written here so that no take-in races the raw read below.
    const enqueued = { at: new Date().toISOString(), action: 'query.enqueued', subject: id, outcome: 'queued person query, routine' } as const;
    await db.intake.add({ id, query, priority: 'routine', lane: 2, seq: 1, status: 'queued', attempts: 0, askedAt: enqueued.at, enqueued });
    db.close();
    const raw = await rawDatabaseText(name);
    for (const plain of ['TRAINING', 'ARMED', 'queued person query']) expect(raw).not.toContain(plain);
    const again = openDatabase(name, () => loadDataKey(noKeychain, `${name}-keys`));
    expect(await again.intake.get(id)).toMatchObject({ query, enqueued: { ...enqueued, officer: '' } });
    await again.delete();
  });

  it('reads back a row sealed outside Dexie, as the intake writer seals it, and holds it sealed', async () => {
    const name = `worker-sealed-${crypto.randomUUID()}`;
    const db = openDatabase(name, () => loadDataKey(noKeychain, `${name}-keys`));
    await db.open();
    const key = sealingOf(db)!.key()!;
    const id = crypto.randomUUID();
    const at = new Date().toISOString();
    const row = { id, query: { kind: 'plate', lic: '4TRN123', lis: 'CA' } as const, priority: 'routine' as const, lane: 2, seq: 1, status: 'queued' as const, attempts: 0, askedAt: at, enqueued: { at, action: 'query.enqueued' as const, subject: id, outcome: 'queued plate query, routine', officer: 'TRN101' } };
    await new Promise<void>((resolve, reject) => {
      const tx = db.backendDB().transaction('intake', 'readwrite');
      tx.objectStore('intake').put(sealFields(key, 'intake', row));
      tx.oncomplete = () => resolve();
      tx.onerror = () => reject(tx.error);
    });
    expect(await db.intake.get(id)).toEqual(row);
    db.close();
    expect(await rawDatabaseText(name)).not.toContain('4TRN123');
    await Dexie.delete(name);
  });

  it('hands the intake worker a row already sealed and stamped, and never the data key', async () => {
    const name = `writer-${crypto.randomUUID()}`;
    const db = openDatabase(name, () => loadDataKey(noKeychain, `${name}-keys`), { stamp: () => ({ officer: 'TRN101', terminal: 'MDT-7' }) });
    await db.open();
    const posted = recordIntakeWorker(db);
    try {
      const outbox = new Outbox(db);
      const entry = await outbox.enqueue({ kind: 'plate', lic: '4TRN123', lis: 'CA' }, 'routine');
      expect(posted).toHaveLength(1);
      const text = JSON.stringify(posted[0], (_, value: unknown) => (value instanceof Uint8Array ? Array.from(value) : value));
      for (const plain of ['4TRN123', 'queued plate query', 'TRN101']) expect(text).not.toContain(plain);
      const message = posted[0] as { row: IntakeRecord } & Record<string, unknown>;
      // What it carries and nothing more: which database, whether to copy it into the queue journal (none attached
      // here), the message's number, that it is the intake, the row.
      expect(Object.keys(message).sort()).toEqual(['database', 'journal', 'kind', 'n', 'row']);
      expect(message.kind).toBe('intake');
      expect(message.journal).toBe(false);
      expect(message.row).toMatchObject({ id: entry.id, query: { $sealed: 2 }, enqueued: { $sealed: 2 } });
      // Opened, it is the query and its audit line stamped with the officer who entered it.
      expect(await db.intake.get(entry.id)).toMatchObject({ query: entry.query, enqueued: { action: 'query.enqueued', officer: 'TRN101' } });
    } finally {
      vi.unstubAllGlobals();
      await db.delete();
    }
  });

  it('uses a query sealed ahead as the officer typed it, once, and only for that same query', async () => {
    const name = `writer-ahead-${crypto.randomUUID()}`;
    const db = openDatabase(name, () => loadDataKey(noKeychain, `${name}-keys`), { stamp: () => ({ officer: 'TRN101', terminal: 'MDT-7' }) });
    await db.open();
    const posted = recordIntakeWorker(db);
    try {
      const outbox = new Outbox(db);
      const stolen = { kind: 'plate', lic: '4TRN123', lis: 'CA' } as const;
      const sealedQuery = (i: number) => posted[i]!.row.query as unknown as Sealed;
      const nonce = (i: number) => Array.from(sealedQuery(i).iv).join(',');
      // Every 96-bit nonce drawn, so the test can tell a value sealed ahead from one sealed after Enter.
      const drawn: string[] = [];
      const draw = crypto.getRandomValues.bind(crypto);
      vi.spyOn(crypto, 'getRandomValues').mockImplementation(<T extends ArrayBufferView | null>(array: T): T => {
        const out = draw(array as unknown as Uint8Array<ArrayBuffer>) as unknown as T;
        if (out instanceof Uint8Array && out.byteLength === 12) drawn.push(Array.from(out).join(','));
        return out;
      });

      // Typed, prepared, then entered as typed: the value sealed ahead goes, and opens to the query.
      outbox.prepare(stolen);
      const sealedAhead = drawn.at(-1);
      const first = await outbox.enqueue({ ...stolen }, 'routine');
      expect(sealedQuery(0)).toMatchObject({ $sealed: 2 });
      expect(nonce(0)).toBe(sealedAhead);
      expect(await db.intake.get(first.id)).toMatchObject({ query: stolen, enqueued: { action: 'query.enqueued', officer: 'TRN101' } });

      // The same query again, not prepared again: sealed afresh, never the same nonce twice.
      await outbox.enqueue({ ...stolen }, 'routine');
      expect(nonce(1)).not.toBe(nonce(0));

      // Prepared, then changed before Enter: what was entered is what is queued, sealed after Enter.
      outbox.prepare({ kind: 'plate', lic: '4TRN12', lis: 'CA' });
      const stale = drawn.at(-1);
      const changed = await outbox.enqueue({ kind: 'plate', lic: '4TRN129', lis: 'CA' }, 'routine');
      expect(nonce(2)).not.toBe(stale);
      expect(await db.intake.get(changed.id)).toMatchObject({ query: { lic: '4TRN129' } });

      // Another query prepared and entered, in another lane: its value sealed ahead goes.
      outbox.prepare({ kind: 'plate', lic: '7STL999', lis: 'CA' });
      const again = drawn.at(-1);
      const ahead = await outbox.enqueue({ kind: 'plate', lic: '7STL999', lis: 'CA' }, 'officer_safety');
      expect(nonce(3)).toBe(again);
      expect(await db.intake.get(ahead.id)).toMatchObject({ query: { lic: '7STL999' }, priority: 'officer_safety' });
      const raw = JSON.stringify(posted, (_, value: unknown) => (value instanceof Uint8Array ? Array.from(value) : value));
      for (const plain of ['4TRN12', '7STL999']) expect(raw).not.toContain(plain);
    } finally {
      vi.restoreAllMocks();
      vi.unstubAllGlobals();
      await db.delete();
    }
  });

  it('seals a hotlist delta kept in the journal, the plates it clears as well as those it adds', async () => {
    const name = `hotlist-journal-${crypto.randomUUID()}`;
    const db = openDatabase(name, () => loadDataKey(noKeychain, `${name}-keys`));
    const cache = new HotlistCache(db, 100);
    await cache.replace({ version: 'v1', generatedAt: new Date().toISOString(), plates: ['CA:4TRN123', 'CA:7STL999'] }, new Date());
    await cache.applyDelta({ kind: 'delta', fromVersion: 'v1', version: 'v2', generatedAt: new Date().toISOString(), count: 2, added: ['CA:8NEW555'], removed: ['CA:7STL999'] }, new Date());
    expect(await db.hotlist.get(JOURNAL_FIRST_ID)).toEqual({ id: JOURNAL_FIRST_ID, plates: ['CA:8NEW555'], removed: ['CA:7STL999'] });
    db.close();
    const raw = await rawDatabaseText(name);
    for (const plate of ['4TRN123', '7STL999', '8NEW555']) expect(raw).not.toContain(plate);
    await Dexie.delete(name);
  });

  it('refuses a row tampered with at rest instead of showing altered CJI', async () => {
    const name = `tamper-${crypto.randomUUID()}`;
    const db = openDatabase(name, () => loadDataKey(noKeychain, `${name}-keys`));
    const outbox = new Outbox(db);
    const entry = await outbox.enqueue({ kind: 'plate', lic: '4TRN123', lis: 'CA' }, 'routine');
    await outbox.settle();
    db.close();
    await new Promise<void>((resolve) => {
      const request = indexedDB.open(name);
      request.onsuccess = () => {
        const tx = request.result.transaction('outbox', 'readwrite');
        const store = tx.objectStore('outbox');
        const get = store.get(entry.id);
        get.onsuccess = () => {
          const row = get.result as { query: { ct: Uint8Array } };
          row.query.ct[0]! ^= 0xff;
          store.put(row);
        };
        tx.oncomplete = () => (request.result.close(), resolve());
      };
    });
    const again = openDatabase(name, () => loadDataKey(noKeychain, `${name}-keys`));
    await expect(again.outbox.get(entry.id)).rejects.toThrow();
    await again.delete();
  });

  it('seals rows an older, unsealed version left in plain text when it first opens with a key', async () => {
    const name = `legacy-${crypto.randomUUID()}`;
    const v2 = new Dexie(name);
    v2.version(2).stores(SCHEMA_V2);
    await v2.table('outbox').add({ id: 'old-1', query: { kind: 'plate', lic: '4TRN123', lis: 'CA' }, priority: 'routine', lane: 2, seq: 1, status: 'queued', attempts: 0, askedAt: new Date().toISOString() });
    v2.close();
    const db = openDatabase(name, () => loadDataKey(noKeychain, `${name}-keys`));
    expect((await db.outbox.get('old-1'))!.query).toMatchObject({ lic: '4TRN123' });
    db.close();
    expect(await rawDatabaseText(name)).not.toContain('4TRN123');
    await Dexie.delete(name);
  });

  it('walks the stored rows once per schema version, not at every start', async () => {
    const name = `swept-${crypto.randomUUID()}`;
    const key = () => loadDataKey(noKeychain, `${name}-keys`);
    const first = openDatabase(name, key);
    await new Outbox(first).enqueue({ kind: 'plate', lic: 'SWEPT01', lis: 'CA' }, 'routine');
    const { value } = (await first.settings.get('rowsSealedAtVersion'))!;
    expect(value).toBe(String(first.verno * 10));
    first.close();
    // A row written around the terminal (nothing the terminal does writes plain rows) after the sweep: the next
    // start does not walk the tables again, so it stays as it was. Only a new schema version sweeps again.
    const raw = await new Promise<IDBDatabase>((resolve, reject) => {
      const request = indexedDB.open(name);
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    await new Promise((resolve, reject) => {
      const tx = raw.transaction('bolos', 'readwrite');
      tx.objectStore('bolos').add({ id: 'raw-1', issuedAt: new Date().toISOString(), title: 'AROUND THE TERMINAL', text: '', cautions: [] });
      tx.oncomplete = resolve;
      tx.onerror = () => reject(tx.error);
    });
    raw.close();
    const second = openDatabase(name, key);
    await second.open();
    expect(await rawDatabaseText(name)).toContain('AROUND THE TERMINAL');
    second.close();
    await Dexie.delete(name);
  });
});

describe('the data key', () => {
  it('is made once and found again; the keychain wraps it where the host has one', async () => {
    const name = `keys-${crypto.randomUUID()}`;
    const wrapped: string[] = [];
    const keychain: KeyProtection = {
      protectKey: async (raw) => (wrapped.push(raw), ok(`sealed:${raw}`)),
      unprotectKey: async (sealed) => ok(sealed.replace(/^sealed:/, '')),
    };
    const first = await loadDataKey(keychain, name);
    const second = await loadDataKey(keychain, name);
    expect(first).toHaveLength(32);
    expect(second).toEqual(first);
    expect(wrapped).toHaveLength(1);
  });

  it('says plainly when the keychain will not unlock it', async () => {
    const name = `keys-${crypto.randomUUID()}`;
    await loadDataKey({ protectKey: async (raw) => ok(raw), unprotectKey: async (sealed) => ok(sealed) }, name);
    await expect(loadDataKey({ protectKey: async () => fail('x'), unprotectKey: async () => fail('the keychain is locked') }, name)).rejects.toThrow(
      "The terminal's data key could not be unlocked: the keychain is locked",
    );
  });
});

it('writes a query back unchanged with the ciphertext it has, and seals a changed one afresh', async () => {
  const name = `reseal-${crypto.randomUUID()}`;
  const db = openDatabase(name, () => loadDataKey(noKeychain, `${name}-keys`));
  const outbox = new Outbox(db);
  const entry = await outbox.enqueue({ kind: 'plate', lic: '4TRN123', lis: 'CA' }, 'routine');
  await outbox.settle();
  const rawQuery = () =>
    new Promise<Sealed>((resolve, reject) => {
      const request = db.backendDB().transaction('outbox').objectStore('outbox').get(entry.id);
      request.onsuccess = () => resolve((request.result as { query: Sealed }).query);
      request.onerror = () => reject(request.error);
    });
  const nonce = async () => Array.from((await rawQuery()).iv).join(',');
  const queued = await nonce();
  // Marked sending, then delivered: the query itself did not change, so it is not encrypted again.
  await outbox.claim(1);
  await outbox.accept(entry.id, ['NCIC']);
  expect(await nonce()).toBe(queued);
  expect((await db.outbox.get(entry.id))?.query).toEqual({ kind: 'plate', lic: '4TRN123', lis: 'CA' });
  // A changed query (a new object, as every change is) is sealed under a fresh nonce.
  const stored = (await db.outbox.get(entry.id))!;
  await db.outbox.put({ ...stored, query: { kind: 'plate', lic: '5ABC999', lis: 'CA' } });
  expect(await nonce()).not.toBe(queued);
  expect((await db.outbox.get(entry.id))?.query).toEqual({ kind: 'plate', lic: '5ABC999', lis: 'CA' });
  db.close();
});
