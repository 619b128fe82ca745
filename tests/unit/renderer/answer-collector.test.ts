// Answers part by part: the terminal's stream reader, collector and outbox against a real switch on loopback.
import 'fake-indexeddb/auto';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { NORMAL_CONDITIONS } from '../../../src-shared/conditions.ts';
import { type AnswerPart, type Bolo, paths } from '../../../src-shared/protocol.ts';
import { BoloInbox } from '../../../src-renderer/alerts/bolo-inbox.ts';
import { verifyAuditTrail } from '../../../src-renderer/audit/audit-trail.ts';
import { openDatabase, type OutriderDb } from '../../../src-renderer/db/database.ts';
import { AlertRaiser, alertIdFor } from '../../../src-renderer/alerts/alert-raiser.ts';
import { Outbox } from '../../../src-renderer/outbox/outbox.ts';
import { AnswerCollector } from '../../../src-renderer/sync/answer-collector.ts';
import { EventStream } from '../../../src-renderer/sync/event-stream.ts';
import { streamCursor, terminalIdentity } from '../../../src-renderer/sync/identity.ts';
import { type PollOutcome, SwitchClient } from '../../../src-renderer/sync/switch-client.ts';
import { MessageSwitch } from '../../../src-switch/server.ts';
import { holdReading } from '../../support/slow-storage.ts';
import { wanted } from './answer-parts.ts';

let messageSwitch: MessageSwitch;
let url: string;
beforeAll(async () => {
  messageSwitch = new MessageSwitch({ sessions: 'off', latencyScale: 1 });
  ({ url } = await messageSwitch.listen());
});
afterAll(async () => messageSwitch.close());

const link = { canSend: true, onChange: () => () => undefined };
let db: OutriderDb;
let outbox: Outbox;
let streams: EventStream[] = [];
beforeEach(() => {
  db = openDatabase(`collector-${crypto.randomUUID()}`);
  outbox = new Outbox(db);
});
afterEach(async () => {
  streams.forEach((stream) => stream.stop());
  streams = [];
  await messageSwitch.conditions.set(NORMAL_CONDITIONS);
  await db.delete();
});

function terminal(poll?: (key: string) => Promise<PollOutcome>) {
  const identity = terminalIdentity(db);
  const client = new SwitchClient(url, () => identity);
  const alerts: string[] = [];
  const collector = new AnswerCollector({ db, outbox, alerts: new AlertRaiser({ db, show: (alert) => alerts.push(alert.title) }), bolos: new BoloInbox(db), poll: poll ?? ((key) => client.poll(key)), link });
  const listen = () => {
    const stream = new EventStream({
      url: async (lastEventId) => `${url}${paths.events}?terminal=${await identity}${lastEventId ? `&lastEventId=${lastEventId}` : ''}`,
      cursor: () => streamCursor(db),
      apply: (events) => collector.apply(events),
      link,
    });
    streams.push(stream);
    stream.start();
    return stream;
  };
  const send = async (lic: string) => {
    const entry = await outbox.enqueue({ kind: 'plate', lic, lis: 'CA' }, 'routine');
    const [claimed] = await outbox.claim(1);
    const outcome = await client.send(claimed!, () => outbox.markDelivered(claimed!.id));
    if (outcome.kind !== 'accepted') throw new Error(`expected a 202, got ${outcome.kind}`);
    await outbox.accept(claimed!.id, outcome.accepted.sources);
    return entry.id;
  };
  return { client, collector, alerts, listen, send };
}

const until = (check: () => Promise<boolean>, timeout = 5_000) => vi.waitFor(async () => expect(await check()).toBe(true), { timeout, interval: 20 });

