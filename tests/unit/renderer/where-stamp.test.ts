// Where the car was, on a query and its audit lines (issue #23 item 4): the fix at Enter on the query and its
// line, the fix at the time on every other line, no fix said outright, sealed at rest and covered by the chain.
import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import type { Where } from '../../../src-shared/where.ts';
import { auditRecord, verifyAuditTrail } from '../../../src-renderer/audit/audit-trail.ts';
import { stampIntake } from '../../../src-renderer/db/audit-chain-middleware.ts';
import { type IntakeRecord, openDatabase, type OutriderDb } from '../../../src-renderer/db/database.ts';
import { Outbox } from '../../../src-renderer/outbox/outbox.ts';
import { isSealed, seal } from '../../../src-renderer/vault/sealing.ts';
import { rawDatabaseText } from '../../support/raw-indexeddb.ts';

const KEY = new Uint8Array(32).fill(9);
const TERMINAL = 'terminal-where-0001';
const plate = { kind: 'plate', lic: '4TRN123', lis: 'CA' } as const;
/** Where the car was at Enter, and where it had got to a moment later. */
const AT_ENTER: Where = { lat: 34.052235, lon: -118.243683, fixAt: '2026-11-23T14:02:10.300Z' };
const MOVED_ON: Where = { lat: 34.061117, lon: -118.239441, fixAt: '2026-11-23T14:02:40.300Z' };

const opened: OutriderDb[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((db) => db.delete()));
});

/** A sealed database stamped as the terminal stamps it: the officer, the terminal and the car's `where` now. */
function sealedDb() {
  const car: { where?: Where } = { where: AT_ENTER };
  const name = `where-${crypto.randomUUID()}`;
  const db = openDatabase(name, async () => KEY, { stamp: () => ({ officer: 'TRN101', terminal: TERMINAL, where: car.where }) });
  opened.push(db);
  return { db, car, name };
}

