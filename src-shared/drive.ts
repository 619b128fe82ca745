// A drill's drive: a route the switch replays to the terminal's GPS as NMEA over UDP, and coverage polygons whose
// link conditions play while the car is inside them. The schema, the geometry, and the admin view of a drive.
import { z } from 'zod';
import { ConditionChange } from './condition-change.ts';
import { parseNmea } from './nmea.ts';
import { API_VERSION } from './protocol.ts';

export const drivePaths = {
  /** Admin server. GET: the drive of the drill playing (or last played): route, coverage and where the car is. */
  adminDrive: `/${API_VERSION}/admin/drive`,
} as const;

/** Where a drive sends its sentences unless told otherwise: the port NMEA-over-UDP listeners use by convention. */
export const DEFAULT_DRIVE_NMEA_UDP = '127.0.0.1:10110';

const HOST_PORT = /^(?<host>[A-Za-z0-9.-]{1,253}|\[[0-9A-Fa-f:.]+\]):(?<port>\d{1,5})$/;

/** `HOST:PORT` (`[::1]:10110` for IPv6) as a host and port; a string says what is wrong. */
export function parseHostPort(text: string): { host: string; port: number } | string {
  const match = HOST_PORT.exec(text);
  if (!match?.groups) return `must be HOST:PORT, such as ${DEFAULT_DRIVE_NMEA_UDP}`;
  const port = Number(match.groups.port);
  if (port < 1 || port > 65535) return 'port must be 1 to 65535';
  return { host: match.groups.host!.replace(/^\[(.*)\]$/, '$1'), port };
}

/** A point as `[latitude, longitude]`, in degrees (WGS 84): latitude first. */
const LatLon = z.tuple([
  z.number({ error: 'latitude must be a number' }).min(-90, { error: 'latitude must be -90 to 90' }).max(90, { error: 'latitude must be -90 to 90' }),
  z.number({ error: 'longitude must be a number' }).min(-180, { error: 'longitude must be -180 to 180' }).max(180, { error: 'longitude must be -180 to 180' }),
]);
export type LatLon = z.infer<typeof LatLon>;

/** Twice the signed area, in square degrees: zero for a ring that encloses nothing (all points on one line). */
function doubleArea(ring: readonly LatLon[]): number {
  return ring.reduce((sum, [lat, lon], index) => {
    const [nextLat, nextLon] = ring[(index + 1) % ring.length]!;
    return sum + lon * nextLat - nextLon * lat;
  }, 0);
}

/** The ring without a closing point that repeats the first (GeoJSON habit): a ring is closed anyway. */
const openRing = (ring: readonly LatLon[]): LatLon[] => {
  const [first, last] = [ring[0], ring.at(-1)];
  return ring.length > 1 && first && last && first[0] === last[0] && first[1] === last[1] ? ring.slice(0, -1) : [...ring];
};

const Ring = z
  .array(LatLon)
  .max(1000, { error: 'at most 1000 points' })
  .transform(openRing)
  .refine((ring) => ring.length >= 3, { error: 'a polygon needs at least 3 different points' })
  .refine((ring) => Math.abs(doubleArea(ring)) > 1e-12, { error: 'encloses nothing: its points lie on one line' });

export const CoverageKind = z.enum(['dead', 'degraded'], { error: 'kind must be "dead" or "degraded"' });
export type CoverageKind = z.infer<typeof CoverageKind>;

/** A place where the link is dead or degraded, and the conditions that play while the car is in it. */
export const Coverage = z
  .object({
    name: z.string().trim().min(1, { error: 'is empty' }).max(60, { error: 'must be at most 60 characters' }),
    kind: CoverageKind,
    ring: Ring,
    conditions: ConditionChange,
  })
  .strict();
export type Coverage = z.infer<typeof Coverage>;

export const Drive = z
  .object({
    /** An NMEA file (RMC sentences give the fixes), relative to the drill file, or beside the shipped drills. */
    route: z
      .string()
      .trim()
      .min(1, { error: 'is empty: name the NMEA file of the route' })
      .max(260)
      .refine((path) => !/^([A-Za-z]:)?[\\/]/.test(path), { error: 'must be relative to the drill file' }),
    /** Checked in file order: where polygons overlap, the first one the car is in plays. */
    coverage: z.array(Coverage).max(50).default([]),
    /** 2 plays the route twice as fast as it was driven. */
    speed: z.number({ error: 'must be a number' }).min(0.1, { error: 'must be 0.1 to 1000' }).max(1000, { error: 'must be 0.1 to 1000' }).default(1),
    /** Where the sentences go: the terminal's NMEA-over-UDP source (its profile's `gps.port`). */
    nmeaUdp: z
      .string()
      .default(DEFAULT_DRIVE_NMEA_UDP)
      .superRefine((text, context) => {
        const parsed = parseHostPort(text);
        if (typeof parsed === 'string') context.addIssue({ code: 'custom', message: parsed });
      }),
  })
  .strict();
export type Drive = z.infer<typeof Drive>;

