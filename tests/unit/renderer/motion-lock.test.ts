// The motion lock (issue #23): locked above the profile's speed on a current fix, released after 3 s at or below
// it, and never locked by a stale fix, no fix or a lost GPS.
import { describe, expect, it } from 'vitest';
import { FIELD_CONFIG } from '../../../src-shared/field-config.ts';
import type { GpsStatus } from '../../../src-shared/gps.ts';
import { MotionLock, type MotionClock } from '../../../src-renderer/motion/motion-lock.svelte.ts';
import { freshSpeedMph, stepMotionLock, UNLOCKED } from '../../../src-renderer/motion/motion-lock.ts';

const T0 = 1_710_477_000_000;
const MPH = 1609.344 / 3600;
const RELEASE = FIELD_CONFIG.motionLockReleaseMs;
const STALE = FIELD_CONFIG.gpsStaleAfterMs;

/** A fix heard at `receivedAt`, going `mph`. */
function fix(mph: number | null, receivedAt: number): GpsStatus {
  return {
    state: 'fix',
    source: 'gpsd',
    lastFix: { lat: 38.58, lon: -121.49, speedMps: mph === null ? null : mph * MPH, fixTime: receivedAt, receivedAt, source: 'gpsd' },
  };
}

/** A clock the test moves by hand, firing the lock's timers as it passes them. */
function drivenClock(start: number) {
  let now = start;
  let timers: Array<{ at: number; run: () => void; id: number }> = [];
  let nextId = 0;
  const clock: MotionClock = {
    now: () => now,
    setTimeout: (run, ms) => {
      timers.push({ at: now + ms, run, id: ++nextId });
      return nextId;
    },
    clearTimeout: (id) => void (timers = timers.filter((timer) => timer.id !== id)),
  };
  const advance = (ms: number) => {
    const until = now + ms;
    for (;;) {
      const due = timers.filter((timer) => timer.at <= until).sort((a, b) => a.at - b.at)[0];
      if (!due) break;
      timers = timers.filter((timer) => timer !== due);
      now = due.at;
      due.run();
    }
    now = until;
  };
  return { clock, advance, now: () => now, pending: () => timers.length };
}

describe('stepMotionLock', () => {
  const rule = { thresholdMph: 5 };

  it('locks at once on a current fix above the threshold', () => {
    expect(stepMotionLock(UNLOCKED, fix(6, T0), T0, rule).state.locked).toBe(true);
  });

  it('does not lock at the threshold or below', () => {
    expect(stepMotionLock(UNLOCKED, fix(5, T0), T0, rule).state.locked).toBe(false);
    expect(stepMotionLock(UNLOCKED, fix(0, T0), T0, rule).state.locked).toBe(false);
  });

  it('stays locked until the speed has stayed at or below the threshold for 3 s', () => {
    let state = stepMotionLock(UNLOCKED, fix(30, T0), T0, rule).state;
    const slow = stepMotionLock(state, fix(4, T0 + 1_000), T0 + 1_000, rule);
    expect(slow).toEqual({ state: { locked: true, slowSince: T0 + 1_000 }, recheckAt: T0 + 1_000 + RELEASE });
    state = slow.state;
    state = stepMotionLock(state, fix(2, T0 + 2_000), T0 + 2_000, rule).state;
    state = stepMotionLock(state, fix(0, T0 + 3_999), T0 + 3_999, rule).state;
    expect(state.locked).toBe(true);
    expect(stepMotionLock(state, fix(0, T0 + 4_000), T0 + 4_000, rule).state).toEqual(UNLOCKED);
  });

  it('starts the 3 s again when the car speeds up before they pass', () => {
    let state = stepMotionLock(UNLOCKED, fix(30, T0), T0, rule).state;
    state = stepMotionLock(state, fix(3, T0 + 1_000), T0 + 1_000, rule).state;
    state = stepMotionLock(state, fix(8, T0 + 2_000), T0 + 2_000, rule).state;
    state = stepMotionLock(state, fix(3, T0 + 3_000), T0 + 3_000, rule).state;
    expect(stepMotionLock(state, fix(3, T0 + 4_500), T0 + 4_500, rule).state).toEqual({ locked: true, slowSince: T0 + 3_000 });
    expect(stepMotionLock(state, fix(3, T0 + 6_000), T0 + 6_000, rule).state).toEqual(UNLOCKED);
  });

  it('never locks on a stale fix, however fast it was', () => {
    expect(stepMotionLock(UNLOCKED, { ...fix(60, T0), state: 'stale' }, T0 + STALE + 1, rule).state).toEqual(UNLOCKED);
    // Still called a fix, but heard too long ago: a stale push that comes late does not hold the lock.
    expect(stepMotionLock(UNLOCKED, fix(60, T0), T0 + STALE + 1, rule).state).toEqual(UNLOCKED);
  });

  it('releases at once when the fix goes stale or is lost, or the GPS becomes unavailable', () => {
    const locked = stepMotionLock(UNLOCKED, fix(40, T0), T0, rule).state;
    const lastFix = fix(40, T0).lastFix;
    for (const status of [
      { state: 'stale', source: 'gpsd', lastFix },
      { state: 'no-fix', source: 'gpsd', lastFix },
      { state: 'unavailable', source: 'gpsd', lastFix, detail: 'gpsd refused the connection' },
      { state: 'off', source: 'geolocation' },
      undefined,
    ] as const) {
      expect(stepMotionLock(locked, status, T0 + 1_000, rule).state, status?.state ?? 'no status').toEqual(UNLOCKED);
    }
  });

  it('never locks on a fix that gives no speed', () => {
    expect(stepMotionLock(UNLOCKED, fix(null, T0), T0, rule).state).toEqual(UNLOCKED);
  });

  it('never locks when the profile sets no threshold', () => {
    expect(stepMotionLock(UNLOCKED, fix(80, T0), T0, { thresholdMph: undefined })).toEqual({ state: UNLOCKED });
  });

  it('looks again when a fast fix would turn stale', () => {
    expect(stepMotionLock(UNLOCKED, fix(40, T0), T0 + 200, rule).recheckAt).toBe(T0 + STALE + 1);
  });
});

