// A car's GPS receiver the end-to-end tests drive, in place of the page's geolocation: the page still asks the
// browser's permission as it always does, and reads positions through its own watchPosition.
import type { Page } from '@playwright/test';

declare global {
  interface Window {
    /** Reports this speed (m/s) once a second, as a receiver does; null stops the reports (the GPS goes quiet). */
    __drive?: (speedMps: number | null) => void;
    /** Tells the page's watchers the receiver has no fix (a tunnel). */
    __noFix?: () => void;
    __gpsWatchers?: () => number;
  }
}

/** Where the receiver says the car is unless a test says otherwise: Sacramento. */
export const SACRAMENTO = { latitude: 38.58, longitude: -121.49 } as const;

/** Replaces the page's geolocation with a receiver at `where`; `window.__drive` starts its reports. Call before goto. */
export async function fakeReceiver(page: Page, where: { latitude: number; longitude: number } = SACRAMENTO): Promise<void> {
  await page.addInitScript(({ latitude, longitude }) => {
    const watchers = new Map<number, { success: PositionCallback; error?: PositionErrorCallback | null }>();
    let nextId = 0;
    let reporting: ReturnType<typeof setInterval> | undefined;
    const report = (speed: number) => {
      const coords = { latitude, longitude, speed, accuracy: 5, altitude: null, altitudeAccuracy: null, heading: null };
      const position = { coords: { ...coords, toJSON: () => coords }, timestamp: Date.now(), toJSON: () => ({ coords, timestamp: Date.now() }) };
      for (const watcher of watchers.values()) watcher.success(position as GeolocationPosition);
    };
    navigator.geolocation.watchPosition = (success, error) => {
      watchers.set(++nextId, { success, error });
      return nextId;
    };
    navigator.geolocation.clearWatch = (id) => void watchers.delete(id);
    window.__gpsWatchers = () => watchers.size;
    window.__drive = (speed) => {
      clearInterval(reporting);
      if (speed === null) return;
      report(speed);
      reporting = setInterval(() => report(speed), 1_000);
    };
    window.__noFix = () => {
      clearInterval(reporting);
      const error = { code: 2, message: 'no fix', PERMISSION_DENIED: 1, POSITION_UNAVAILABLE: 2, TIMEOUT: 3 };
      for (const watcher of watchers.values()) watcher.error?.(error as GeolocationPositionError);
    };
  }, where);
}

/** Reports `speedMps` once a second from now on; null makes the receiver go quiet. */
export const driveAt = (page: Page, speedMps: number | null) => page.evaluate((speed) => window.__drive!(speed), speedMps);
