// The outbox's state changes, against IndexedDB as fake-indexeddb implements it.
import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { QueryAnswer } from '../../../src-shared/protocol.ts';
import { type IntakeRecord, openDatabase, type OutriderDb } from '../../../src-renderer/db/database.ts';
import { AlertRaiser } from '../../../src-renderer/alerts/alert-raiser.ts';
import { wholeAnswer } from '../../../src-renderer/answers/answer-store.ts';
import { intakeFor } from '../../../src-renderer/outbox/intake.ts';
import { IntakeWorkerUnavailable } from '../../../src-renderer/outbox/intake-writer.ts';
import { holdReading } from '../../support/slow-storage.ts';
import { Outbox } from '../../../src-renderer/outbox/outbox.ts';
import { describeStatus, IllegalTransition, transitions } from '../../../src-renderer/outbox/outbox-state.ts';

const plate = { kind: 'plate', lic: '4TRN123', lis: 'CA' } as const;
const person = { kind: 'person', nam: 'TRAINING, ARMED', dob: '1980-01-01', sex: 'M' } as const;

function answer(id: string, hit: boolean): QueryAnswer {
  const at = new Date().toISOString();
  return {
    queryId: crypto.randomUUID(),
    idempotencyKey: id,
    receivedAt: at,
    parts: [
      {
        source: 'SVS',
        status: hit ? 'record' : 'not_on_file',
        records: hit ? [{ type: 'stolen_vehicle', summary: 'STOLEN VEHICLE', fields: {}, cautions: [] }] : [],
        text: 'THIS TEXT SAYS WANTED AND STOLEN BUT DECIDES NOTHING',
        answeredAt: at,
      },
    ],
  };
}

let db: OutriderDb;
let outbox: Outbox;
let alerts: AlertRaiser;
beforeEach(() => {
  db = openDatabase(`outbox-test-${crypto.randomUUID()}`);
  outbox = new Outbox(db);
  alerts = new AlertRaiser({ db, show: () => undefined });
});
/** Stores a whole answer as the sync engine does; returns the alert it announced, if any. */
const recordAnswer = async (id: string, whole: QueryAnswer, raiser = alerts) => (await raiser.deliver(wholeAnswer(id, whole)))[0];
afterEach(async () => db.delete());

