// The gpsd client against a real gpsd, fed the test route by gpsfake: fixes, the tunnel, and gpsd going away and back.
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type GpsdSource, startGpsdSource } from '../../../../src-main/gps/gpsd-source.ts';
import type { GpsReport } from '../../../../src-shared/gps.ts';
import { freePort } from '../../../support/free-port.ts';
import { type GpsdServer, startGpsfake, whyNoGpsd } from '../../../support/gpsd-server.ts';
import { reportMatching } from './gps-reports-wait.ts';

const ROUTE = fileURLToPath(new URL('../../../fixtures/gps/route.nmea', import.meta.url));
const noGpsd = whyNoGpsd();
/** Walking pace is about 1.4 m/s; the route drives at 35 mph (15.6 m/s). */
const WALKING_MPS = 1.4;
const isFix = (report: GpsReport) => report.kind === 'fix';

describe.skipIf(noGpsd)(`the gpsd source${noGpsd ? ` (skipped: ${noGpsd})` : ''}`, () => {
  let gpsd: GpsdServer;
  const sources: GpsdSource[] = [];
  const open = (port: number, retry?: { baseMs: number; capMs: number }) => {
    const source = startGpsdSource({ host: '127.0.0.1', port, ...(retry ? { retry } : {}) });
    sources.push(source);
    return source;
  };

  beforeAll(async () => {
    gpsd = await startGpsfake({ log: ROUTE, cycle: 0.05 });
  });
  afterAll(async () => {
    await Promise.all(sources.map((source) => source.close()));
    await gpsd?.stop();
  });

  it('reads the route from gpsd: a stop, a drive above walking pace, and the tunnel without a fix', async () => {
    const source = open(gpsd.port);
    const stopped = reportMatching(source, (report) => report.kind === 'fix' && report.fix.speedMps === 0);
    const driving = reportMatching(source, (report) => report.kind === 'fix' && report.fix.speedMps! > 10 * WALKING_MPS);
    const tunnel = reportMatching(source, (report) => report.kind === 'no-fix');
    const [stop, drive] = await Promise.all([stopped, driving, tunnel]);
    expect(stop).toMatchObject({ fix: { source: 'gpsd', lat: expect.closeTo(38.58, 1), lon: expect.closeTo(-121.49, 1) } });
    // 35 mph, written as 30.4 knots in the route's RMC, is 15.64 m/s in gpsd's TPV.
    expect(drive).toMatchObject({ fix: { speedMps: expect.closeTo(15.64, 2) } });
    expect(source.counts().fixes).toBeGreaterThan(2);
  });

  it('says gpsd is unavailable when nothing listens, and keeps trying', async () => {
    const port = await freePort();
    const source = open(port, { baseMs: 50, capMs: 200 });
    const refusals: GpsReport[] = [];
    source.onReport((report) => refusals.push(report));
    const unavailable = await reportMatching(source, () => refusals.length >= 3);
    expect(unavailable).toEqual({ kind: 'unavailable', reason: expect.stringMatching(new RegExp(`127\\.0\\.0\\.1:${port}.*ECONNREFUSED`)) });
    expect(source.counts().connections).toBe(0);
  });

  it('reconnects after gpsd restarts, and reads fixes again', async () => {
    const source = open(gpsd.port, { baseMs: 100, capMs: 400 });
    await reportMatching(source, isFix);
    const gone = reportMatching(source, (report) => report.kind === 'unavailable');
    await gpsd.stop();
    await gone;
    const back = reportMatching(source, isFix);
    const restartedAt = Date.now();
    await gpsd.restart();
    await back;
    // Measured here: a fix within about half a second of gpsd listening again (the retry cap plus a cycle of the route).
    expect(Date.now() - restartedAt).toBeLessThan(10_000);
    expect(source.counts().connections).toBe(2);
  });

  it('closes cleanly: no report after close, and no reconnection', async () => {
    const source = open(gpsd.port);
    await reportMatching(source, isFix);
    const after: GpsReport[] = [];
    source.onReport((report) => after.push(report));
    await source.close();
    await source.close();
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(after).toEqual([]);
    expect(source.counts().connections).toBe(1);
  });
});
