// The sentences a drill's drive replays: RMC and GGA with correct checksums, read back by the terminal's own parser.
import { describe, expect, it } from 'vitest';
import { nmeaChecksum, parseNmea } from '../../../../src-shared/nmea.ts';
import { ggaSentence, nmeaAngle, rmcSentence } from '../../../../src-shared/nmea-write.ts';
import { NmeaFixes } from '../../../../src-main/gps/nmea-fixes.ts';

const AT = Date.UTC(2026, 9, 14, 3, 12, 7, 250);
const FIX = { lat: 34.035254, lon: -118.69385, speedKnots: 33.0, atMs: AT };

describe('writing NMEA sentences', () => {
  it('frames each sentence with the XOR checksum of its body', () => {
    for (const sentence of [rmcSentence(FIX), ggaSentence(FIX)]) {
      const [, body, sum] = /^\$(.*)\*([0-9A-F]{2})$/.exec(sentence)!;
      expect(sum).toBe(nmeaChecksum(body!));
    }
    expect(rmcSentence(FIX)).toBe('$GPRMC,031207.25,A,3402.1152,N,11841.6310,W,33.0,,141026,,,A*59');
  });

  it('writes degrees and minutes, carrying 59.99999 minutes into the next degree, in every hemisphere', () => {
    expect(nmeaAngle(34.5, 2, 'N', 'S')).toBe('3430.0000,N');
    expect(nmeaAngle(-33.999999999, 2, 'N', 'S')).toBe('3400.0000,S');
    expect(nmeaAngle(151.2093, 3, 'E', 'W')).toBe('15112.5580,E');
    expect(nmeaAngle(-8.05, 3, 'E', 'W')).toBe('00803.0000,W');
  });

  it('reads back through the parser as the fix it was written from', () => {
    const rmc = parseNmea(rmcSentence(FIX));
    expect(rmc).toMatchObject({ ok: true, sentence: { type: 'RMC', talker: 'GP', valid: true, speedKnots: 33, fixTime: AT } });
    if (!rmc.ok || rmc.sentence.type !== 'RMC') return;
    expect(rmc.sentence.lat).toBeCloseTo(FIX.lat, 5);
    expect(rmc.sentence.lon).toBeCloseTo(FIX.lon, 5);
    const gga = parseNmea(ggaSentence({ ...FIX, lat: -33.8688, lon: 151.2093 }));
    expect(gga).toMatchObject({ ok: true, sentence: { type: 'GGA', valid: true, satellites: 8 } });
    if (!gga.ok || gga.sentence.type !== 'GGA') return;
    expect(gga.sentence.lat).toBeCloseTo(-33.8688, 5);
    expect(gga.sentence.lon).toBeCloseTo(151.2093, 5);
  });

  it('gives the main process a fix with the speed in metres per second', () => {
    const parsed = parseNmea(rmcSentence(FIX));
    if (!parsed.ok) throw new Error(parsed.detail);
    const outcome = new NmeaFixes().accept(parsed.sentence, AT + 100);
    expect(outcome).toMatchObject({ kind: 'fix', fix: { source: 'nmea-udp', speedMps: expect.closeTo(16.98, 2) } });
  });
});
