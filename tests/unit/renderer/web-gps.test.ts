// The browser build's GPS: geolocation only once the browser permits it, never a prompt, each fix checked as any other.
import { describe, expect, it } from 'vitest';
import type { GpsStatus } from '../../../src-shared/gps.ts';
import { WebGps } from '../../../src-renderer/platform/web-gps.ts';

/** A browser whose location permission and positions the test controls. */
function fakeBrowser(state: PermissionState) {
  const permission = Object.assign(new EventTarget(), { state, name: 'geolocation', onchange: null }) as unknown as PermissionStatus & { state: PermissionState };
  let success: PositionCallback | undefined;
  let failure: PositionErrorCallback | undefined;
  const watching = { count: 0, cleared: 0 };
  const geolocation = {
    watchPosition: (onSuccess: PositionCallback, onError?: PositionErrorCallback | null) => {
      success = onSuccess;
      failure = onError ?? undefined;
      watching.count++;
      return 7;
    },
    clearWatch: () => void watching.cleared++,
    getCurrentPosition: () => {
      throw new Error('a watcher never asks once');
    },
  } as unknown as Geolocation;
  const permissions = { query: async () => permission } as unknown as Permissions;
  return {
    browser: { geolocation, permissions },
    watching,
    change(to: PermissionState) {
      (permission as { state: PermissionState }).state = to;
      permission.dispatchEvent(new Event('change'));
    },
    position(latitude: number, longitude: number, speed: number | null) {
      success!({ coords: { latitude, longitude, speed, accuracy: 5, altitude: null, altitudeAccuracy: null, heading: null }, timestamp: Date.now() } as unknown as GeolocationPosition);
    },
    fail(code: number) {
      failure!({ code, PERMISSION_DENIED: 1, POSITION_UNAVAILABLE: 2, TIMEOUT: 3, message: '' } as GeolocationPositionError);
    },
  };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('WebGps', () => {
  it('is off, and never watches, while location is not yet permitted', async () => {
    const fake = fakeBrowser('prompt');
    const gps = new WebGps(fake.browser);
    expect(gps.status).toMatchObject({ state: 'off', source: 'geolocation', detail: expect.stringContaining('not permitted') });
    await settle();
    expect(fake.watching.count).toBe(0);
  });

  it('says so when the browser has no location at all', () => {
    expect(new WebGps({}).status).toMatchObject({ state: 'off', detail: expect.stringContaining('no location') });
  });

  it('watches once permitted, and shows each fix with its speed', async () => {
    const fake = fakeBrowser('granted');
    const gps = new WebGps(fake.browser);
    const seen: GpsStatus[] = [];
    gps.subscribe((status) => seen.push(status));
    await settle();
    fake.position(38.58, -121.49, 15.64);
    fake.position(38.58, -121.49, Number.NaN);
    expect(seen.map((status) => [status.state, status.lastFix?.speedMps])).toEqual([
      ['no-fix', undefined],
      ['fix', 15.64],
      ['fix', null],
    ]);
  });

  it('drops a fix no car could make', async () => {
    const fake = fakeBrowser('granted');
    const gps = new WebGps(fake.browser);
    gps.subscribe(() => undefined);
    await settle();
    fake.position(38.58, -121.49, 5_144);
    expect(gps.status).toMatchObject({ state: 'no-fix' });
  });

  it('follows the permission: starts when granted later, stops when revoked', async () => {
    const fake = fakeBrowser('denied');
    const gps = new WebGps(fake.browser);
    gps.subscribe(() => undefined);
    await settle();
    fake.change('granted');
    fake.position(38.58, -121.49, 0);
    expect(gps.status.state).toBe('fix');
    fake.change('denied');
    expect(gps.status.state).toBe('off');
    expect(fake.watching).toEqual({ count: 1, cleared: 1 });
  });

  it('reads a lost position as no fix', async () => {
    const fake = fakeBrowser('granted');
    const gps = new WebGps(fake.browser);
    gps.subscribe(() => undefined);
    await settle();
    fake.position(38.58, -121.49, 0);
    fake.fail(2);
    expect(gps.status).toMatchObject({ state: 'no-fix', lastFix: { lat: 38.58 } });
  });
});
