// The sync engine: bounded in flight, stops on a dead link, pauses after server errors, never drops a query.
import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { QueryAnswer } from '../../../src-shared/protocol.ts';
import { openDatabase, type OutboxEntry, type OutriderDb } from '../../../src-renderer/db/database.ts';
import { AlertRaiser } from '../../../src-renderer/alerts/alert-raiser.ts';
import { Outbox } from '../../../src-renderer/outbox/outbox.ts';
import type { SendOutcome } from '../../../src-renderer/sync/switch-client.ts';
import { SyncEngine } from '../../../src-renderer/sync/sync-engine.ts';

const plate = { kind: 'plate', lic: '4TRN000', lis: 'CA' } as const;
const answerFor = (entry: OutboxEntry): QueryAnswer => ({ queryId: crypto.randomUUID(), idempotencyKey: entry.id, receivedAt: new Date().toISOString(), parts: [] });

class FakeLink {
  canSend = true;
  failures: string[] = [];
  reportSuccess() {
    this.canSend = true;
  }
  reportTrouble(reason: string) {
    this.failures.push(reason);
  }
  reportFailure(reason: string) {
    this.canSend = false;
    this.failures.push(reason);
  }
}

let db: OutriderDb;
let outbox: Outbox;
let link: FakeLink;
let engines: SyncEngine[] = [];
/** Every engine a test makes is stopped before its database goes, so no backoff timer outlives the test. */
function makeEngine(deps: ConstructorParameters<typeof SyncEngine>[0]): SyncEngine {
  const engine = new SyncEngine(deps);
  engines.push(engine);
  return engine;
}
beforeEach(() => {
  db = openDatabase(`engine-test-${crypto.randomUUID()}`);
  outbox = new Outbox(db);
  link = new FakeLink();
});
afterEach(async () => {
  engines.forEach((engine) => engine.stop());
  engines = [];
  vi.useRealTimers();
  await db.delete();
});

async function settled(check: () => Promise<boolean>) {
  await vi.waitFor(async () => expect(await check()).toBe(true), { timeout: 5000, interval: 10 });
}
const countBy = (status: OutboxEntry['status']) => db.outbox.where('status').equals(status).count();

