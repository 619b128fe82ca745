// gpsd's TPV reports as fixes: mode 2 and 3 are fixes, mode 0 and 1 are not, and a bad report is dropped with its reason.
import { describe, expect, it } from 'vitest';
import { readGpsdLine } from '../../../../src-main/gps/gpsd-reports.ts';

const AT = 1_710_477_010_300;
const TPV = { class: 'TPV', device: '/dev/pts/1', mode: 3, time: '2024-03-15T04:30:10.000Z', lat: 38.583148333, lon: -121.4944, speed: 15.639, track: 0 };
const line = (fields: object) => JSON.stringify({ ...TPV, ...fields });

describe('readGpsdLine', () => {
  it('turns a 3D TPV into a fix, keeping gpsd\'s metres per second', () => {
    expect(readGpsdLine(line({}), AT)).toEqual({
      kind: 'fix',
      fix: { lat: 38.583148333, lon: -121.4944, speedMps: 15.639, fixTime: Date.UTC(2024, 2, 15, 4, 30, 10), receivedAt: AT, source: 'gpsd' },
    });
  });

  it('takes a 2D fix too, and one without a speed', () => {
    const { speed: _speed, ...noSpeed } = TPV;
    expect(readGpsdLine(JSON.stringify({ ...noSpeed, mode: 2 }), AT)).toMatchObject({ kind: 'fix', fix: { speedMps: null } });
  });

  it.each([0, 1])('reads mode %i as no fix', (mode) => {
    expect(readGpsdLine(JSON.stringify({ class: 'TPV', mode, time: TPV.time }), AT)).toEqual({ kind: 'no-fix' });
  });

  it('passes over a fix gpsd sends before it knows the time, without calling it bad', () => {
    expect(readGpsdLine(line({ time: undefined }), AT)).toBeUndefined();
  });

  it('passes over other reports', () => {
    expect(readGpsdLine('{"class":"SKY","satellites":[]}', AT)).toBeUndefined();
    expect(readGpsdLine('{"class":"VERSION","release":"3.22","proto_major":3,"proto_minor":14}', AT)).toBeUndefined();
  });

  it.each([
    ['not JSON', '{"class":"TPV",'],
    ['a line without a class', '[1,2,3]'],
    ['a mode of 7', line({ mode: 7 })],
    ['a latitude as text', line({ lat: '38.5' })],
    ['a fix with no latitude', line({ lat: undefined })],
    ['a fix with an unreadable time', line({ time: 'yesterday' })],
  ])('drops %s as malformed', (_, text) => {
    expect(readGpsdLine(text, AT)).toMatchObject({ kind: 'rejected', reason: 'malformed' });
  });

  it.each([
    ['a speed of 9,999 knots', { speed: 5144 }],
    ['a latitude past the pole', { lat: 91 }],
    ['a negative speed', { speed: -3 }],
  ])('drops %s as implausible', (_, fields) => {
    expect(readGpsdLine(line(fields), AT)).toMatchObject({ kind: 'rejected', reason: 'implausible' });
  });
});
