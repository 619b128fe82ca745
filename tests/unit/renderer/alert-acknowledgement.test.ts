// An acknowledgement is stored on its own, at once, whatever holds the alerts; then folded into its alert with
// its audit line, once, timed at the key.
import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { acknowledgementsDatabase, acknowledgementsFor, acknowledgementsOf, allAcknowledgements, forgetAcknowledgements, putAcknowledgement } from '../../../src-renderer/alerts/acknowledgement-store.ts';
import { acknowledgeAlert, foldAcknowledgements, pendingAlerts } from '../../../src-renderer/alerts/alert-center.ts';
import { type AcknowledgementRecord, type AlertRecord, openDatabase, type OutriderDb } from '../../../src-renderer/db/database.ts';
import { IntakeWorkerUnavailable, type WorkerWrites } from '../../../src-renderer/outbox/intake-writer.ts';

let db: OutriderDb;
beforeEach(() => {
  db = openDatabase(`alert-acknowledgement-test-${crypto.randomUUID()}`);
});
afterEach(async () => {
  performance.clearMarks();
  (await acknowledgementsFor(db.name)).close();
  await db.delete();
});

/** The acknowledgement of alert `id` as stored in the acknowledgements' own database. */
const storedAcknowledgement = async (id: string) => (await acknowledgementsOf(await acknowledgementsFor(db.name), [id]))[0];

const stolen: AlertRecord = {
  id: 'alert-q1',
  queryId: 'q1',
  severity: 'hit',
  rank: 1,
  title: 'STOLEN VEHICLE',
  subject: 'Plate 4TRN123 (CA)',
  detail: '',
  cautions: [],
  sources: ['State stolen vehicles'],
  askedAt: '2026-11-23T10:00:00.000Z',
  answeredAt: '2026-11-23T10:00:01.000Z',
  late: false,
  acknowledgedAt: 0,
};
const at = new Date('2026-11-23T10:00:05.000Z');

/** The pending alerts as the dialog next reads them. */
function pending(): Promise<AlertRecord[]> {
  return new Promise((resolve, reject) => {
    const subscription = pendingAlerts(db).subscribe({
      next: (value) => {
        resolve(value);
        queueMicrotask(() => subscription.unsubscribe());
      },
      error: reject,
    });
  });
}

const acknowledgedLines = async () => (await db.audit.toArray()).filter((line) => line.action === 'alert.acknowledged');

