// A drill's drive: the schema that checks it, the point-in-polygon that decides where the car is, and the route reader.
import { describe, expect, it } from 'vitest';
import { parseDrill } from '../../../src-shared/drill.ts';
import { coverageAt, DEFAULT_DRIVE_NMEA_UDP, Drive, insidePolygon, type LatLon, parseHostPort, parseRoute } from '../../../src-shared/drive.ts';
import { nmeaSentence } from '../../../src-shared/nmea.ts';
import { rmcSentence } from '../../../src-shared/nmea-write.ts';

const SQUARE: LatLon[] = [
  [34, -118],
  [34, -117.99],
  [34.01, -117.99],
  [34.01, -118],
];
const canyon = { name: 'Canyon', kind: 'dead', conditions: { blackHole: true }, ring: SQUARE };

function drillWith(drive: object) {
  return { name: 'Drive', description: 'A drive under test', durationSeconds: 60, steps: [{ at: 0, set: { latencyMs: 100 } }], drive };
}

const problem = (drive: object) => {
  const parsed = parseDrill(drillWith(drive));
  return parsed.ok ? undefined : parsed.error;
};

describe('a drive in a drill file', () => {
  it('takes a route and coverage, and fills in the speed and where the sentences go', () => {
    const parsed = parseDrill(drillWith({ route: 'routes/canyon.nmea', coverage: [canyon] }));
    expect(parsed).toMatchObject({ ok: true, value: { drive: { route: 'routes/canyon.nmea', speed: 1, nmeaUdp: DEFAULT_DRIVE_NMEA_UDP } } });
    expect(DEFAULT_DRIVE_NMEA_UDP).toBe('127.0.0.1:10110');
  });

  it('drops a closing point that repeats the first, as GeoJSON rings have', () => {
    const drive = Drive.parse({ route: 'r.nmea', coverage: [{ ...canyon, ring: [...SQUARE, SQUARE[0]] }] });
    expect(drive.coverage[0]!.ring).toEqual(SQUARE);
  });

  it('refuses a polygon with too few points, one that encloses nothing, and a point off the globe, naming it', () => {
    expect(problem({ route: 'r.nmea', coverage: [{ ...canyon, ring: SQUARE.slice(0, 2) }] })).toBe('drive.coverage[0].ring: a polygon needs at least 3 different points');
    const line: LatLon[] = [
      [34, -118],
      [34.005, -118.005],
      [34.01, -118.01],
    ];
    expect(problem({ route: 'r.nmea', coverage: [{ ...canyon, ring: line }] })).toBe('drive.coverage[0].ring: encloses nothing: its points lie on one line');
    expect(problem({ route: 'r.nmea', coverage: [canyon, { ...canyon, ring: [[-118, 34], ...SQUARE.slice(1)] }] })).toBe('drive.coverage[1].ring[0][0]: latitude must be -90 to 90');
  });

  it('refuses an unknown kind, coverage with no conditions, and an unknown condition', () => {
    expect(problem({ route: 'r.nmea', coverage: [{ ...canyon, kind: 'patchy' }] })).toBe('drive.coverage[0].kind: must be "dead" or "degraded"');
    expect(problem({ route: 'r.nmea', coverage: [{ ...canyon, conditions: {} }] })).toBe('drive.coverage[0].conditions: names no condition to change');
    expect(problem({ route: 'r.nmea', coverage: [{ ...canyon, conditions: { tunnel: true } }] })).toMatch(/^drive\.coverage\[0\]\.conditions: Unrecognized key/);
  });

  it('refuses a bad address, an absolute route, and a speed out of range', () => {
    expect(problem({ route: 'r.nmea', nmeaUdp: 'localhost' })).toBe('drive.nmeaUdp: must be HOST:PORT, such as 127.0.0.1:10110');
    expect(problem({ route: 'r.nmea', nmeaUdp: '127.0.0.1:70000' })).toBe('drive.nmeaUdp: port must be 1 to 65535');
    expect(problem({ route: '/etc/route.nmea' })).toBe('drive.route: must be relative to the drill file');
    expect(problem({ route: 'r.nmea', speed: 0 })).toBe('drive.speed: must be 0.1 to 1000');
    expect(problem({ coverage: [] })).toMatch(/^drive\.route: /);
  });

  it('reads HOST:PORT, an IPv6 address in brackets included', () => {
    expect(parseHostPort('127.0.0.1:10110')).toEqual({ host: '127.0.0.1', port: 10110 });
    expect(parseHostPort('[::1]:2000')).toEqual({ host: '::1', port: 2000 });
    expect(parseHostPort('car modem:10110')).toMatch(/HOST:PORT/);
  });
});

