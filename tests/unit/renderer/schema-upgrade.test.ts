// Upgrading the terminal keeps every queued query: a version-1 database opens as the current version with nothing lost.
import 'fake-indexeddb/auto';
import { Dexie } from 'dexie';
import { expect, it } from 'vitest';
import { openDatabase } from '../../../src-renderer/db/database.ts';
import { SCHEMA_V1 } from '../../../src-renderer/db/schema-history.ts';

it('keeps every queued entry, answer and alert through the upgrade from schema version 1', async () => {
  const name = `upgrade-${crypto.randomUUID()}`;
  const v1 = new Dexie(name);
  v1.version(1).stores(SCHEMA_V1);
  const queued = Array.from({ length: 25 }, (_, i) => ({
    id: crypto.randomUUID(),
    query: { kind: 'plate', lic: `4TRN${String(i).padStart(3, '0')}`, lis: 'CA' },
    priority: 'routine',
    lane: 2,
    seq: i,
    status: i === 0 ? 'sending' : 'queued',
    attempts: i === 0 ? 1 : 0,
    askedAt: '2026-11-23T10:00:00.000Z',
  }));
  const answered = { ...queued[0]!, id: 'answered-one', seq: 100, status: 'answered', answeredAt: '2026-11-23T10:01:00.000Z', sentAt: '2026-11-23T10:00:30.000Z' };
  await v1.table('outbox').bulkAdd([...queued, answered]);
  await v1.table('answers').add({ queryId: 'answered-one', switchQueryId: 's1', receivedAt: '2026-11-23T10:00:59.000Z', parts: [] });
  await v1.table('alerts').add({ id: 'a1', queryId: 'answered-one', acknowledgedAt: 0, rank: 1 });
  v1.close();

  const db = openDatabase(name);
  await db.open();
  expect(db.verno).toBe(8);
  expect(await db.outbox.where('status').anyOf('queued', 'sending').count()).toBe(25);
  expect((await db.outbox.bulkGet(queued.map((q) => q.id))).map((e) => e?.query)).toEqual(queued.map((q) => q.query));
  expect(await db.answers.get('answered-one')).toMatchObject({ askedAt: '2026-11-23T10:00:00.000Z', sentAt: '2026-11-23T10:00:30.000Z', answeredAt: '2026-11-23T10:01:00.000Z', late: false });
  expect(await db.alerts.get('a1')).toMatchObject({ late: false, acknowledgedAt: 0 });
  // An answer stored whole before version 3 counts as complete: nothing is waiting for more parts.
  expect(await db.answers.get('answered-one')).toMatchObject({ complete: true });
  // The new indexes work on upgraded rows.
  expect(await db.outbox.where('answeredAt').above('').count()).toBe(1);
  expect(await db.alerts.where('queryId').equals('answered-one').count()).toBe(1);
  expect(await db.settings.count()).toBe(0);
  await db.delete();
});
