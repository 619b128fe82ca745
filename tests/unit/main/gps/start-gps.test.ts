// The profile's GPS choice started for real: no source means off; an NMEA port held by another program is waited for.
import { createSocket } from 'node:dgram';
import { describe, expect, it } from 'vitest';
import { nmeaSentence } from '../../../../src-shared/nmea.ts';
import { startGps } from '../../../../src-main/gps/start-gps.ts';
import type { GpsStatus } from '../../../../src-shared/gps.ts';
import { freePort } from '../../../support/free-port.ts';

const FAST = { baseMs: 20, capMs: 100 };

function statusMatching(service: ReturnType<typeof startGps>, matches: (status: GpsStatus) => boolean, ms = 10_000): Promise<GpsStatus> {
  return new Promise((resolve, reject) => {
    if (matches(service.tracker.status)) return resolve(service.tracker.status);
    const timer = setTimeout(() => reject(new Error(`GPS state still ${JSON.stringify(service.tracker.status)} after ${ms} ms`)), ms);
    const unsubscribe = service.tracker.subscribe((status) => {
      if (!matches(status)) return;
      clearTimeout(timer);
      unsubscribe();
      resolve(status);
    });
  });
}

describe('startGps', () => {
  it('is off with no settings (drill mode) and with source none', async () => {
    for (const settings of [undefined, { source: 'none' as const }]) {
      const service = startGps(settings);
      expect(service.tracker.status).toMatchObject({ state: 'off', source: 'none' });
      await service.close();
    }
  });

  it('says the NMEA port is held, then listens once the other program lets it go', async () => {
    const holder = createSocket('udp4');
    await new Promise<void>((resolve) => holder.bind(0, '127.0.0.1', resolve));
    const { port } = holder.address();
    const service = startGps({ source: 'nmea-udp', port, bind: '127.0.0.1' }, FAST);
    try {
      expect(await statusMatching(service, (status) => status.state === 'unavailable')).toMatchObject({ detail: expect.stringContaining('EADDRINUSE') });
      await new Promise<void>((resolve) => holder.close(resolve));
      await statusMatching(service, (status) => status.state === 'no-fix');
      const sender = createSocket('udp4');
      const fixed = statusMatching(service, (status) => status.state === 'fix');
      sender.send(`${nmeaSentence('GPRMC,043010.00,A,3834.9804,N,12129.6640,W,30.4,0.0,150324,,,A')}\r\n`, port, '127.0.0.1', () => sender.close());
      expect(await fixed).toMatchObject({ state: 'fix', source: 'nmea-udp', lastFix: { speedMps: expect.closeTo(15.64, 2) } });
    } finally {
      await service.close();
    }
  });

  it('says gpsd is unavailable while it cannot be reached', async () => {
    const service = startGps({ source: 'gpsd', host: '127.0.0.1', port: await freePort() }, FAST);
    try {
      expect(await statusMatching(service, (status) => status.state === 'unavailable')).toMatchObject({ source: 'gpsd', detail: expect.stringContaining('ECONNREFUSED') });
    } finally {
      await service.close();
    }
  });
});