describe('where the car is', () => {
  it('is inside a polygon, outside it, and inside on its edge or a corner', () => {
    expect(insidePolygon([34.005, -117.995], SQUARE)).toBe(true);
    expect(insidePolygon([34.02, -117.995], SQUARE)).toBe(false);
    expect(insidePolygon([34.005, -118.02], SQUARE)).toBe(false);
    // On the boundary counts as in: a car on the canyon's edge is in the canyon.
    expect(insidePolygon([34, -117.995], SQUARE)).toBe(true);
    expect(insidePolygon([34.005, -117.99], SQUARE)).toBe(true);
    expect(insidePolygon([34.01, -118], SQUARE)).toBe(true);
  });

  it('follows a concave polygon, and a ray through a vertex counts once', () => {
    // A U open to the north: the notch between its arms is outside.
    const u: LatLon[] = [
      [0, 0],
      [0, 3],
      [3, 3],
      [3, 2],
      [1, 2],
      [1, 1],
      [3, 1],
      [3, 0],
    ];
    expect(insidePolygon([2, 1.5], u)).toBe(false);
    expect(insidePolygon([0.5, 1.5], u)).toBe(true);
    expect(insidePolygon([2, 0.5], u)).toBe(true);
    // Level with the vertices at latitude 1: the eastward ray passes through [1, 1] and [1, 2].
    expect(insidePolygon([1, 0.5], u)).toBe(true);
    const diamond: LatLon[] = [
      [0, 1],
      [1, 2],
      [2, 1],
      [1, 0],
    ];
    expect(insidePolygon([1, 0.5], diamond)).toBe(true);
    expect(insidePolygon([1, -0.5], diamond)).toBe(false);
  });

  it('is in no polygon when the route crosses none, and in the first listed where polygons overlap', () => {
    expect(coverageAt([35, -117], [{ ring: SQUARE }])).toBeNull();
    expect(coverageAt([34.005, -117.995], [])).toBeNull();
    const wide: LatLon[] = [
      [33.9, -118.1],
      [33.9, -117.9],
      [34.1, -117.9],
      [34.1, -118.1],
    ];
    expect(coverageAt([34.005, -117.995], [{ ring: wide }, { ring: SQUARE }])).toBe(0);
    expect(coverageAt([34.005, -117.995], [{ ring: SQUARE }, { ring: wide }])).toBe(0);
    expect(coverageAt([34.05, -118.05], [{ ring: SQUARE }, { ring: wide }])).toBe(1);
  });
});

describe('a route file', () => {
  const fix = (second: number, lat: number) => rmcSentence({ lat, lon: -118, speedKnots: 20, atMs: Date.UTC(2026, 0, 1, 3, 0, second) });

  it('gives the valid RMC fixes in time order, skipping comments, GGA, void fixes and other sentences', () => {
    const text = ['# a comment', fix(2, 34.002), nmeaSentence('GPGSV,1,1,00'), fix(1, 34.001), nmeaSentence('GPRMC,030003.00,V,,,,,,,010126,,,N'), ''].join('\r\n');
    const parsed = parseRoute(text);
    expect(parsed).toMatchObject({ ok: true });
    if (!parsed.ok) return;
    expect(parsed.fixes.map((entry) => entry.atMs)).toEqual([Date.UTC(2026, 0, 1, 3, 0, 1), Date.UTC(2026, 0, 1, 3, 0, 2)]);
    expect(parsed.fixes[0]!.lat).toBeCloseTo(34.001, 6);
  });

  it('names the line of a sentence with a bad checksum, and says when there is no fix at all', () => {
    expect(parseRoute(`${fix(1, 34)}\n${fix(2, 34).slice(0, -2)}00\n`)).toEqual({ ok: false, error: expect.stringMatching(/^line 2: checksum 00, expected [0-9A-F]{2}$/) });
    expect(parseRoute('# nothing here\n')).toEqual({ ok: false, error: 'has no valid fix (a $GxRMC sentence with status A)' });
  });
});
