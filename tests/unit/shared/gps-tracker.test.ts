// The GPS state the status bar shows: fix, stale after 10 s without a newer one, no fix, unavailable, off.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { type Fix, type GpsStatus, knotsToMps, mpsToMph } from '../../../src-shared/gps.ts';
import { GpsTracker } from '../../../src-shared/gps-tracker.ts';

const fix = (receivedAt: number): Fix => ({ lat: 38.58, lon: -121.49, speedMps: 15.64, fixTime: receivedAt - 300, receivedAt, source: 'gpsd' });

describe('GpsTracker', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  const track = () => {
    const tracker = new GpsTracker('gpsd');
    const seen: GpsStatus['state'][] = [];
    tracker.subscribe((status) => seen.push(status.state));
    return { tracker, seen };
  };

  it('starts with no fix, until the source reports one', () => {
    expect(new GpsTracker('nmea-udp').status).toEqual({ state: 'no-fix', source: 'nmea-udp' });
  });

  it('is off, and stays off, when the profile chose no source', () => {
    const tracker = new GpsTracker('none');
    tracker.report({ kind: 'fix', fix: fix(0) });
    expect(tracker.status).toMatchObject({ state: 'off', source: 'none' });
  });

  it('marks a fix stale once 10 s pass without a newer one, keeping the last position', () => {
    const { tracker, seen } = track();
    tracker.report({ kind: 'fix', fix: fix(Date.now()) });
    vi.advanceTimersByTime(9_999);
    expect(tracker.status.state).toBe('fix');
    vi.advanceTimersByTime(1);
    expect(tracker.status).toMatchObject({ state: 'stale', lastFix: { lat: 38.58 } });
    expect(seen).toEqual(['fix', 'stale']);
  });

  it('stays fresh while fixes keep coming', () => {
    const { tracker } = track();
    for (let second = 0; second < 30; second++) {
      tracker.report({ kind: 'fix', fix: fix(Date.now()) });
      vi.advanceTimersByTime(1_000);
    }
    expect(tracker.status.state).toBe('fix');
  });

  it('goes from fix to no fix in a tunnel, and says so once, not every second', () => {
    const { tracker, seen } = track();
    tracker.report({ kind: 'fix', fix: fix(Date.now()) });
    for (let second = 0; second < 6; second++) tracker.report({ kind: 'no-fix' });
    vi.advanceTimersByTime(20_000);
    expect(seen).toEqual(['fix', 'no-fix']);
    expect(tracker.status.lastFix).toBeDefined();
  });

  it('says why the source is unavailable, and that it is back', () => {
    const { tracker, seen } = track();
    tracker.report({ kind: 'unavailable', reason: 'gpsd at 127.0.0.1:2947 cannot be reached (ECONNREFUSED)' });
    tracker.report({ kind: 'unavailable', reason: 'gpsd at 127.0.0.1:2947 cannot be reached (ECONNREFUSED)' });
    expect(tracker.status).toMatchObject({ state: 'unavailable', detail: expect.stringContaining('ECONNREFUSED') });
    tracker.report({ kind: 'no-fix' });
    expect(seen).toEqual(['unavailable', 'no-fix']);
  });

  it('tells no one after dispose', () => {
    const { tracker, seen } = track();
    tracker.report({ kind: 'fix', fix: fix(Date.now()) });
    tracker.dispose();
    vi.advanceTimersByTime(20_000);
    expect(seen).toEqual(['fix']);
  });
});

describe('speed units', () => {
  it('converts knots and metres per second as NMEA and the status bar need', () => {
    expect(knotsToMps(1)).toBeCloseTo(0.514444, 6);
    expect(mpsToMph(knotsToMps(30.4))).toBeCloseTo(34.98, 2);
  });
});