describe('the outbox', () => {
  it('commits a queued entry with its audit line, then takes it into the outbox with the line in the chain', async () => {
    const entry = await outbox.enqueue(plate, 'routine');
    await outbox.settle();
    expect(await db.outbox.get(entry.id)).toMatchObject({ status: 'queued', attempts: 0, query: plate });
    expect(await db.intake.count()).toBe(0);
    const audit = await db.audit.toArray();
    expect(audit).toEqual([expect.objectContaining({ action: 'query.enqueued', subject: entry.id })]);
    expect(JSON.stringify(audit)).not.toContain('4TRN123');
  });

  it('queues a query while a view is reading the outbox, instead of waiting for the read to end', async () => {
    await db.open();
    // A read-only transaction on the outbox kept open, as a slow view refresh would.
    const view = holdReading(db.backendDB(), 'outbox');
    // What the reader does to a write on the outbox: it waits (so this test can tell the difference).
    let outboxWritten = false;
    const writer = db.backendDB().transaction('outbox', 'readwrite');
    writer.objectStore('outbox').count();
    const outboxWrite = new Promise((resolve) => (writer.oncomplete = resolve)).then(() => (outboxWritten = true));
    const entry = await outbox.enqueue(plate, 'routine');
    // The query is durable while the view still reads (a write to the outbox still waits): only now is it let go.
    expect(outboxWritten).toBe(false);
    expect(await db.intake.get(entry.id)).toMatchObject({ id: entry.id, query: plate, enqueued: { action: 'query.enqueued', subject: entry.id } });
    await view.release();
    await outboxWrite;
    await outbox.settle();
    expect(await db.outbox.get(entry.id)).toMatchObject({ status: 'queued' });
  });

  it('takes in, once, a query a crash left in the intake, even one taken in just before the crash', async () => {
    const entry = await outbox.enqueue(plate, 'routine');
    await outbox.settle();
    // The crash came after the outbox took the query in, before the intake row was deleted; and a second
    // query was committed to the intake, never taken in.
    const [line] = await db.audit.toArray();
    const { seq: _seq, prev: _prev, hash: _hash, ...written } = line!;
    await db.intake.put({ ...(await db.outbox.get(entry.id))!, enqueued: written });
    const second = { ...(await db.outbox.get(entry.id))!, id: crypto.randomUUID(), seq: Date.now() * 1000 + 5 };
    await db.intake.put({ ...second, enqueued: { ...written, subject: second.id } });
    // The next start.
    await new Outbox(db).recoverInterrupted();
    expect(await db.intake.count()).toBe(0);
    expect((await db.outbox.toArray()).map((row) => row.id).sort()).toEqual([entry.id, second.id].sort());
    expect((await db.audit.toArray()).map((row) => row.subject)).toEqual([entry.id, second.id]);
  });

  it('claims the most urgent lane first, oldest first within a lane, and marks the claims sending', async () => {
    const routine1 = await outbox.enqueue(plate, 'routine');
    const routine2 = await outbox.enqueue(plate, 'routine');
    const safety = await outbox.enqueue(person, 'officer_safety');
    const emergency = await outbox.enqueue(plate, 'emergency');
    const claimed = await outbox.claim(3);
    expect(claimed.map((e) => e.id)).toEqual([emergency.id, safety.id, routine1.id]);
    expect(claimed.every((e) => e.status === 'sending' && e.attempts === 1)).toBe(true);
    expect((await outbox.claim(5)).map((e) => e.id)).toEqual([routine2.id]);
    expect(await outbox.claim(5)).toEqual([]);
  });

  it('puts a failed attempt back in the queue with its reason, and counts the next attempt', async () => {
    const entry = await outbox.enqueue(plate, 'routine');
    await outbox.claim(1);
    await outbox.requeue(entry.id, 'The switch cannot be reached');
    const queued = (await db.outbox.get(entry.id))!;
    expect(describeStatus(queued)).toBe('Queued, will retry (The switch cannot be reached)');
    const [again] = await outbox.claim(1);
    expect(again).toMatchObject({ id: entry.id, attempts: 2 });
    expect(describeStatus(again!)).toBe('Sending (attempt 2)');
  });

  it('stores the answer, closes the entry and raises one alert for a hit, decided from records not text', async () => {
    const hit = await outbox.enqueue(plate, 'routine');
    const clean = await outbox.enqueue(plate, 'routine');
    await outbox.claim(2);
    const alert = await recordAnswer(hit.id, answer(hit.id, true));
    expect(alert).toMatchObject({ severity: 'hit', title: 'STOLEN VEHICLE', subject: 'Plate 4TRN123 (CA)', acknowledgedAt: 0 });
    expect(await recordAnswer(clean.id, answer(clean.id, false))).toBeUndefined();
    expect((await db.outbox.get(hit.id))!.status).toBe('answered');
    expect(await db.answers.count()).toBe(2);
    expect(await db.alerts.count()).toBe(1);
  });

  it('ignores a second answer for the same query: no second alert', async () => {
    const entry = await outbox.enqueue(plate, 'routine');
    await outbox.claim(1);
    await recordAnswer(entry.id, answer(entry.id, true));
    expect(await recordAnswer(entry.id, answer(entry.id, true))).toBeUndefined();
    expect(await db.alerts.count()).toBe(1);
  });

  it('returns entries left sending or delivered by a crash to the queue', async () => {
    const sending = await outbox.enqueue(plate, 'routine');
    const delivered = await outbox.enqueue(plate, 'routine');
    await outbox.claim(2);
    await outbox.markDelivered(delivered.id);
    expect(describeStatus((await db.outbox.get(delivered.id))!)).toBe('Delivered, waiting for the answer');
    expect(await outbox.recoverInterrupted()).toBe(2);
    expect((await db.outbox.bulkGet([sending.id, delivered.id])).map((e) => e!.status)).toEqual(['queued', 'queued']);
  });

  it('lets the officer cancel a query that has not left, and not one already on its way', async () => {
    const waiting = await outbox.enqueue(plate, 'routine');
    const away = await outbox.enqueue(plate, 'emergency');
    await outbox.claim(1);
    expect(await outbox.cancel(waiting.id)).toBe(true);
    expect(await outbox.cancel(away.id)).toBe(false);
    expect((await db.outbox.get(waiting.id))!.status).toBe('cancelled');
    expect(await outbox.claim(5)).toEqual([]);
    expect((await db.audit.toArray()).map((a) => a.action)).toContain('query.cancelled');
  });

  it('marks an answer late when the query was asked longer ago than the threshold, with all three times', async () => {
    let now = new Date('2026-11-23T14:02:00Z');
    const lateOutbox = new Outbox(db, { clock: () => now });
    const lateAlerts = new AlertRaiser({ db, show: () => undefined, clock: () => now, lateAfterMinutes: 5 });
    const entry = await lateOutbox.enqueue(plate, 'routine');
    now = new Date('2026-11-23T14:18:00Z');
    await lateOutbox.claim(1);
    now = new Date('2026-11-23T14:19:00Z');
    const alert = await recordAnswer(entry.id, answer(entry.id, true), lateAlerts);
    expect(alert).toMatchObject({ late: true, askedAt: '2026-11-23T14:02:00.000Z', answeredAt: '2026-11-23T14:19:00.000Z' });
    expect(await db.answers.get(entry.id)).toMatchObject({ late: true, askedAt: '2026-11-23T14:02:00.000Z', sentAt: '2026-11-23T14:18:00.000Z', answeredAt: '2026-11-23T14:19:00.000Z' });
  });

  it('does not mark a prompt answer late', async () => {
    const entry = await outbox.enqueue(plate, 'routine');
    await outbox.claim(1);
    await recordAnswer(entry.id, answer(entry.id, false));
    expect((await db.answers.get(entry.id))!.late).toBe(false);
  });

  it('marks a query the switch refuses as failed with the switch’s reason, audited', async () => {
    const entry = await outbox.enqueue(plate, 'routine');
    await outbox.claim(1);
    await outbox.fail(entry.id, 'Plate (LIC) must be at most 10 characters');
    expect(describeStatus((await db.outbox.get(entry.id))!)).toBe('Failed: Plate (LIC) must be at most 10 characters');
    expect((await db.audit.toArray()).map((a) => a.action)).toEqual(['query.enqueued', 'query.failed']);
  });
});