describe('where on a query and its audit lines', () => {
  it('keeps the fix at Enter on the query and its line, though the car has moved on before the line is chained', async () => {
    const { db, car } = sealedDb();
    const outbox = new Outbox(db);
    const entry = await outbox.enqueue(plate, 'routine');
    car.where = MOVED_ON;
    await outbox.settle();
    await outbox.cancel(entry.id);
    expect((await db.outbox.get(entry.id))!.where).toEqual(AT_ENTER);
    const lines = await db.audit.orderBy('seq').toArray();
    expect(lines.map((line) => [line.action, line.where])).toEqual([
      ['query.enqueued', AT_ENTER],
      ['query.cancelled', MOVED_ON],
    ]);
    // What the upload sends the switch carries it, and the chain over it checks.
    expect(auditRecord(lines[0]!)).toMatchObject({ action: 'query.enqueued', where: AT_ENTER });
    expect(await verifyAuditTrail(db)).toMatchObject({ ok: true });
  });

  it('records no fix as no fix, with why, on the query and on every line', async () => {
    const { db, car } = sealedDb();
    car.where = { noFix: 'stale' };
    const outbox = new Outbox(db);
    const entry = await outbox.enqueue(plate, 'routine');
    await outbox.settle();
    car.where = { noFix: 'off' };
    await db.audit.add({ at: new Date().toISOString(), action: 'session.lock', subject: 'TRN101', outcome: 'locked by the officer' });
    expect((await db.outbox.get(entry.id))!.where).toEqual({ noFix: 'stale' });
    expect((await db.audit.orderBy('seq').toArray()).map((line) => line.where)).toEqual([{ noFix: 'stale' }, { noFix: 'off' }]);
  });

  it('holds the position sealed at rest: no latitude or longitude in the raw database', async () => {
    const { db, car, name } = sealedDb();
    const outbox = new Outbox(db);
    await outbox.enqueue(plate, 'routine');
    await outbox.settle();
    car.where = MOVED_ON;
    // A query left in the intake, as after a crash before the outbox took it in: its row and line are sealed there too.
    await db.intake.put({ ...(await db.outbox.toArray())[0]!, id: crypto.randomUUID(), enqueued: { at: new Date().toISOString(), action: 'query.enqueued', subject: 'q2', outcome: 'queued' } });
    await db.audit.add({ at: new Date().toISOString(), action: 'session.lock', subject: 'TRN101', outcome: 'locked' });
    expect(await db.intake.count()).toBe(1);
    const raw = await rawDatabaseText(name);
    for (const degrees of ['34.052235', '-118.243683', '34.061117', '-118.239441', '14:02:10', '14:02:40']) expect(raw, degrees).not.toContain(degrees);
    const auditRows = JSON.parse(raw) as Array<Record<string, unknown>>;
    expect(auditRows.filter((row) => 'where' in row).every((row) => isSealed(row.where))).toBe(true);
    expect(auditRows.filter((row) => 'where' in row).length).toBeGreaterThanOrEqual(4);
  });

  it('finds a position rewritten at rest by someone holding the data key, and names the line', async () => {
    const { db, name } = sealedDb();
    const outbox = new Outbox(db);
    await outbox.enqueue(plate, 'routine');
    await outbox.settle();
    await new Promise<void>((resolve, reject) => {
      const request = indexedDB.open(name);
      request.onsuccess = () => {
        const tx = request.result.transaction('audit', 'readwrite');
        const store = tx.objectStore('audit');
        const get = store.get(1);
        get.onsuccess = () => store.put({ ...(get.result as object), where: seal(KEY, 'audit', 'where', 1, MOVED_ON) });
        tx.oncomplete = () => (request.result.close(), resolve());
        tx.onerror = () => reject(tx.error);
      };
    });
    expect((await db.audit.get(1))!.where).toEqual(MOVED_ON);
    expect(await verifyAuditTrail(db)).toEqual({ ok: false, seq: 1, reason: 'record 1 was changed after it was written' });
  });

  it('chains lines with a position after lines written without one, as an older terminal wrote them', async () => {
    const { db, car } = sealedDb();
    car.where = undefined;
    await db.audit.add({ at: new Date().toISOString(), action: 'session.signin', subject: 'TRN101', outcome: 'signed in' });
    car.where = AT_ENTER;
    await db.audit.add({ at: new Date().toISOString(), action: 'session.lock', subject: 'TRN101', outcome: 'locked' });
    const lines = await db.audit.orderBy('seq').toArray();
    expect(lines.map((line) => 'where' in line)).toEqual([false, true]);
    expect(auditRecord(lines[0]!)).not.toHaveProperty('where');
    expect(await verifyAuditTrail(db)).toMatchObject({ ok: true });
  });
});

describe('stampIntake, as the intake worker stamps a row before sealing it', () => {
  const row = (): IntakeRecord => ({
    id: 'q1',
    query: plate,
    priority: 'routine',
    lane: 2,
    seq: 1,
    status: 'queued',
    attempts: 0,
    askedAt: '2026-11-23T14:02:11.500Z',
    enqueued: { at: '2026-11-23T14:02:11.500Z', action: 'query.enqueued', subject: 'q1', outcome: 'queued plate query, routine' },
  });

  it('puts the same where on the query and on its line', () => {
    const stamped = stampIntake(row(), () => ({ officer: 'TRN101', terminal: TERMINAL, where: AT_ENTER }));
    expect(stamped.where).toEqual(AT_ENTER);
    expect(stamped.enqueued).toMatchObject({ officer: 'TRN101', where: AT_ENTER });
  });

  it('keeps a where already stamped: a row written again is not moved to where the car is now', () => {
    const once = stampIntake(row(), () => ({ officer: 'TRN101', terminal: TERMINAL, where: AT_ENTER }));
    const again = stampIntake(once, () => ({ officer: 'TRN101', terminal: TERMINAL, where: MOVED_ON }));
    expect([again.where, again.enqueued.where]).toEqual([AT_ENTER, AT_ENTER]);
  });

  it('adds no where when nothing follows the GPS', () => {
    const stamped = stampIntake(row(), () => ({ officer: 'TRN101', terminal: TERMINAL }));
    expect(stamped).not.toHaveProperty('where');
    expect(stamped.enqueued).not.toHaveProperty('where');
  });
});
