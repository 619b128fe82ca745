// The alert policy, as deliver() applies it: one alert per query, raised again only when more severe, and a
// possible hit from the hotlist replaced or cleared by the live answer. fake-indexeddb, no switch.
import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AnswerPart } from '../../../src-shared/protocol.ts';
import { AlertRaiser } from '../../../src-renderer/alerts/alert-raiser.ts';
import type { PartDelivery } from '../../../src-renderer/answers/answer-store.ts';
import { openDatabase, type OutriderDb } from '../../../src-renderer/db/database.ts';
import { Outbox } from '../../../src-renderer/outbox/outbox.ts';
import { wanted } from './answer-parts.ts';

let db: OutriderDb;
let outbox: Outbox;
beforeEach(() => {
  db = openDatabase(`raiser-${crypto.randomUUID()}`);
  outbox = new Outbox(db);
});
afterEach(async () => db.delete());

/** Stores parts as the collector does; returns the alert they announced, if any. */
const record = async (raiser: AlertRaiser, queryId: string, delivery: Omit<PartDelivery, 'queryId'>) => (await raiser.deliver({ queryId, ...delivery }))[0];

describe('a part that adds a caution after the hit', () => {

  it('raises the acknowledged alert again as officer safety; the same part twice changes nothing', async () => {
    const entry = await outbox.enqueue({ kind: 'person', nam: 'DOE, JOHN', dob: '1980-01-01', sex: 'M' }, 'routine');
    await outbox.settle();
    const delivery = (parts: AnswerPart[], complete = false) => ({ switchQueryId: 's', receivedAt: new Date().toISOString(), parts, complete });
    const alerts = new AlertRaiser({ db, show: () => undefined });
    const first = await record(alerts, entry.id, delivery([wanted('WPS', [])]));
    expect(first).toMatchObject({ severity: 'hit' });
    await db.alerts.update(first!.id, { acknowledgedAt: Date.now() });
    expect(await record(alerts, entry.id, delivery([wanted('WPS', [])]))).toBeUndefined();
    const raised = await record(alerts, entry.id, delivery([wanted('NCIC', ['armed_and_dangerous'])], true));
    expect(raised).toMatchObject({ id: first!.id, severity: 'officer_safety', acknowledgedAt: 0, cautions: ['ARMED AND DANGEROUS'] });
    expect(await db.alerts.count()).toBe(1);
    expect((await db.outbox.get(entry.id))!.status).toBe('answered');
  });
});

describe('a possible hit from the offline hotlist', () => {
  const possible = (queryId: string) => ({
    id: crypto.randomUUID(),
    queryId,
    severity: 'possible_hit' as const,
    rank: 2,
    title: 'POSSIBLE HIT: hotlist of 14:02, confirm when connected',
    subject: 'Plate 4TRN123 (CA)',
    detail: 'On the stolen-plate hotlist',
    cautions: [],
    sources: ['Hotlist'],
    askedAt: new Date().toISOString(),
    answeredAt: new Date().toISOString(),
    late: false,
    acknowledgedAt: Date.now(),
  });
  const svs = (type: 'stolen_vehicle' | 'registration'): AnswerPart => ({
    source: 'SVS',
    status: type === 'registration' ? 'not_on_file' : 'record',
    records: type === 'registration' ? [] : [{ type, summary: 'STOLEN VEHICLE', fields: {}, cautions: [] }],
    text: 'REPLY',
    answeredAt: new Date().toISOString(),
  });
  const delivery = (parts: AnswerPart[], complete: boolean) => ({ switchQueryId: 's', receivedAt: new Date().toISOString(), parts, complete });

  it('is replaced by the live hit, which pops again though the possible hit was acknowledged, late if the answer is', async () => {
    // Asked twenty minutes ago in a dead zone: the possible hit came at once, the live answer only now.
    let now = new Date('2026-11-23T14:02:00Z');
    const lateOutbox = new Outbox(db, { clock: () => now });
    const lateAlerts = new AlertRaiser({ db, show: () => undefined, clock: () => now });
    const entry = await lateOutbox.enqueue({ kind: 'plate', lic: '4TRN123', lis: 'CA' }, 'routine');
    await db.alerts.add({ ...possible(entry.id), askedAt: entry.askedAt, answeredAt: entry.askedAt });
    now = new Date('2026-11-23T14:22:00Z');
    const live = await record(lateAlerts, entry.id, delivery([svs('stolen_vehicle')], true));
    expect(live).toMatchObject({ severity: 'hit', title: 'STOLEN VEHICLE', acknowledgedAt: 0, late: true, answeredAt: '2026-11-23T14:22:00.000Z' });
    expect(await db.alerts.count()).toBe(1);
  });

  it('is cleared, in words, when the live answer has no hit', async () => {
    const entry = await outbox.enqueue({ kind: 'plate', lic: '4TRN123', lis: 'CA' }, 'routine');
    await db.alerts.add(possible(entry.id));
    const alerts = new AlertRaiser({ db, show: () => undefined });
    // A part without a hit does not clear it yet: another source may still hold the theft.
    expect(await record(alerts, entry.id, delivery([svs('registration')], false))).toBeUndefined();
    const cleared = await record(alerts, entry.id, delivery([], true));
    expect(cleared).toMatchObject({ severity: 'information', title: 'CLEARED: NO HIT ON THE LIVE ANSWER', acknowledgedAt: 0 });
    expect(await db.alerts.count()).toBe(1);
  });
});