describe('an acknowledgement', () => {
  it('is stored while a write holds every table of the terminal\'s database', async () => {
    await db.alerts.add(stolen);
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let holding = true;
    void released.then(() => (holding = false));
    // Chromium commits one database's read-write transactions one after another, whatever tables they take: an
    // answer batch being stored holds the whole database, as this transaction does until released.
    const batch = db.transaction('rw', db.tables, async () => {
      while (holding) await db.alerts.get(stolen.id);
    });
    const order: string[] = [];
    const stored = acknowledgeAlert(db, stolen, at).then(() => void order.push('acknowledgement stored'));
    await new Promise((resolve) => setTimeout(resolve, 50));
    order.push('batch released');
    release();
    await Promise.all([stored, batch]);
    expect(order).toEqual(['acknowledgement stored', 'batch released']);
  });

  it('hides its alert from the moment it is stored, before it is folded into the alert, as after a reload', async () => {
    await db.alerts.add(stolen);
    await acknowledgeAlert(db, stolen, at);
    expect(await pending()).toEqual([]);
    expect((await db.alerts.get(stolen.id))!.acknowledgedAt).toBe(0);
  });

  it('is folded into its alert with one audit line timed at the key, however often folding runs', async () => {
    await db.alerts.add(stolen);
    await acknowledgeAlert(db, stolen, at);
    await foldAcknowledgements(db);
    await foldAcknowledgements(db);
    expect((await db.alerts.get(stolen.id))!.acknowledgedAt).toBe(at.getTime());
    expect(await allAcknowledgements(await acknowledgementsFor(db.name))).toEqual([]);
    expect(await acknowledgedLines()).toMatchObject([{ subject: stolen.id, outcome: 'hit: STOLEN VEHICLE', at: '2026-11-23T10:00:05.00Z' }]);
  });

  it('does not hide its alert once raised to a higher severity, and the audit line says what was acknowledged', async () => {
    await db.alerts.add(stolen);
    await acknowledgeAlert(db, stolen, at);
    const raised: AlertRecord = { ...stolen, severity: 'officer_safety', rank: 0, title: 'ARMED AND DANGEROUS' };
    await db.alerts.put(raised);
    expect(await pending()).toEqual([raised]);
    await foldAcknowledgements(db);
    expect((await db.alerts.get(stolen.id))!.acknowledgedAt).toBe(0);
    expect(await acknowledgedLines()).toMatchObject([{ outcome: 'hit: since raised to officer_safety: ARMED AND DANGEROUS' }]);
  });

  it('kept in the terminal\'s own database by an older build (schema 8) is folded in and let go', async () => {
    await db.alerts.add(stolen);
    await db.acknowledgements.put({ id: stolen.id, queryId: 'q1', rank: 1, severity: 'hit', at: at.getTime() });
    await foldAcknowledgements(db);
    expect((await db.alerts.get(stolen.id))!.acknowledgedAt).toBe(at.getTime());
    expect(await db.acknowledgements.count()).toBe(0);
    expect(await acknowledgedLines()).toHaveLength(1);
  });

  it('made again after the alert was raised is kept when the earlier one is let go', async () => {
    const store = await acknowledgementsFor(db.name);
    const first: AcknowledgementRecord = { id: stolen.id, queryId: 'q1', rank: 1, severity: 'hit', at: at.getTime() };
    await putAcknowledgement(store, first, 'relaxed');
    const folded = await allAcknowledgements(store);
    // Raised to officer safety and acknowledged again while the first was being folded in.
    const again: AcknowledgementRecord = { ...first, rank: 0, severity: 'officer_safety', at: at.getTime() + 2_000 };
    await putAcknowledgement(store, again, 'relaxed');
    await forgetAcknowledgements(store, folded);
    expect(await allAcknowledgements(store)).toEqual([again]);
    await forgetAcknowledgements(store, [again]);
    expect(await allAcknowledgements(store)).toEqual([]);
  });

  it('is stored though its database was made without its table, by something that opened it first', async () => {
    await new Promise<void>((resolve, reject) => {
      const request = indexedDB.open(acknowledgementsDatabase(db.name));
      request.onsuccess = () => (request.result.close(), resolve());
      request.onerror = () => reject(request.error);
    });
    await db.alerts.add(stolen);
    await acknowledgeAlert(db, stolen, at, undefined);
    expect(await storedAcknowledgement(stolen.id)).toMatchObject({ rank: 1, at: at.getTime() });
  });

  it('of an alert another window acknowledged already adds no second line', async () => {
    await db.alerts.add({ ...stolen, acknowledgedAt: at.getTime() - 1_000 });
    await acknowledgeAlert(db, stolen, at);
    await foldAcknowledgements(db);
    expect(await acknowledgedLines()).toEqual([]);
    expect((await db.alerts.get(stolen.id))!.acknowledgedAt).toBe(at.getTime() - 1_000);
  });
});

/** The 'outrider:alert-acknowledged' marks made so far, with the query each names. */
const acknowledgedMarks = () => performance.getEntriesByName('outrider:alert-acknowledged', 'mark') as PerformanceMark[];