describe('answers arriving on the event stream', () => {
  it('stores each part as it comes and alerts on the hit part, before the slowest source has answered', async () => {
    await messageSwitch.conditions.set({ ...NORMAL_CONDITIONS, slowSource: { source: 'NCIC', extraMs: 2_000 } });
    const t = terminal();
    const stream = t.listen();
    await until(async () => stream.state === 'open');
    const id = await t.send('4TRN123');
    await until(async () => (await db.answers.get(id))?.parts.some((part) => part.source === 'SVS') ?? false);
    // The hit is known and alerted while NCIC is still out: the entry is open, the alert is not waiting for it.
    expect(t.alerts).toEqual(['STOLEN VEHICLE']);
    expect((await db.outbox.get(id))!.status).toBe('delivered');
    expect((await db.answers.get(id))!.complete).toBe(false);
    await until(async () => (await db.outbox.get(id))!.status === 'answered', 8_000);
    expect((await db.answers.get(id))!.parts.map((part) => part.source).sort()).toEqual(['DMV', 'NCIC', 'SVS']);
    expect(await db.alerts.where('queryId').equals(id).count()).toBe(1);
    expect(t.alerts).toHaveLength(1);
  });

  it('resumes from the position it stored: answers produced while it was away are stored once each', async () => {
    const t = terminal();
    const first = t.listen();
    await until(async () => first.state === 'open');
    const early = await t.send('AWAY001');
    await until(async () => (await db.outbox.get(early))!.status === 'answered');
    first.stop();
    const cursor = await streamCursor(db);
    expect(cursor).toMatch(/^[0-9a-f]{8}-\d+$/);

    const away = [await t.send('AWAY002'), await t.send('4TRN456'), await t.send('AWAY003')];
    // Give the switch time to answer them all with nobody listening.
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect((await db.outbox.bulkGet(away)).map((entry) => entry!.status)).toEqual(['delivered', 'delivered', 'delivered']);
    t.listen();
    await until(async () => (await db.outbox.where('status').equals('answered').count()) === 4);
    expect((await db.audit.toArray()).filter((line) => line.action === 'query.answered')).toHaveLength(4);
    expect(t.alerts).toEqual(['STOLEN PLATE']);
    expect(await streamCursor(db)).not.toBe(cursor);
  });
});

describe('the poll fallback', () => {
  it('completes an accepted query the stream never delivered, and resends one the switch has forgotten', async () => {
    const t = terminal();
    // No stream at all (a proxy that buffers event streams): only the poll brings answers.
    const answered = await t.send('POLL001');
    const lost = await t.send('POLL002');
    await until(async () => {
      const polled = await t.client.poll(answered);
      return polled.kind === 'status' && polled.status.complete;
    });
    const asked: string[] = [];
    // The switch "forgets" POLL002, as a restarted switch would.
    const poll = async (key: string): Promise<PollOutcome> => (asked.push(key), key === lost ? { kind: 'unknown' } : t.client.poll(key));
    const collector = new AnswerCollector({ db, outbox, alerts: new AlertRaiser({ db, show: () => undefined }), bolos: new BoloInbox(db), poll, link, pollAfterMs: 0 });
    await collector.pollOpen();
    expect(asked.sort()).toEqual([answered, lost].sort());
    expect((await db.outbox.get(answered))!.status).toBe('answered');
    expect((await db.outbox.get(lost))!).toMatchObject({ status: 'queued', lastError: 'The switch no longer holds this query; sending it again' });
  });

  it('leaves a query alone until it is overdue', async () => {
    const asked: string[] = [];
    const t = terminal(async (key) => (asked.push(key), { kind: 'unreachable', reason: 'test' }));
    await t.send('FRESH01');
    await t.collector.pollOpen();
    expect(asked).toEqual([]);
  });
});

/** One event of the stream, as the reader hands it on. */
const event = (id: string, type: string, data: unknown) => ({ id, type, data: JSON.stringify(data) });

describe('events arriving in one read', () => {
  const part = (source: AnswerPart['source'], stolen: boolean): AnswerPart => ({
    source,
    status: stolen ? 'record' : 'not_on_file',
    records: stolen ? [{ type: 'stolen_vehicle', summary: 'STOLEN VEHICLE', fields: {}, cautions: [] }] : [],
    text: 'REPLY',
    answeredAt: new Date().toISOString(),
  });

  it("stores a query's parts and completion as one answer with one alert, the BOLO beside it, and the position after the last", async () => {
    const entry = await outbox.enqueue({ kind: 'plate', lic: '4TRN123', lis: 'CA' }, 'routine');
    const [claimed] = await outbox.claim(1);
    await outbox.accept(claimed!.id, ['SVS', 'DMV', 'NCIC']);
    const alerts: string[] = [];
    const collector = new AnswerCollector({ db, outbox, alerts: new AlertRaiser({ db, show: (alert) => alerts.push(alert.title) }), bolos: new BoloInbox(db), poll: async () => ({ kind: 'unknown' }), link });
    const receivedAt = new Date().toISOString();
    const parts = [part('SVS', true), part('DMV', false), part('NCIC', false)];
    const bolo: Bolo = { id: crypto.randomUUID(), issuedAt: receivedAt, title: 'STOLEN AMBULANCE', text: 'White Ford E-450', cautions: [] };
    await collector.apply([
      event('e-1', 'part', { idempotencyKey: entry.id, queryId: 'q-1', receivedAt, part: parts[0] }),
      event('e-2', 'bolo', bolo),
      event('e-3', 'part', { idempotencyKey: entry.id, queryId: 'q-1', receivedAt, part: parts[1] }),
      event('e-4', 'not-a-kind-this-terminal-knows', {}),
      event('e-5', 'complete', { idempotencyKey: entry.id, queryId: 'q-1', receivedAt, parts }),
    ]);
    expect(alerts).toEqual(['STOLEN VEHICLE', 'BOLO: STOLEN AMBULANCE']);
    expect((await db.answers.get(entry.id))!.parts.map((held) => held.source)).toEqual(['SVS', 'DMV', 'NCIC']);
    expect((await db.outbox.get(entry.id))!.status).toBe('answered');
    expect(await db.alerts.count()).toBe(2);
    expect((await db.audit.toArray()).filter((line) => line.action === 'query.answered')).toHaveLength(1);
    // The answer's lines went in together and still chain, each to the one before.
    expect((await verifyAuditTrail(db)).ok).toBe(true);
    expect(await streamCursor(db)).toBe('e-5');
  });
});

