// The session's clocks: the screen locks after the idle limit, activity here or in another window holds it
// off, and the 12-hour sign-in asks for re-authentication when it ends.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FIELD_CONFIG } from '../../../src-shared/field-config.ts';
import { IdleLock } from '../../../src-renderer/session/idle-lock.ts';

const LOCK_AFTER = 30 * 60_000;
let events: string[];
let shared: number[];
let lock: IdleLock;
beforeEach(() => {
  vi.useFakeTimers({ now: new Date('2026-11-23T14:00:00Z') });
  events = [];
  shared = [];
  lock = new IdleLock({ lockAfterMs: LOCK_AFTER, now: () => Date.now(), onIdle: () => events.push('idle'), onReauthDue: () => events.push('reauth'), onActivity: (at) => shared.push(at) });
});
afterEach(() => {
  lock.stop();
  vi.useRealTimers();
});

describe('the idle lock', () => {
  it('locks after the idle limit with no activity, and not a moment before', () => {
    lock.start(undefined);
    vi.advanceTimersByTime(LOCK_AFTER - 1);
    expect(events).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(events).toEqual(['idle']);
  });

  it('counts from the last key, pointer or touch on the page it watches', () => {
    const page = new EventTarget();
    const unwatch = lock.watch(page);
    lock.start(undefined);
    vi.advanceTimersByTime(LOCK_AFTER - 60_000);
    page.dispatchEvent(new Event('keydown'));
    vi.advanceTimersByTime(60_000);
    expect(events).toEqual([]);
    vi.advanceTimersByTime(LOCK_AFTER - 60_000);
    expect(events).toEqual(['idle']);
    unwatch();
  });

  it('is held off by activity another window heard, and tells other windows of its own at most so often', () => {
    lock.start(undefined);
    vi.advanceTimersByTime(LOCK_AFTER - 1_000);
    lock.heard(Date.now());
    vi.advanceTimersByTime(1_000);
    expect(events).toEqual([]);
    lock.activity();
    lock.activity();
    vi.advanceTimersByTime(FIELD_CONFIG.activityShareMs);
    lock.activity();
    expect(shared).toHaveLength(2);
  });

  it('does not count idleness while the screen is locked', () => {
    lock.start(undefined);
    lock.pause();
    vi.advanceTimersByTime(LOCK_AFTER * 2);
    expect(events).toEqual([]);
  });

  it('asks for re-authentication when the 12-hour sign-in ends, though the screen is locked meanwhile', () => {
    const expiresAt = Date.now() + FIELD_CONFIG.sessionHours * 3_600_000;
    lock.start(expiresAt);
    lock.pause();
    vi.advanceTimersByTime(FIELD_CONFIG.sessionHours * 3_600_000 - 1);
    expect(events).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(events).toEqual(['reauth']);
  });

  it('stops both clocks when the shift ends', () => {
    lock.start(Date.now() + 60_000);
    lock.stop();
    vi.advanceTimersByTime(LOCK_AFTER * 2);
    expect(events).toEqual([]);
  });
});
