// The NMEA listener over real UDP on loopback: the test route is read, and every bad sentence is dropped and counted.
import { createSocket, type Socket } from 'node:dgram';
import { readFileSync } from 'node:fs';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { nmeaSentence } from '../../../../src-shared/nmea.ts';
import { type NmeaUdpSource, startNmeaUdpSource } from '../../../../src-main/gps/nmea-udp-source.ts';
import type { GpsReport } from '../../../../src-shared/gps.ts';
import { reportMatching } from './gps-reports-wait.ts';

const ROUTE_LINES = readFileSync(new URL('../../../fixtures/gps/route.nmea', import.meta.url), 'latin1')
  .split('\r\n')
  .filter((line) => line.startsWith('$'));
/** A fix at a place the route never goes, sent last so the test knows everything before it was read. */
const LAST = nmeaSentence('GNRMC,050000.00,A,3700.0000,N,12200.0000,W,0.0,0.0,150324,,,A');
const isLast = (report: GpsReport) => report.kind === 'fix' && report.fix.lat === 37;

describe('the NMEA over UDP source', () => {
  let sender: Socket;
  let source: NmeaUdpSource | undefined;
  beforeAll(() => {
    sender = createSocket('udp4');
    return () => sender.close();
  });
  afterEach(async () => {
    await source?.close();
    source = undefined;
  });

  const send = (datagram: string) => new Promise<void>((resolve, reject) => sender.send(datagram, source!.port, '127.0.0.1', (error) => (error ? reject(error) : resolve())));
  const listen = async () => {
    source = await startNmeaUdpSource({ port: 0, bind: '127.0.0.1' });
    const reports: GpsReport[] = [];
    source.onReport((report) => reports.push(report));
    return reports;
  };

  it('reads the route a second at a time (RMC and GGA in one datagram): every fix, and the tunnel as no fix', async () => {
    const reports = await listen();
    const done = reportMatching(source!, isLast);
    for (let i = 0; i < ROUTE_LINES.length; i += 2) await send(`${ROUTE_LINES[i]}\r\n${ROUTE_LINES[i + 1]}\r\n`);
    await send(`${LAST}\r\n`);
    await done;
    const fixes = reports.filter((report) => report.kind === 'fix').slice(0, -1);
    // 41 seconds of route, 6 of them in the tunnel; each second's GGA repeats its RMC and is not counted twice.
    expect(fixes).toHaveLength(35);
    expect(reports.filter((report) => report.kind === 'no-fix')).toHaveLength(6);
    expect(Math.max(...fixes.map((report) => (report.kind === 'fix' ? report.fix.speedMps! : 0)))).toBeCloseTo(15.64, 2);
    expect(source!.counts()).toEqual({ fixes: 36, rejected: { checksum: 0, malformed: 0, talker: 0, implausible: 0, sender: 0 }, ignored: 0 });
  });

  it('drops and counts a bad checksum, a truncated sentence, a wrong talker and a speed of 9,999 knots, trusting none', async () => {
    const reports = await listen();
    const good = nmeaSentence('GPRMC,043010.00,A,3834.9804,N,12129.6640,W,30.4,0.0,150324,,,A');
    const bad = [
      good.replace(/\*..$/, '*00'), // bad checksum
      good.slice(0, 30), // truncated: the modem's buffer cut it off
      nmeaSentence('IIRMC,043011.00,A,3834.9804,N,12129.6640,W,30.4,0.0,150324,,,A'), // an instrument talker, not a receiver
      nmeaSentence('GPRMC,043012.00,A,3834.9804,N,12129.6640,W,9999.0,0.0,150324,,,A'), // 9,999 knots
      nmeaSentence('GPRMC,043013.00,A,3899.0000,N,12129.6640,W,30.4,0.0,150324,,,A'), // 99 minutes of arc
      '\u0000\u00ff\u0013binary noise',
    ];
    const done = reportMatching(source!, isLast);
    for (const sentence of bad) await send(`${sentence}\r\n`);
    await send(`${nmeaSentence('GPGSV,1,1,01,03,03,111,00')}\r\n`);
    await send(`${good}\r\n${LAST}\r\n`);
    await done;
    expect(reports.map((report) => report.kind === 'fix' && report.fix.fixTime)).toEqual([Date.UTC(2024, 2, 15, 4, 30, 10), Date.UTC(2024, 2, 15, 5, 0, 0)]);
    expect(source!.counts()).toEqual({ fixes: 2, rejected: { checksum: 2, malformed: 2, talker: 1, implausible: 1, sender: 0 }, ignored: 1 });
  });

  it('reads only the modem when the profile names it: a good sentence from elsewhere on the car network is dropped', async () => {
    source = await startNmeaUdpSource({ port: 0, bind: '127.0.0.1', from: '127.0.0.1' });
    const reports: GpsReport[] = [];
    source.onReport((report) => reports.push(report));
    const stranger = createSocket('udp4');
    await new Promise<void>((resolve) => stranger.bind(0, '127.0.0.2', resolve));
    const spoof = nmeaSentence('GPRMC,043010.00,A,3834.9804,N,12129.6640,W,0.0,0.0,150324,,,A');
    await new Promise((resolve) => stranger.send(`${spoof}\r\n`, source!.port, '127.0.0.1', resolve));
    stranger.close();
    const done = reportMatching(source, isLast);
    await send(`${LAST}\r\n`);
    await done;
    expect(reports).toHaveLength(1);
    expect(source.counts().rejected.sender).toBe(1);
  });

  it('refuses to start on a port another program holds, saying why', async () => {
    const holder = createSocket('udp4');
    await new Promise<void>((resolve) => holder.bind(0, '127.0.0.1', resolve));
    try {
      await expect(startNmeaUdpSource({ port: holder.address().port, bind: '127.0.0.1' })).rejects.toThrow(/EADDRINUSE/);
    } finally {
      holder.close();
    }
  });

  it('frees its port when closed', async () => {
    await listen();
    const { port } = source!;
    await source!.close();
    await source!.close();
    source = await startNmeaUdpSource({ port, bind: '127.0.0.1' });
    expect(source.port).toBe(port);
  });
});