/** A put on a connection of its own, as the intake's worker makes it: Dexie is not told. */
async function putBeside(name: string, store: string, row: unknown): Promise<void> {
  const idb = await new Promise<IDBDatabase>((resolve, reject) => {
    const request = indexedDB.open(name);
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
  await new Promise<void>((resolve, reject) => {
    const tx = idb.transaction(store, 'readwrite');
    tx.objectStore(store).put(row);
    tx.oncomplete = () => resolve();
    tx.onabort = () => reject(tx.error);
  });
  idb.close();
}

describe('an acknowledgement written from the worker', () => {
  it('is posted in the key\'s own task and marked at the time the worker committed it', async () => {
    await db.alerts.add(stolen);
    const posted: AcknowledgementRecord[] = [];
    const committedAt = performance.timeOrigin + performance.now() - 40;
    const worker: Pick<WorkerWrites, 'write'> = {
      // The worker's own store, as the page cannot watch it: the row lands where a reload reads it.
      write: async (request) => (posted.push(request.row as AcknowledgementRecord), await putAcknowledgement(await acknowledgementsFor(db.name), request.row as AcknowledgementRecord, 'relaxed'), committedAt),
    };
    const stored = acknowledgeAlert(db, stolen, at, worker);
    expect(posted).toEqual([{ id: stolen.id, queryId: 'q1', rank: 1, severity: 'hit', at: at.getTime() }]);
    await stored;
    expect(acknowledgedMarks()).toMatchObject([{ startTime: committedAt - performance.timeOrigin, detail: { queryId: 'q1' } }]);
    expect(await pending()).toEqual([]);
    await foldAcknowledgements(db);
    expect((await db.alerts.get(stolen.id))!.acknowledgedAt).toBe(at.getTime());
  });

  it('keeps its alert hidden when the alerts change before it is folded in, though Dexie never saw the write', async () => {
    await db.alerts.add(stolen);
    const seen: AlertRecord[][] = [];
    const subscription = pendingAlerts(db).subscribe({ next: (value) => seen.push(value) });
    try {
      await vi.waitFor(() => expect(seen).toHaveLength(1));
      await putBeside(acknowledgementsDatabase(db.name), 'acknowledgements', { id: stolen.id, queryId: 'q1', rank: 1, severity: 'hit', at: at.getTime() });
      // An answer batch stores another alert: the pending alerts are read again.
      const other: AlertRecord = { ...stolen, id: 'alert-q2', queryId: 'q2' };
      await db.alerts.add(other);
      await vi.waitFor(() => expect(seen.at(-1)).toEqual([other]));
    } finally {
      subscription.unsubscribe();
    }
  });

  it('is written through the page when the worker cannot run', async () => {
    await db.alerts.add(stolen);
    const dead = { write: () => Promise.reject(new IntakeWorkerUnavailable('The intake worker failed')) };
    const before = performance.now();
    await acknowledgeAlert(db, stolen, at, dead);
    expect(await storedAcknowledgement(stolen.id)).toMatchObject({ rank: 1, at: at.getTime() });
    expect(acknowledgedMarks()).toHaveLength(1);
    expect(acknowledgedMarks()[0]!.startTime).toBeGreaterThanOrEqual(before);
  });

  it('is refused, and not marked, when storage itself refuses it', async () => {
    const full = { write: () => Promise.reject(Object.assign(new Error('The quota has been exceeded'), { name: 'QuotaExceededError' })) };
    await expect(acknowledgeAlert(db, stolen, at, full)).rejects.toMatchObject({ name: 'QuotaExceededError' });
    expect(await storedAcknowledgement(stolen.id)).toBeUndefined();
    expect(acknowledgedMarks()).toEqual([]);
  });

  it('is committed by the intake worker\'s own module into the acknowledgements, relaxed', async () => {
    await db.open();
    const durabilities: IDBTransactionDurability[] = [];
    const put = IDBObjectStore.prototype.put;
    vi.spyOn(IDBObjectStore.prototype, 'put').mockImplementation(function (this: IDBObjectStore, ...args: Parameters<IDBObjectStore['put']>) {
      if (this.name === 'acknowledgements') durabilities.push(this.transaction.durability);
      return put.apply(this, args);
    });
    const replies: unknown[] = [];
    // Run here as in a worker: messages in through onmessage, replies out through postMessage.
    vi.stubGlobal('self', globalThis);
    vi.stubGlobal('postMessage', (reply: unknown) => replies.push(reply));
    try {
      await import('../../../src-renderer/outbox/intake-worker.ts');
      const row: AcknowledgementRecord = { id: stolen.id, queryId: 'q1', rank: 1, severity: 'hit', at: at.getTime() };
      (globalThis as unknown as { onmessage: (event: { data: unknown }) => void }).onmessage({ data: { n: 7, database: db.name, kind: 'acknowledgement', row } });
      await vi.waitFor(() => expect(replies).toEqual([{ n: 7, ok: true, committedAt: expect.any(Number) }]));
      expect(durabilities).toEqual(['relaxed']);
      expect(await storedAcknowledgement(stolen.id)).toEqual(row);
    } finally {
      vi.restoreAllMocks();
      vi.unstubAllGlobals();
    }
  });
});
