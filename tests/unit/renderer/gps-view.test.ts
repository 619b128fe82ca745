// The page's GPS state: what the host pushes, checked against the schema, and the speed only from a current fix.
import { describe, expect, it } from 'vitest';
import type { GpsStatus } from '../../../src-shared/gps.ts';
import { ok } from '../../../src-shared/result.ts';
import { GpsView } from '../../../src-renderer/gps/gps-view.svelte.ts';
import type { Platform } from '../../../src-renderer/platform/platform.ts';
import { webPlatform } from '../../../src-renderer/platform/web-platform.ts';

const FIX = { lat: 38.58, lon: -121.49, speedMps: 15.6464, fixTime: 1_710_477_010_000, receivedAt: 1_710_477_010_300, source: 'gpsd' as const };

function hostWith(now: GpsStatus) {
  const listeners = new Set<(status: GpsStatus) => void>();
  const platform: Platform = {
    ...webPlatform,
    getGpsStatus: async () => ok(now),
    onGpsStatus: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
  return { platform, push: (status: unknown) => listeners.forEach((listener) => listener(status as GpsStatus)), listeners };
}

describe('GpsView', () => {
  it('takes the state now, then every push, and gives the speed in mph on a current fix', async () => {
    const host = hostWith({ state: 'no-fix', source: 'gpsd' });
    const view = new GpsView(host.platform);
    view.start();
    await Promise.resolve();
    expect(view.status).toEqual({ state: 'no-fix', source: 'gpsd' });
    host.push({ state: 'fix', source: 'gpsd', lastFix: FIX });
    expect(view.speedMph).toBeCloseTo(35, 2);
  });

  it('gives no speed from a stale fix', () => {
    const host = hostWith({ state: 'no-fix', source: 'gpsd' });
    const view = new GpsView(host.platform);
    view.start();
    host.push({ state: 'stale', source: 'gpsd', lastFix: FIX });
    expect(view.status?.state).toBe('stale');
    expect(view.speedMph).toBeUndefined();
  });

  it('drops a push that does not fit the contract, keeping what it had', () => {
    const host = hostWith({ state: 'no-fix', source: 'gpsd' });
    const view = new GpsView(host.platform);
    view.start();
    host.push({ state: 'fix', source: 'gpsd', lastFix: FIX });
    host.push({ state: 'fix', source: 'gpsd', lastFix: { ...FIX, speedMps: 5_144 } });
    host.push({ state: 'teleported' });
    expect(view.status?.lastFix?.speedMps).toBe(FIX.speedMps);
  });

  it('keeps a push that came before the answer to its first question', async () => {
    const host = hostWith({ state: 'no-fix', source: 'gpsd' });
    const view = new GpsView(host.platform);
    view.start();
    host.push({ state: 'fix', source: 'gpsd', lastFix: FIX });
    await Promise.resolve();
    await Promise.resolve();
    expect(view.status?.state).toBe('fix');
  });

  it('stops listening when its effect ends', () => {
    const host = hostWith({ state: 'no-fix', source: 'gpsd' });
    const stop = new GpsView(host.platform).start();
    stop();
    expect(host.listeners.size).toBe(0);
  });

  it('starts with the status unknown when the host gives no position, rather than stopping the terminal', async () => {
    const broken: Platform = {
      ...webPlatform,
      onGpsStatus: () => {
        throw new TypeError('window.outrider.onGpsStatus is not a function');
      },
    };
    const view = new GpsView(broken);
    const stop = view.start();
    expect(typeof stop).toBe('function');
    stop();
    const failing: Platform = { ...webPlatform, getGpsStatus: () => Promise.reject(new Error('no answer')), onGpsStatus: () => () => undefined };
    const quiet = new GpsView(failing);
    quiet.start();
    await Promise.resolve();
    expect(view.status).toBeUndefined();
    expect(quiet.status).toBeUndefined();
  });
});