describe('outbox state transitions', () => {
  const base = { id: 'x', query: plate, priority: 'routine', lane: 2, seq: 1, status: 'queued', attempts: 0, askedAt: '' } as const;

  it('refuses transitions that would lose or repeat a query', () => {
    const answered = transitions.answer(transitions.send({ ...base }, new Date()), new Date());
    expect(() => transitions.send(answered, new Date())).toThrow(IllegalTransition);
    expect(() => transitions.requeue(answered, 'x')).toThrow(IllegalTransition);
    expect(() => transitions.fail({ ...base }, 'x')).toThrow(IllegalTransition);
  });

  it('clears the last error once answered', () => {
    const sending = transitions.send({ ...base, lastError: 'timeout' }, new Date());
    expect(transitions.answer(sending, new Date()).lastError).toBeUndefined();
  });
});

describe('the intake written from a worker', () => {
  it('falls back to writing through the page when the worker cannot run, and loses nothing', async () => {
    const dead = { write: () => Promise.reject(new IntakeWorkerUnavailable('The intake worker failed')), prepare: () => undefined, preparedId: () => undefined };
    const withDeadWorker = new Outbox(db, { intake: intakeFor(db, dead) });
    const entry = await withDeadWorker.enqueue(plate, 'routine');
    await withDeadWorker.settle();
    expect(await db.outbox.get(entry.id)).toMatchObject({ status: 'queued', query: plate });
  });

  it('says the query was not queued when storage itself refuses it, instead of trying again elsewhere', async () => {
    const full = { write: () => Promise.reject(Object.assign(new Error('The quota has been exceeded'), { name: 'QuotaExceededError' })), prepare: () => undefined, preparedId: () => undefined };
    await expect(new Outbox(db, { intake: intakeFor(db, full) }).enqueue(plate, 'routine')).rejects.toMatchObject({ name: 'QuotaExceededError' });
    expect(await db.intake.count()).toBe(0);
    expect(await db.outbox.count()).toBe(0);
  });

  it('takes in what the worker committed, stamped and whole', async () => {
    const written: IntakeRecord[] = [];
    const worker = { write: async (row: IntakeRecord) => (written.push(row), await db.intake.put(row), Date.now()), prepare: () => undefined, preparedId: () => undefined };
    const outbox2 = new Outbox(db, { intake: intakeFor(db, worker) });
    const entry = await outbox2.enqueue(plate, 'officer_safety');
    expect(written).toEqual([expect.objectContaining({ id: entry.id, query: plate, enqueued: expect.objectContaining({ action: 'query.enqueued', subject: entry.id }) })]);
    await outbox2.settle();
    expect(await db.outbox.get(entry.id)).toMatchObject({ status: 'queued', priority: 'officer_safety' });
  });
});