describe('freshSpeedMph', () => {
  it('gives the speed of a fix heard within 10 s, and nothing after', () => {
    expect(freshSpeedMph(fix(35, T0), T0 + STALE)).toBeCloseTo(35, 6);
    expect(freshSpeedMph(fix(35, T0), T0 + STALE + 1)).toBeUndefined();
  });
});

describe('MotionLock', () => {
  it('releases by its own clock 3 s after the car slowed, with no new GPS report', () => {
    const driven = drivenClock(T0);
    const lock = new MotionLock({ thresholdMph: 5 }, driven.clock);
    lock.update(fix(20, T0));
    expect(lock.locked).toBe(true);
    driven.advance(500);
    lock.update(fix(1, driven.now()));
    driven.advance(RELEASE - 1);
    expect(lock.locked).toBe(true);
    driven.advance(1);
    expect(lock.locked).toBe(false);
  });

  it('releases when a fast fix is not renewed for 10 s, even if no stale status comes', () => {
    const driven = drivenClock(T0);
    const lock = new MotionLock({ thresholdMph: 5 }, driven.clock);
    lock.update(fix(20, T0));
    driven.advance(STALE);
    expect(lock.locked).toBe(true);
    driven.advance(1);
    expect(lock.locked).toBe(false);
  });

  it('follows a drive: locks above the speed, holds through a short slow-down, releases at the stop', () => {
    const driven = drivenClock(T0);
    const lock = new MotionLock({ thresholdMph: 5 }, driven.clock);
    const seen: boolean[] = [];
    // One report a second, as a receiver sends: standing, driving, a rolling stop of 2 s, driving, a stop.
    for (const mph of [0, 0, 12, 30, 35, 4, 3, 20, 25, 3, 0, 0, 0, 0]) {
      lock.update(fix(mph, driven.now()));
      seen.push(lock.locked);
      driven.advance(1_000);
    }
    expect(seen).toEqual([false, false, true, true, true, true, true, true, true, true, true, true, false, false]);
  });

  it('leaves no timer behind once disposed', () => {
    const driven = drivenClock(T0);
    const lock = new MotionLock({ thresholdMph: 5 }, driven.clock);
    lock.update(fix(20, T0));
    lock.dispose();
    expect(driven.pending()).toBe(0);
  });
});