describe('a hit on a query this window sent', () => {

  it('is on screen before it is stored, stored under the same id, announced once, and raised again by a caution', async () => {
    const entry = await outbox.enqueue({ kind: 'person', nam: 'DOE, JOHN', dob: '1980-01-01', sex: 'M' }, 'routine');
    await outbox.settle();
    const [claimed] = await outbox.claim(1);
    await outbox.accept(claimed!.id, ['WPS', 'NCIC']);
    const announced: Array<{ id: string; severity: string; storedAlready: boolean }> = [];
    const pending: Array<Promise<unknown>> = [];
    const alerts = new AlertRaiser({
      db,
      show: (alert) => {
        const entryAt = announced.push({ id: alert.id, severity: alert.severity, storedAlready: false }) - 1;
        pending.push(db.alerts.get(alert.id).then((stored) => (announced[entryAt]!.storedAlready = stored !== undefined)));
      },
    });
    // The sync engine tells the raiser what it claimed; this test claims by hand.
    await alerts.sending([claimed!]);
    const collector = new AnswerCollector({ db, outbox, alerts, bolos: new BoloInbox(db), poll: async () => ({ kind: 'unknown' }), link });
    const receivedAt = new Date().toISOString();
    // Storage is slow (a reader holds the alerts table): the hit is shown all the same.
    await db.open();
    const slow = holdReading(db.backendDB(), 'alerts');
    const applied = collector.apply([event('e-1', 'part', { idempotencyKey: entry.id, queryId: 'q-1', receivedAt, part: wanted('WPS', []) })]);
    expect(announced).toEqual([{ id: alertIdFor(entry.id), severity: 'hit', storedAlready: false }]);
    await slow.release();
    await applied;
    await Promise.all(pending);
    // The look at storage made as it was shown found nothing yet; the stored alert is the one shown.
    expect(announced).toEqual([{ id: alertIdFor(entry.id), severity: 'hit', storedAlready: false }]);
    expect(await db.alerts.get(alertIdFor(entry.id))).toMatchObject({ severity: 'hit', acknowledgedAt: 0 });

    // The same part again raises nothing; NCIC's caution raises the same alert to officer safety, once.
    await collector.apply([event('e-2', 'part', { idempotencyKey: entry.id, queryId: 'q-1', receivedAt, part: wanted('WPS', []) })]);
    await collector.apply([event('e-3', 'complete', { idempotencyKey: entry.id, queryId: 'q-1', receivedAt, parts: [wanted('WPS', []), wanted('NCIC', ['armed_and_dangerous'])] })]);
    expect(announced.map((each) => [each.id, each.severity])).toEqual([
      [alertIdFor(entry.id), 'hit'],
      [alertIdFor(entry.id), 'officer_safety'],
    ]);
    expect(await db.alerts.toArray()).toEqual([expect.objectContaining({ id: alertIdFor(entry.id), severity: 'officer_safety' })]);
    expect((await db.outbox.get(entry.id))!.status).toBe('answered');
  });
});

describe('BOLOs', () => {
  it('are filed and alerted once, though a resumed stream sends them again', async () => {
    const inbox = new BoloInbox(db);
    const bolo: Bolo = { id: crypto.randomUUID(), issuedAt: new Date().toISOString(), title: 'STOLEN AMBULANCE', text: 'White Ford E-450', lic: '1ABC234', lis: 'CA', cautions: [] };
    expect(await inbox.receive(bolo)).toMatchObject({ severity: 'broadcast', title: 'BOLO: STOLEN AMBULANCE', subject: 'Plate 1ABC234 (CA)' });
    expect(await inbox.receive(bolo)).toBeUndefined();
    expect(await db.bolos.count()).toBe(1);
    expect(await db.alerts.count()).toBe(1);
  });
});
