// Starts the GPS source the agency profile names and keeps one tracker of its state for the window to show.
import type { GpsSettings, GpsSource } from '../../src-shared/gps.ts';
import { GpsTracker } from '../../src-shared/gps-tracker.ts';
import { startGpsdSource } from './gpsd-source.ts';
import { startNmeaUdpSource } from './nmea-udp-source.ts';
import { GPS_RETRY, retryDelay, type RetryPolicy } from './retry.ts';

export interface GpsService {
  readonly tracker: GpsTracker;
  /** The running source, once there is one (the NMEA port may still be held by another program). */
  source(): GpsSource | undefined;
  close(): Promise<void>;
}

/** No settings (drill mode, or a profile without `gps`) means no source: the tracker says `off`. */
export function startGps(settings: GpsSettings | undefined, retry: RetryPolicy = GPS_RETRY): GpsService {
  const chosen = settings ?? { source: 'none' };
  const tracker = new GpsTracker(chosen.source);
  let source: GpsSource | undefined;
  let closed = false;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;
  const use = (started: GpsSource) => {
    source = started;
    started.onReport((report) => tracker.report(report));
  };
  if (chosen.source === 'gpsd') use(startGpsdSource({ host: chosen.host, port: chosen.port, retry }));
  if (chosen.source === 'nmea-udp') {
    // The port may be held by another program for now: say so, and try again until it is free.
    const listen = (failures: number): void => {
      startNmeaUdpSource({ port: chosen.port, bind: chosen.bind, ...(chosen.from ? { from: chosen.from } : {}) }).then(
        (started) => {
          if (closed) return void started.close();
          use(started);
          // Listening now, with nothing heard yet: no longer unavailable, not yet a fix.
          tracker.report({ kind: 'no-fix' });
        },
        (error: NodeJS.ErrnoException) => {
          if (closed) return;
          tracker.report({ kind: 'unavailable', reason: `UDP port ${chosen.port} on ${chosen.bind} cannot be had for NMEA (${error.code ?? error.message})` });
          retryTimer = setTimeout(() => listen(failures + 1), retryDelay(failures + 1, retry));
        },
      );
    };
    listen(0);
  }
  return {
    tracker,
    source: () => source,
    close: async () => {
      closed = true;
      clearTimeout(retryTimer);
      tracker.dispose();
      await source?.close();
    },
  };
}