/** Whether `[lat, lon]` lies on the segment from `a` to `b` (within a hair, as degrees written to 4 decimal minutes are). */
function onSegment([lat, lon]: LatLon, a: LatLon, b: LatLon): boolean {
  const EPSILON = 1e-9;
  const cross = (b[1] - a[1]) * (lat - a[0]) - (b[0] - a[0]) * (lon - a[1]);
  if (Math.abs(cross) > EPSILON) return false;
  return lat >= Math.min(a[0], b[0]) - EPSILON && lat <= Math.max(a[0], b[0]) + EPSILON && lon >= Math.min(a[1], b[1]) - EPSILON && lon <= Math.max(a[1], b[1]) + EPSILON;
}

/**
 * Whether the point is inside the ring or on its edge (a car on the boundary is in the canyon: the conservative
 * choice for a dead zone). Even-odd ray casting along the longitude axis; rings never cross the antimeridian here.
 */
export function insidePolygon(point: LatLon, ring: readonly LatLon[]): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [a, b] = [ring[i]!, ring[j]!];
    if (onSegment(point, a, b)) return true;
    // Counts edges the eastward ray from the point crosses; the half-open test counts a vertex on the ray once.
    if (a[0] > point[0] !== b[0] > point[0]) {
      const crossingLon = a[1] + ((point[0] - a[0]) * (b[1] - a[1])) / (b[0] - a[0]);
      if (point[1] < crossingLon) inside = !inside;
    }
  }
  return inside;
}

/** The index of the first coverage polygon the point is in, or null for open country. */
export function coverageAt(point: LatLon, coverage: readonly Pick<Coverage, 'ring'>[]): number | null {
  const index = coverage.findIndex((area) => insidePolygon(point, area.ring));
  return index === -1 ? null : index;
}

/** One fix of a route: where the car was, its speed, and when (the route's own clock, epoch ms). */
export interface RouteFix {
  atMs: number;
  lat: number;
  lon: number;
  speedKnots: number | null;
}

export type RouteParse = { ok: true; fixes: RouteFix[] } | { ok: false; error: string };

/**
 * A route file's fixes, from its valid RMC sentences (GGA has no date, and RMC carries speed), in time order. Comment
 * lines (`#`) and sentences of other kinds are skipped; a sentence with a bad checksum makes the file bad, naming its line.
 */
export function parseRoute(text: string): RouteParse {
  const fixes: RouteFix[] = [];
  const lines = text.split('\n');
  for (const [index, raw] of lines.entries()) {
    const line = raw.replace(/\r$/, '').trim();
    if (line === '' || line.startsWith('#')) continue;
    const parsed = parseNmea(line);
    if (!parsed.ok) {
      if (parsed.reason === 'unsupported') continue;
      return { ok: false, error: `line ${index + 1}: ${parsed.detail}` };
    }
    const sentence = parsed.sentence;
    if (sentence.type !== 'RMC' || !sentence.valid) continue;
    fixes.push({ atMs: sentence.fixTime!, lat: sentence.lat!, lon: sentence.lon!, speedKnots: sentence.speedKnots });
  }
  if (fixes.length === 0) return { ok: false, error: 'has no valid fix (a $GxRMC sentence with status A)' };
  // Stable, so two fixes of one second keep file order.
  fixes.sort((a, b) => a.atMs - b.atMs);
  return { ok: true, fixes };
}

/** The car entering or leaving a coverage polygon, as the report lists it. */
export const DriveCrossing = z.object({
  event: z.enum(['entered', 'left']),
  area: z.string(),
  kind: CoverageKind,
  cycle: z.number().int(),
  /** Seconds into the drill's cycle. */
  atSeconds: z.number(),
  at: z.iso.datetime(),
});
export type DriveCrossing = z.infer<typeof DriveCrossing>;

/** What the instructor page draws: the route, the coverage, and where the car is now. */
export const DriveView = z.object({
  /** Playing while its drill runs; stopped once the drill has ended or been stopped. */
  state: z.enum(['running', 'stopped']),
  route: z.string(),
  /** Where the sentences go, `HOST:PORT`. */
  nmeaUdp: z.string(),
  speed: z.number(),
  /** The route's fixes, thinned to at most a few hundred points, in order. */
  path: z.array(LatLon),
  coverage: z.array(z.object({ name: z.string(), kind: CoverageKind, ring: z.array(LatLon) })),
  /** The last fix sent; null before the first. */
  car: z.object({ lat: z.number(), lon: z.number(), speedKnots: z.number().nullable(), sentAt: z.iso.datetime() }).nullable(),
  /** The coverage polygon the car is in, by name; null in open country. */
  inside: z.string().nullable(),
  sentences: z.number().int().min(0),
});
export type DriveView = z.infer<typeof DriveView>;

/** GET `adminDrive`: the drive, or null when the drill has none (or no drill has played). */
export const DriveAnswer = z.object({ drive: DriveView.nullable() });
export type DriveAnswer = z.infer<typeof DriveAnswer>;
