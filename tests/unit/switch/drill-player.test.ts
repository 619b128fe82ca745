// The drill player applies each step at its moment on a clock the test drives, then ends, loops or stops.
import { describe, expect, it } from 'vitest';
import { type LinkConditions, NORMAL_CONDITIONS } from '../../../src-shared/conditions.ts';
import { Drill } from '../../../src-shared/drill.ts';
import { DrillPlayer, type DrillTarget } from '../../../src-switch/drill/drill-player.ts';
import { timelineOf } from '../../../src-switch/drill/timeline.ts';
import { FakeClock } from '../../support/fake-drill-clock.ts';

/** Stands in for the switch's ConditionPlayer, remembering when each change arrived. */
class RecordingTarget implements DrillTarget {
  current: LinkConditions = NORMAL_CONDITIONS;
  readonly changes: Array<{ atSeconds: number; conditions: LinkConditions }> = [];
  failNext = false;

  constructor(private readonly clock: FakeClock) {}

  async set(next: LinkConditions): Promise<void> {
    if (this.failNext) {
      this.failNext = false;
      throw new Error('listen EADDRINUSE 127.0.0.1:8787');
    }
    this.current = next;
    this.changes.push({ atSeconds: this.clock.now() / 1000, conditions: next });
  }
}

function setUp(input: object) {
  const clock = new FakeClock();
  const target = new RecordingTarget(clock);
  const player = new DrillPlayer(Drill.parse({ name: 'Test', description: 'Under test', ...input }), target, clock);
  /** Moves the clock and waits for the steps that fell due to reach the target. */
  const at = async (seconds: number) => {
    await clock.advanceTo(seconds);
    await player.settled();
    return target.current;
  };
  return { clock, target, player, at };
}

describe('the drill player', () => {
  it('applies each step at its moment, changing only what the step names', async () => {
    const { player, at } = setUp({
      durationSeconds: 60,
      steps: [
        { at: 0, set: { latencyMs: 500 } },
        { at: 10, set: { lossPercent: 30 } },
        { at: 20, set: { latencyMs: 0, lossPercent: 0 } },
      ],
    });
    player.start();
    expect(await at(0)).toMatchObject({ latencyMs: 500, lossPercent: 0 });
    expect(await at(9.999)).toMatchObject({ latencyMs: 500, lossPercent: 0 });
    expect(await at(10)).toMatchObject({ latencyMs: 500, lossPercent: 30 });
    expect(await at(19.999)).toMatchObject({ latencyMs: 500, lossPercent: 30 });
    expect(await at(20)).toEqual(NORMAL_CONDITIONS);
    expect(player.status()).toMatchObject({ state: 'running', elapsedSeconds: 20, nextStep: null });
  });

  it('starts from a normal link, whatever the instructor had set before', async () => {
    const { target, player, at } = setUp({ durationSeconds: 30, steps: [{ at: 10, set: { jitterMs: 100 } }] });
    target.current = { ...NORMAL_CONDITIONS, outage: true };
    player.start();
    expect(await at(0)).toEqual(NORMAL_CONDITIONS);
  });

  it('restarts the switch: down at the step, back up after downSeconds with the other conditions kept', async () => {
    const { player, at } = setUp({ durationSeconds: 60, steps: [{ at: 0, set: { latencyMs: 300 } }, { at: 10, restart: { downSeconds: 20 } }] });
    player.start();
    await at(0);
    expect(await at(10)).toMatchObject({ outage: true, latencyMs: 300 });
    expect(player.status()).toMatchObject({ restarting: true });
    expect(await at(29.9)).toMatchObject({ outage: true });
    expect(await at(30)).toMatchObject({ outage: false, latencyMs: 300 });
    expect(player.status()).toMatchObject({ restarting: false });
  });

  it('never applies a step early, though its timer wakes a few milliseconds before its moment', async () => {
    const { clock, player, at } = setUp({ durationSeconds: 60, steps: [{ at: 10, restart: { downSeconds: 1.5 } }] });
    const setTimer = clock.setTimer.bind(clock);
    // Early by 4 ms on any wait longer than that, as a timer on a busy machine's clock can be.
    clock.setTimer = (run, ms) => setTimer(run, ms > 4 ? ms - 4 : ms);
    player.start();
    expect(await at(9.996)).toMatchObject({ outage: false });
    expect(await at(10)).toMatchObject({ outage: true });
    expect(await at(11.499)).toMatchObject({ outage: true });
    expect(await at(11.5)).toMatchObject({ outage: false });
  });

  it('brings the switch back up before a step due the same second', () => {
    const timeline = timelineOf(
      Drill.parse({ name: 'T', description: 'T', durationSeconds: 60, steps: [{ at: 10, restart: { downSeconds: 5 } }, { at: 15, set: { lossPercent: 5 } }] }),
    );
    expect(timeline.map((action) => `${action.atMs} ${action.kind}`)).toEqual(['10000 down', '15000 up', '15000 set', '60000 end']);
  });

  it('ends at durationSeconds with the link back to normal', async () => {
    const { player, at } = setUp({ durationSeconds: 30, steps: [{ at: 0, set: { blackHole: true } }] });
    player.start();
    expect(await at(29)).toMatchObject({ blackHole: true });
    expect(await at(30)).toEqual(NORMAL_CONDITIONS);
    expect(await player.finished).toBe('ended');
    expect(player.status()).toMatchObject({ state: 'ended' });
  });

  it('loops: each cycle starts again from a normal link at the drill length', async () => {
    const { target, player, at } = setUp({ durationSeconds: 30, loop: true, steps: [{ at: 10, set: { outage: true } }, { at: 20, set: { outage: false, lossPercent: 10 } }] });
    player.start();
    await at(65);
    const outages = target.changes.filter((change) => change.conditions.outage).map((change) => change.atSeconds);
    expect(outages).toEqual([10, 40]);
    expect(target.current).toEqual(NORMAL_CONDITIONS);
    expect(player.status()).toMatchObject({ state: 'running', cycle: 3, elapsedSeconds: 5 });
  });

  it('stops where it is: the link returns to normal and no later step fires', async () => {
    const { target, player, at } = setUp({ durationSeconds: 60, steps: [{ at: 5, restart: { downSeconds: 10 } }, { at: 30, set: { lossPercent: 50 } }] });
    player.start();
    expect(await at(6)).toMatchObject({ outage: true });
    await player.stop();
    expect(target.current).toEqual(NORMAL_CONDITIONS);
    expect(await player.finished).toBe('stopped');
    expect(await at(60)).toEqual(NORMAL_CONDITIONS);
    expect(target.changes.some((change) => change.conditions.lossPercent === 50)).toBe(false);
  });

  it('keeps to the timeline after a step fails, and says which failure', async () => {
    const { target, player, at } = setUp({ durationSeconds: 60, steps: [{ at: 5, set: { outage: true } }, { at: 10, set: { outage: false } }] });
    player.start();
    await at(0);
    target.failNext = true;
    await at(5);
    expect(player.status().lastError).toBe('listen EADDRINUSE 127.0.0.1:8787');
    await at(10);
    expect(target.changes.at(-1)).toMatchObject({ atSeconds: 10 });
  });
});
