// NMEA 0183 parsing: a sentence is read only when its checksum, talker and every field are right.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { nmeaChecksum, nmeaSentence, parseNmea } from '../../../../src-shared/nmea.ts';

// The RMC and GGA examples most NMEA references print, with the checksums they print.
const PUBLISHED_RMC = '$GPRMC,123519,A,4807.038,N,01131.000,E,022.4,084.4,230394,003.1,W*6A';
const PUBLISHED_GGA = '$GPGGA,123519,4807.038,N,01131.000,E,1,08,0.9,545.4,M,46.9,M,,*47';

const rmc = (fields: string, talker = 'GP') => nmeaSentence(`${talker}RMC,${fields}`);
const NIGHT_RMC = '043010.00,A,3834.9804,N,12129.6640,W,30.4,0.0,150324,,,A';

describe('parseNmea', () => {
  it('computes the checksums the references print', () => {
    expect(nmeaChecksum(PUBLISHED_RMC.slice(1, -3))).toBe('6A');
    expect(nmeaChecksum(PUBLISHED_GGA.slice(1, -3))).toBe('47');
  });

  it('reads an RMC fix: position in signed degrees, speed in knots, time and date as one UTC instant', () => {
    const parsed = parseNmea(`${PUBLISHED_RMC}\r\n`);
    expect(parsed).toEqual({
      ok: true,
      sentence: { type: 'RMC', talker: 'GP', valid: true, lat: expect.closeTo(48.1173, 6), lon: expect.closeTo(11.516667, 6), speedKnots: 22.4, fixTime: Date.UTC(1994, 2, 23, 12, 35, 19) },
    });
  });

  it('reads the western and southern hemispheres as negative', () => {
    const parsed = parseNmea(rmc('043010.00,A,3834.9804,S,12129.6640,W,30.4,0.0,150324,,,A'));
    expect(parsed.ok && parsed.sentence).toMatchObject({ lat: expect.closeTo(-38.58301, 5), lon: expect.closeTo(-121.49440, 5) });
  });

  it('reads a GGA fix with its satellites and time of day', () => {
    expect(parseNmea(PUBLISHED_GGA)).toEqual({
      ok: true,
      sentence: { type: 'GGA', talker: 'GP', valid: true, lat: expect.closeTo(48.1173, 6), lon: expect.closeTo(11.516667, 6), satellites: 8, timeOfDayMs: (12 * 3600 + 35 * 60 + 19) * 1000 },
    });
  });

  it.each(['GP', 'GN', 'GL', 'GA', 'GB'])('accepts the %s talker', (talker) => {
    expect(parseNmea(rmc(NIGHT_RMC, talker))).toMatchObject({ ok: true, sentence: { talker } });
  });

  it.each(['II', 'XX', 'BD', 'GQ'])('drops an RMC from the %s talker, whatever its checksum says', (talker) => {
    expect(parseNmea(rmc(NIGHT_RMC, talker))).toMatchObject({ ok: false, reason: 'talker' });
  });

  it('drops a sentence whose checksum does not match', () => {
    expect(parseNmea(PUBLISHED_RMC.replace('*6A', '*6B'))).toMatchObject({ ok: false, reason: 'checksum' });
    expect(parseNmea(PUBLISHED_RMC.replace('022.4', '122.4'))).toMatchObject({ ok: false, reason: 'checksum' });
  });

  it('accepts a checksum written in lower case', () => {
    expect(parseNmea(nmeaSentence('GPRMC,043010.00,A,3834.9804,N,12129.6640,W,30.4,0.0,150324,,,A').replace(/\*(..)$/, (_, hex: string) => `*${hex.toLowerCase()}`)).ok).toBe(true);
  });

  it.each([
    ['cut before its checksum', PUBLISHED_RMC.slice(0, 40), 'checksum'],
    ['cut inside its checksum', PUBLISHED_RMC.slice(0, -1), 'malformed'],
    ['without its $', PUBLISHED_RMC.slice(1), 'malformed'],
    ['two sentences run together', `${PUBLISHED_RMC}${PUBLISHED_GGA}`, 'malformed'],
    ['longer than any receiver writes', nmeaSentence(`GPRMC,${'1'.repeat(130)}`), 'malformed'],
    ['empty', '', 'malformed'],
  ])('drops a sentence %s', (_, line, reason) => {
    expect(parseNmea(line)).toMatchObject({ ok: false, reason });
  });

  it.each([
    ['31 February', '043010.00,A,3834.9804,N,12129.6640,W,30.4,0.0,310224,,,A'],
    ['61 minutes of arc', '043010.00,A,3861.0000,N,12129.6640,W,30.4,0.0,150324,,,A'],
    ['a latitude beyond the pole', '043010.00,A,9100.0000,N,12129.6640,W,30.4,0.0,150324,,,A'],
    ['hour 25', '253010.00,A,3834.9804,N,12129.6640,W,30.4,0.0,150324,,,A'],
    ['a hemisphere of Q', '043010.00,A,3834.9804,Q,12129.6640,W,30.4,0.0,150324,,,A'],
    ['a negative speed', '043010.00,A,3834.9804,N,12129.6640,W,-30.4,0.0,150324,,,A'],
    ['a status of X', '043010.00,X,3834.9804,N,12129.6640,W,30.4,0.0,150324,,,A'],
    ['a valid fix with no position', '043010.00,A,,,,,30.4,0.0,150324,,,A'],
    ['a missing field', '043010.00,A,3834.9804,N,12129.6640,W,30.4,0.0,150324,'],
  ])('drops an RMC with %s as malformed', (_, fields) => {
    expect(parseNmea(rmc(fields))).toMatchObject({ ok: false, reason: 'malformed' });
  });

  it('reads a void RMC (status V) as no fix', () => {
    expect(parseNmea(rmc('043021.00,V,,,,,,,150324,,,N'))).toMatchObject({ ok: true, sentence: { type: 'RMC', valid: false } });
  });

  it.each(['N', 'E', 'M', 'S'])('reads an RMC in mode %s (no fix, dead reckoning, manual, simulator) as no fix', (mode) => {
    expect(parseNmea(rmc(`043010.00,A,3834.9804,N,12129.6640,W,30.4,0.0,150324,,,${mode}`))).toMatchObject({ ok: true, sentence: { valid: false } });
  });

  it('reads a GGA of quality 0 as no fix', () => {
    expect(parseNmea(nmeaSentence('GPGGA,043021.00,,,,,0,00,99.9,,M,,M,,'))).toMatchObject({ ok: true, sentence: { type: 'GGA', valid: false } });
  });

  it('reads a speed of 9,999 knots as written: judging it is for the fix, not the parser', () => {
    expect(parseNmea(rmc('043010.00,A,3834.9804,N,12129.6640,W,9999.0,0.0,150324,,,A'))).toMatchObject({ ok: true, sentence: { speedKnots: 9999 } });
  });

  it('passes over sentences it does not read, without calling them bad', () => {
    expect(parseNmea(nmeaSentence('GPGSV,3,1,11,03,03,111,00,04,15,270,00,06,01,010,00,13,06,292,00'))).toMatchObject({ ok: false, reason: 'unsupported' });
    expect(parseNmea(nmeaSentence('PGRME,15.0,M,45.0,M,25.0,M'))).toMatchObject({ ok: false, reason: 'unsupported' });
  });

  it('drops any sentence with one character changed', () => {
    const line = rmc(NIGHT_RMC);
    fc.assert(
      fc.property(fc.nat(line.length - 1), fc.integer({ min: 0x20, max: 0x7e }), (index, code) => {
        fc.pre(line.charCodeAt(index) !== code);
        const changed = line.slice(0, index) + String.fromCharCode(code) + line.slice(index + 1);
        // A changed hex digit may still spell the same checksum only in another case.
        fc.pre(changed.toUpperCase() !== line.toUpperCase());
        expect(parseNmea(changed).ok).toBe(false);
      }),
      { numRuns: 2_000 },
    );
  });

  it('never throws, whatever arrives', () => {
    fc.assert(fc.property(fc.string({ maxLength: 200 }), (text) => void parseNmea(text)), { numRuns: 2_000 });
    fc.assert(fc.property(fc.string({ maxLength: 80 }), (body) => void parseNmea(nmeaSentence(`GPRMC,${body}`))), { numRuns: 2_000 });
  });
});
