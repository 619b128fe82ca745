// A drill across a process restart, on a clock the test drives: the first session keeps the drill in the store and
// ends its process at the restart step; the next picks it up where it was, on the drill's own schedule.
import { describe, expect, it } from 'vitest';
import { type LinkConditions, NORMAL_CONDITIONS } from '../../../src-shared/conditions.ts';
import { Drill } from '../../../src-shared/drill.ts';
import type { DrillTarget } from '../../../src-switch/drill/drill-player.ts';
import { DrillKeeper } from '../../../src-switch/drill/drill-keeper.ts';
import { DrillSession, type ProcessRestart } from '../../../src-switch/drill/drill-session.ts';
import { QueryLedger } from '../../../src-switch/drill/query-ledger.ts';
import { summarizeReport } from '../../../src-switch/drill/report-file.ts';
import { MemoryStore } from '../../../src-switch/store/memory-store.ts';
import type { SwitchStore } from '../../../src-switch/store/store.ts';
import { FakeClock } from '../../support/fake-drill-clock.ts';

const DRILL = Drill.parse({
  name: 'Restart under test',
  description: 'One restart between two changes of the link',
  durationSeconds: 30,
  steps: [
    { at: 0, set: { latencyMs: 400 } },
    { at: 10, restart: { downSeconds: 5 } },
    { at: 20, set: { lossPercent: 30 } },
  ],
});

/** One switch process's share of the drill: its own link, ledger and session, on the store and clock they share. */
function processOn(store: SwitchStore, clock: FakeClock) {
  const target: DrillTarget & { current: LinkConditions } = {
    current: NORMAL_CONDITIONS,
    async set(next) {
      target.current = next;
    },
  };
  const ledger = new QueryLedger(() => clock.now());
  const restarts: string[] = [];
  // The real one never returns: the process is gone.
  const restart: ProcessRestart = { restart: (id) => (restarts.push(id), new Promise<never>(() => {})) };
  const session = new DrillSession(target, ledger, { clock, processRestart: { restart, keeper: new DrillKeeper(store), reason: 'SQLite store' } });
  /** A query that got through and was answered at once. */
  const answered = (key: string) => {
    ledger.received(key);
    ledger.admitted(key, 'new');
    ledger.delivered(key);
  };
  return { target, ledger, session, restarts, answered };
}

/** Lets the session's work at this moment (keeping the drill in the store) finish. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 10));

describe('a drill across a process restart', () => {
  it('keeps the drill in the store once the restart step has closed the listener, then ends the process', async () => {
    const [store, clock] = [new MemoryStore(), new FakeClock()];
    const first = processOn(store, clock);
    await first.session.start(DRILL, 'restart.json');
    first.answered('before-1');
    await clock.advanceTo(10);
    await settle();

    expect(first.target.current).toMatchObject({ latencyMs: 400, outage: true });
    expect(first.restarts).toHaveLength(1);
    expect(first.session.status()).toMatchObject({ restarting: true, restartMode: { kind: 'process', reason: 'SQLite store' }, process: { pid: process.pid } });
    expect((await store.list('drill')).length).toBe(1);
  });

  it('resumes where the drill was: down until at + downSeconds, later steps on schedule, one report for both processes', async () => {
    const [store, clock] = [new MemoryStore(), new FakeClock()];
    const first = processOn(store, clock);
    await first.session.start(DRILL, 'restart.json');
    first.answered('before-1');
    first.answered('before-2');
    await clock.advanceTo(10);
    await settle();

    const next = processOn(store, clock);
    await clock.advanceTo(12);
    const resumed = await next.session.resume(first.restarts[0]!);
    expect(resumed).toMatchObject({ ok: true, value: { backAtSeconds: 15, restart: { atSeconds: 10, kind: 'process' } } });
    // The link as the drill had it, and the switch down until the restart's 5 seconds are over.
    expect(next.target.current).toMatchObject({ latencyMs: 400, outage: false });
    expect(next.session.status()).toMatchObject({ state: 'running', restarting: true, source: 'restart.json', nextStep: { index: 2, at: 20 } });
    let backUp = false;
    void next.session.untilBackUp().then(() => (backUp = true));
    await clock.advanceTo(14.9);
    expect(backUp).toBe(false);
    await clock.advanceTo(15);
    expect(backUp).toBe(true);
    expect(next.session.status().restarting).toBe(false);

    next.answered('after-1');
    // A resend of a key the first process ran: the store's idempotency record answers it.
    next.ledger.received('before-1');
    next.ledger.admitted('before-1', 'replay');
    await clock.advanceTo(20);
    expect(next.target.current).toMatchObject({ latencyMs: 400, lossPercent: 30 });
    await clock.advanceTo(30);
    await settle();

    const report = next.session.report();
    expect(report).toMatchObject({
      drill: 'Restart under test',
      state: 'ended',
      startedAt: new Date(0).toISOString(),
      queries: { received: 4, distinctKeys: 3, executed: 3, duplicatesRefused: 1 },
      answers: { delivered: 3 },
      restarts: [{ step: 1, cycle: 1, atSeconds: 10, kind: 'process', at: new Date(10_000).toISOString(), backAt: new Date(15_000).toISOString() }],
    });
    expect(summarizeReport(report)).toContain(`Switch process restarted at 0:10 (killed, pid ${process.pid}), back at 0:15 (pid ${process.pid}).`);
    expect(next.target.current).toEqual(NORMAL_CONDITIONS);
  });

  it('picks a kept drill up once, and only for the restart that kept it', async () => {
    const [store, clock] = [new MemoryStore(), new FakeClock()];
    const first = processOn(store, clock);
    await first.session.start(DRILL, 'restart.json');
    await clock.advanceTo(10);
    await settle();

    const stale = processOn(store, clock);
    expect(await stale.session.resume(crypto.randomUUID())).toEqual({ ok: false, error: 'the interrupted drill in the store is from another restart' });
    expect(await processOn(store, clock).session.resume(first.restarts[0]!)).toEqual({ ok: false, error: 'the store holds no interrupted drill' });
    expect(stale.session.status().state).toBe('idle');
  });

  it('restarts the listener instead when the drill cannot be kept, and says why', async () => {
    const [store, clock] = [new MemoryStore(), new FakeClock()];
    store.update = async () => {
      throw new Error('database is locked');
    };
    const first = processOn(store, clock);
    await first.session.start(DRILL, 'restart.json');
    await clock.advanceTo(10);
    await settle();
    expect(first.restarts).toEqual([]);
    expect(first.session.status().lastError).toMatch(/only the listener restarts: database is locked/);

    await clock.advanceTo(15);
    expect(first.target.current.outage).toBe(false);
    expect(first.session.report().restarts).toMatchObject([{ kind: 'listener', pidBefore: process.pid, pidAfter: process.pid }]);
  });
});
