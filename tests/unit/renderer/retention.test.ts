// The retention purge: old answers and what hangs off them go; open queries, unacknowledged alerts and the audit stay.
import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { AnswerPart, QueryAnswer } from '../../../src-shared/protocol.ts';
import { acknowledgeAlert, foldAcknowledgements } from '../../../src-renderer/alerts/alert-center.ts';
import { verifyAuditTrail } from '../../../src-renderer/audit/audit-trail.ts';
import { requestConfirmation } from '../../../src-renderer/confirm/confirmations.ts';
import { openDatabase, type OutriderDb } from '../../../src-renderer/db/database.ts';
import { AlertRaiser } from '../../../src-renderer/alerts/alert-raiser.ts';
import { wholeAnswer } from '../../../src-renderer/answers/answer-store.ts';
import { Outbox } from '../../../src-renderer/outbox/outbox.ts';
import { FIELD_CONFIG } from '../../../src-shared/field-config.ts';
import { purgeExpired, startRetention } from '../../../src-renderer/retention/retention.ts';

const NOW = new Date('2026-11-23T12:00:00.000Z');
const hoursAgo = (hours: number) => new Date(NOW.getTime() - hours * 3_600_000);
const plate = { kind: 'plate', lic: '4TRN123', lis: 'CA' } as const;

const part = (hit: boolean): AnswerPart => ({
  source: 'SVS',
  status: hit ? 'record' : 'not_on_file',
  records: hit ? [{ type: 'stolen_vehicle', summary: 'STOLEN VEHICLE', fields: { LIC: '4TRN123' }, cautions: [] }] : [],
  text: 'REPLY FROM SVS LIC/4TRN123',
  answeredAt: NOW.toISOString(),
});
const answer = (key: string, hit: boolean): QueryAnswer => ({ queryId: crypto.randomUUID(), idempotencyKey: key, receivedAt: NOW.toISOString(), parts: [part(hit)] });

let db: OutriderDb;
let clock: Date;
let outbox: Outbox;
let alerts: AlertRaiser;
beforeEach(() => {
  db = openDatabase(`retention-${crypto.randomUUID()}`, async () => new Uint8Array(32).fill(3), { stamp: () => ({ officer: 'TRN101', terminal: 'terminal-test-0001' }) });
  outbox = new Outbox(db, { clock: () => clock });
  alerts = new AlertRaiser({ db, show: () => undefined, clock: () => clock });
});
afterEach(async () => db.delete());

async function asked(hours: number) {
  clock = hoursAgo(hours);
  const entry = await outbox.enqueue(plate, 'routine');
  await outbox.claim(1);
  return entry.id;
}

async function answered(askedHours: number, answeredHours: number, hit = false) {
  const id = await asked(askedHours);
  clock = hoursAgo(answeredHours);
  const [alert] = await alerts.deliver(wholeAnswer(id, answer(id, hit)));
  return { id, alert };
}

/** A shift's worth of queries of every age and state. */
async function shift() {
  const acknowledged = await answered(20, 20, true);
  await acknowledgeAlert(db, acknowledged.alert!, hoursAgo(19));
  await foldAcknowledgements(db);
  await requestConfirmation(db, acknowledged.id, 'urgent', hoursAgo(19));
  const unacknowledged = await answered(20, 20, true);
  const cancelled = await asked(20);
  await outbox.requeue(cancelled, 'link down');
  await outbox.cancel(cancelled);
  const failed = await asked(20);
  await outbox.fail(failed, 'refused by the switch');
  const partial = await asked(20);
  await outbox.markDelivered(partial);
  await alerts.deliver({ queryId: partial, switchQueryId: 'sq', receivedAt: hoursAgo(20).toISOString(), parts: [part(false)], complete: false });
  const recent = await answered(1, 1);
  const lateAnswer = await answered(14, 10);
  // Last, so no claim above takes it.
  clock = hoursAgo(20);
  const queued = (await outbox.enqueue(plate, 'routine')).id;
  await outbox.settle();
  return { acknowledged, unacknowledged, cancelled, failed, queued, partial, recent, lateAnswer };
}

describe('the retention purge', () => {
  it('purges old answers, acknowledged alerts and finished queries, and keeps what is open or recent', async () => {
    const made = await shift();
    const auditBefore = await db.audit.count();
    expect(await purgeExpired(db, { hours: 12, now: NOW })).toEqual({ answers: 2, alerts: 1, queries: 4 });

    expect((await db.outbox.toArray()).map((entry) => entry.id).sort()).toEqual([made.queued, made.partial, made.recent.id, made.lateAnswer.id].sort());
    expect((await db.answers.toArray()).map((kept) => kept.queryId).sort()).toEqual([made.partial, made.recent.id, made.lateAnswer.id].sort());
    expect((await db.alerts.toArray()).map((alert) => alert.id)).toEqual([made.unacknowledged.alert!.id]);
    expect(await db.confirmations.count()).toBe(0);
    expect(await db.audit.count()).toBe(auditBefore + 1);
    expect(await verifyAuditTrail(db)).toMatchObject({ ok: true });
    expect((await db.settings.get('retentionPurgedAt'))?.value).toBe(NOW.toISOString());
  });

  it('writes one audit line with the counts and nothing of what went', async () => {
    const made = await shift();
    await purgeExpired(db, { hours: 12, now: NOW });
    const line = (await db.audit.orderBy('seq').toArray()).at(-1)!;
    expect(line).toMatchObject({ action: 'retention.purged', subject: 'older than 12 h', outcome: 'answers: 2, alerts: 1, queries: 4', at: '2026-11-23T12:00:00.00Z' });
    const text = JSON.stringify(line);
    for (const secret of ['4TRN123', 'STOLEN', made.acknowledged.id, made.cancelled]) expect(text).not.toContain(secret);
  });

  it('purges an alert acknowledged after its answer went, on a later run', async () => {
    const made = await shift();
    await purgeExpired(db, { hours: 12, now: NOW });
    await acknowledgeAlert(db, made.unacknowledged.alert!, NOW);
    await foldAcknowledgements(db);
    expect(await purgeExpired(db, { hours: 12, now: NOW })).toEqual({ answers: 0, alerts: 1, queries: 0 });
    expect(await db.alerts.count()).toBe(0);
  });

  it('honours the hours it is given, and writes no audit line when nothing went', async () => {
    await shift();
    const auditBefore = await db.audit.count();
    expect(await purgeExpired(db, { hours: 24, now: NOW })).toEqual({ answers: 0, alerts: 0, queries: 0 });
    expect(await db.audit.count()).toBe(auditBefore);
    expect(await purgeExpired(db, { hours: 2, now: NOW })).toMatchObject({ answers: 3, queries: 5 });
  });

  it('runs at start with the agency hours, and again on its schedule', async () => {
    await shift();
    let hours = 24;
    const stop = startRetention({ db, hours: () => hours, intervalMs: 20, now: () => NOW });
    try {
      await vi.waitFor(async () => expect(await db.settings.get('retentionPurgedAt')).toBeDefined());
      expect(await db.answers.count()).toBe(5);
      hours = FIELD_CONFIG.retentionHours;
      await vi.waitFor(async () => expect(await db.answers.count()).toBe(3));
    } finally {
      stop();
    }
  });
});