describe('the sync engine', () => {
  it('never has more than the configured number of queries in flight, and answers them all', async () => {
    for (let i = 0; i < 12; i++) await outbox.enqueue(plate, 'routine');
    let inFlight = 0;
    let peak = 0;
    const send = async (entry: OutboxEntry): Promise<SendOutcome> => {
      peak = Math.max(peak, ++inFlight);
      await new Promise((resolve) => setTimeout(resolve, 5));
      inFlight--;
      return { kind: 'answered', answer: answerFor(entry) };
    };
    const engine = makeEngine({ outbox, send, link, alerts: new AlertRaiser({ db, show: () => undefined }), maxInFlight: 3 });
    await engine.wake();
    await settled(async () => (await countBy('answered')) === 12);
    expect(peak).toBe(3);
  });

  it('stops sending when the link goes down and keeps every query queued', async () => {
    for (let i = 0; i < 5; i++) await outbox.enqueue(plate, 'routine');
    const sent: string[] = [];
    const send = async (entry: OutboxEntry): Promise<SendOutcome> => {
      sent.push(entry.id);
      return { kind: 'transient', reason: 'The switch cannot be reached', linkDown: true };
    };
    const engine = makeEngine({ outbox, send, link, alerts: new AlertRaiser({ db, show: () => undefined }), maxInFlight: 2 });
    await engine.wake();
    await settled(async () => (await countBy('queued')) === 5 && engine.inFlight === 0);
    expect(sent).toHaveLength(2);
    expect(link.failures).toHaveLength(2);
    expect(link.canSend).toBe(false);
  });

  it('pauses all sending after a server error instead of hammering the switch, then resumes', async () => {
    await outbox.enqueue(plate, 'routine');
    let calls = 0;
    const send = async (entry: OutboxEntry): Promise<SendOutcome> =>
      ++calls === 1 ? { kind: 'transient', reason: 'The switch failed (500)', linkDown: false, retryAfterMs: 200 } : { kind: 'answered', answer: answerFor(entry) };
    const engine = makeEngine({ outbox, send, link, alerts: new AlertRaiser({ db, show: () => undefined }) });
    await engine.wake();
    await settled(async () => calls === 1 && (await countBy('queued')) === 1);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(calls).toBe(1);
    await settled(async () => (await countBy('answered')) === 1);
    expect(link.canSend).toBe(true);
  });

  it('retries later, without an unhandled rejection, when storage refuses a claim', async () => {
    await outbox.enqueue(plate, 'routine');
    const failing = { reserve: () => Promise.reject(new Error('Database has been closed')) } as unknown as Outbox;
    let sends = 0;
    const engine = makeEngine({ outbox: failing, send: async () => (sends++, { kind: 'rejected', reason: '' }), link, alerts: new AlertRaiser({ db, show: () => undefined }) });
    await expect(engine.wake()).resolves.toBeUndefined();
    expect(sends).toBe(0);
  });

  it('marks a query the switch refuses as failed and carries on with the rest', async () => {
    const bad = await outbox.enqueue(plate, 'routine');
    await outbox.enqueue(plate, 'routine');
    const send = async (entry: OutboxEntry): Promise<SendOutcome> =>
      entry.id === bad.id ? { kind: 'rejected', reason: 'State (LIS) is required' } : { kind: 'answered', answer: answerFor(entry) };
    const engine = makeEngine({ outbox, send, link, alerts: new AlertRaiser({ db, show: () => undefined }) });
    await engine.wake();
    await settled(async () => (await countBy('failed')) === 1 && (await countBy('answered')) === 1);
  });

  it('sends at once when the link comes back, instead of waiting out a backoff built against the dead link', async () => {
    await outbox.enqueue(plate, 'routine');
    let calls = 0;
    const send = async (entry: OutboxEntry): Promise<SendOutcome> =>
      ++calls === 1 ? { kind: 'transient', reason: 'No answer from the switch within 10 s', linkDown: true } : { kind: 'answered', answer: answerFor(entry) };
    // A minute's backoff: without the lift, the answer could not come within the test's few seconds.
    const engine = makeEngine({ outbox, send, link, alerts: new AlertRaiser({ db, show: () => undefined }), random: () => 0.999, backoff: { baseMs: 60_000, capMs: 60_000 } });
    await engine.wake();
    await settled(async () => calls === 1 && (await countBy('queued')) === 1);
    link.canSend = true;
    engine.linkRestored();
    await settled(async () => (await countBy('answered')) === 1);
  });

  it('keeps a Retry-After the switch asked for, even when the link comes back', async () => {
    await outbox.enqueue(plate, 'routine');
    let calls = 0;
    const send = async (entry: OutboxEntry): Promise<SendOutcome> =>
      ++calls === 1 ? { kind: 'transient', reason: 'The switch is busy (429)', linkDown: false, retryAfterMs: 60_000 } : { kind: 'answered', answer: answerFor(entry) };
    const engine = makeEngine({ outbox, send, link, alerts: new AlertRaiser({ db, show: () => undefined }) });
    await engine.wake();
    await settled(async () => calls === 1 && (await countBy('queued')) === 1);
    engine.linkRestored();
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(calls).toBe(1);
  });
  /** A send that waits, the first time, until the test lets it answer: the engine claims ahead meanwhile. */
  function heldFirstSend() {
    const sent: string[] = [];
    let letGo!: () => void;
    const held = new Promise<void>((resolve) => (letGo = resolve));
    const send = async (entry: OutboxEntry): Promise<SendOutcome> => {
      sent.push(entry.id);
      if (sent.length === 1) await held;
      return { kind: 'answered', answer: answerFor(entry) };
    };
    return { sent, send, letGo: () => letGo() };
  }

  it('sends an urgent query entered after others were claimed ahead before them', async () => {
    for (let i = 0; i < 4; i++) await outbox.enqueue(plate, 'routine');
    const { sent, send, letGo } = heldFirstSend();
    const engine = makeEngine({ outbox, send, link, alerts: new AlertRaiser({ db, show: () => undefined }), maxInFlight: 1 });
    await engine.wake();
    // One in flight and more claimed ahead of the free slot.
    await settled(async () => sent.length === 1 && (await countBy('sending')) > 1);
    const urgent = await outbox.enqueue(plate, 'emergency');
    await outbox.settle();
    // As the terminal reports the change: the rows it touched.
    engine.queueChanged([urgent.id]);
    letGo();
    await settled(async () => (await countBy('answered')) === 5);
    expect(sent[1]).toBe(urgent.id);
    expect(new Set(sent).size).toBe(5);
  });

  it('gives back the queries it claimed ahead, as they were, when the link drops', async () => {
    for (let i = 0; i < 4; i++) await outbox.enqueue(plate, 'routine');
    const sent: string[] = [];
    const send = async (entry: OutboxEntry): Promise<SendOutcome> => (sent.push(entry.id), { kind: 'transient', reason: 'The switch cannot be reached', linkDown: true });
    const engine = makeEngine({ outbox, send, link, alerts: new AlertRaiser({ db, show: () => undefined }), maxInFlight: 1 });
    await engine.wake();
    await settled(async () => (await countBy('queued')) === 4 && engine.inFlight === 0);
    expect(sent).toHaveLength(1);
    const unsent = (await db.outbox.toArray()).filter((entry) => entry.id !== sent[0]);
    expect(unsent.map((entry) => [entry.attempts, entry.lastError, entry.sentAt])).toEqual(unsent.map(() => [0, undefined, undefined]));
  });

  it('never sends what it claimed ahead once stopped, and recovery puts it back in the queue', async () => {
    for (let i = 0; i < 3; i++) await outbox.enqueue(plate, 'routine');
    const { sent, send, letGo } = heldFirstSend();
    const engine = makeEngine({ outbox, send, link, alerts: new AlertRaiser({ db, show: () => undefined }), maxInFlight: 1 });
    await engine.wake();
    await settled(async () => sent.length === 1 && (await countBy('sending')) === 3);
    engine.stop();
    letGo();
    await settled(async () => (await countBy('answered')) === 1 && engine.inFlight === 0);
    await engine.recover();
    expect(await countBy('queued')).toBe(2);
    expect(sent).toHaveLength(1);
    expect((await db.outbox.where('status').equals('queued').toArray()).map((entry) => entry.attempts)).toEqual([0, 0]);
  });
});
