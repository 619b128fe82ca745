// From sentences to fixes: RMC gives the fix, GGA stands in for a modem without RMC, and no car does 9,999 knots.
import { describe, expect, it } from 'vitest';
import { NmeaFixes } from '../../../../src-main/gps/nmea-fixes.ts';
import { nmeaSentence, type NmeaSentence, parseNmea } from '../../../../src-shared/nmea.ts';

const read = (body: string): NmeaSentence => {
  const parsed = parseNmea(nmeaSentence(body));
  if (!parsed.ok) throw new Error(parsed.detail);
  return parsed.sentence;
};
const AT = Date.UTC(2024, 2, 15, 4, 30, 10, 300);
const RMC = read('GPRMC,043010.00,A,3834.9804,N,12129.6640,W,30.4,0.0,150324,,,A');
const GGA = read('GPGGA,043010.00,3834.9804,N,12129.6640,W,1,08,0.9,9.0,M,-30.0,M,,');

describe('NmeaFixes', () => {
  it('makes a fix from RMC, with the speed in metres per second', () => {
    expect(new NmeaFixes().accept(RMC, AT)).toEqual({
      kind: 'fix',
      fix: { lat: expect.closeTo(38.58301, 5), lon: expect.closeTo(-121.4944, 5), speedMps: expect.closeTo(15.639, 3), fixTime: Date.UTC(2024, 2, 15, 4, 30, 10), receivedAt: AT, source: 'nmea-udp' },
    });
  });

  it('ignores the GGA of a second whose RMC it already has', () => {
    const fixes = new NmeaFixes();
    fixes.accept(RMC, AT);
    expect(fixes.accept(GGA, AT + 5)).toBeUndefined();
  });

  it('takes GGA alone from a modem that sends no RMC, with the speed unknown and the date from this machine', () => {
    expect(new NmeaFixes().accept(GGA, AT)).toMatchObject({ kind: 'fix', fix: { speedMps: null, fixTime: Date.UTC(2024, 2, 15, 4, 30, 10) } });
  });

  it('dates a GGA from just before midnight UTC to the day before, when it arrives just after', () => {
    const late = read('GPGGA,235959.00,3834.9804,N,12129.6640,W,1,08,0.9,9.0,M,-30.0,M,,');
    expect(new NmeaFixes().accept(late, Date.UTC(2024, 2, 16, 0, 0, 0, 400))).toMatchObject({ fix: { fixTime: Date.UTC(2024, 2, 15, 23, 59, 59) } });
  });

  it('reports a void RMC or a GGA of quality 0 as no fix', () => {
    expect(new NmeaFixes().accept(read('GPRMC,043021.00,V,,,,,,,150324,,,N'), AT)).toEqual({ kind: 'no-fix' });
    expect(new NmeaFixes().accept(read('GPGGA,043021.00,,,,,0,00,99.9,,M,,M,,'), AT)).toEqual({ kind: 'no-fix' });
  });

  it('drops a speed of 9,999 knots as implausible', () => {
    const fast = read('GPRMC,043010.00,A,3834.9804,N,12129.6640,W,9999.0,0.0,150324,,,A');
    expect(new NmeaFixes().accept(fast, AT)).toEqual({ kind: 'implausible', message: expect.stringContaining('speedMps') });
  });

  it('keeps a pursuit at 140 mph (122 knots)', () => {
    const pursuit = read('GPRMC,043010.00,A,3834.9804,N,12129.6640,W,121.7,0.0,150324,,,A');
    expect(new NmeaFixes().accept(pursuit, AT)).toMatchObject({ kind: 'fix' });
  });
});
