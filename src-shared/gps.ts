// The car's position: the fix every GPS source produces, the state the terminal shows, and the profile's choice of source.
import { z } from 'zod';
import { FIELD_CONFIG } from './field-config.ts';

/** Where a fix came from: the GPS service, the car modem's NMEA broadcast, or the browser's own geolocation. */
export const GpsSourceKind = z.enum(['gpsd', 'nmea-udp', 'geolocation']);
export type GpsSourceKind = z.infer<typeof GpsSourceKind>;

/** One position report a source vouches for. Times are milliseconds since the epoch (UTC). */
export const Fix = z
  .object({
    lat: z.number().min(-90).max(90),
    lon: z.number().min(-180).max(180),
    /** Ground speed; null when the source did not say (NMEA GGA has no speed). */
    speedMps: z
      .number()
      .min(0, { error: 'a negative speed' })
      .max(FIELD_CONFIG.gpsMaxSpeedMps, { error: `a speed above ${FIELD_CONFIG.gpsMaxSpeedMps} m/s, which no car makes` })
      .nullable(),
    /** When the receiver took the fix, by the satellites' clock. */
    fixTime: z.number().int(),
    /** When this machine heard of it: staleness is judged by this, so a receiver's clock cannot make a fix look fresh. */
    receivedAt: z.number().int(),
    source: GpsSourceKind,
  })
  .strict();
export type Fix = z.infer<typeof Fix>;

/**
 * What the status bar shows: `fix` (a fix younger than `gpsStaleAfterMs`), `stale` (none since), `no-fix` (the
 * receiver talks but has no fix, as in a tunnel), `unavailable` (the source cannot be reached) or `off` (none chosen).
 */
export const GpsState = z.enum(['fix', 'stale', 'no-fix', 'unavailable', 'off']);
export type GpsState = z.infer<typeof GpsState>;

export const GpsStatus = z
  .object({
    state: GpsState,
    source: z.union([GpsSourceKind, z.literal('none')]),
    /** The last accepted fix, kept through no-fix and stale so the last known position is never lost. */
    lastFix: Fix.optional(),
    /** Why the source is unavailable or off, in words, for the status bar's title. */
    detail: z.string().max(300).optional(),
  })
  .strict();
export type GpsStatus = z.infer<typeof GpsStatus>;

/** What a source tells its listener: a fix, a receiver without one, or that it cannot reach the receiver at all. */
export type GpsReport = { kind: 'fix'; fix: Fix } | { kind: 'no-fix' } | { kind: 'unavailable'; reason: string };

/** Sentences or reports a source dropped, by reason; a dropped report is counted, never trusted. */
export type GpsRejections = Readonly<Record<string, number>>;

/** One GPS source. It starts when made; `close` stops it and frees its socket, and is safe to call twice. */
export interface GpsSource {
  readonly kind: GpsSourceKind;
  /** Calls `listener` with every report from now on; returns the unsubscribe. */
  onReport(listener: (report: GpsReport) => void): () => void;
  /** Fixes accepted and reports dropped so far. */
  counts(): { fixes: number; rejected: GpsRejections };
  close(): Promise<void>;
}

/** A candidate fix against the schema: the fix, or the reason it was dropped (a speed of 9,999 knots, say). */
export function checkFix(candidate: Fix): { ok: true; fix: Fix } | { ok: false; reason: 'implausible' | 'malformed'; message: string } {
  const parsed = Fix.safeParse(candidate);
  if (parsed.success) return { ok: true, fix: parsed.data };
  const issue = parsed.error.issues[0]!;
  const implausible = issue.path[0] === 'speedMps' || issue.path[0] === 'lat' || issue.path[0] === 'lon';
  return { ok: false, reason: implausible ? 'implausible' : 'malformed', message: `${issue.path.join('.')}: ${issue.message}` };
}

/** Knots, as NMEA gives speed, to metres per second, as everything else here uses (1 knot = 1852 m per hour). */
export const knotsToMps = (knots: number): number => (knots * 1852) / 3600;
/** Metres per second to miles per hour, for the status bar and the profile's motion lock (1 mile = 1609.344 m). */
export const mpsToMph = (mps: number): number => (mps * 3600) / 1609.344;

const port = (missing: string) =>
  z
    .number({ error: (issue) => (issue.input === undefined ? missing : 'port must be a number') })
    .int({ error: 'port must be a whole number' })
    .min(1, { error: 'port must be 1 to 65535' })
    .max(65535, { error: 'port must be 1 to 65535' });

/** gpsd's own default address: it listens on loopback port 2947 unless told otherwise. */
export const GPSD_DEFAULT = { host: '127.0.0.1', port: 2947 } as const;

/** The agency profile's `gps` setting: which source gives the car's position, and where to find it. */
export const GpsSettings = z.discriminatedUnion(
  'source',
  [
    z.object({ source: z.literal('none') }).strict(),
    z
      .object({
        source: z.literal('gpsd'),
        host: z
          .string()
          .regex(/^[A-Za-z0-9.-]{1,253}$|^\[[0-9A-Fa-f:]+\]$/, { error: 'host must be a host name or address, such as 127.0.0.1' })
          .default(GPSD_DEFAULT.host),
        port: port('port must be a number').default(GPSD_DEFAULT.port),
      })
      .strict(),
    z
      .object({
        source: z.literal('nmea-udp'),
        /** The port the car modem or router sends its NMEA sentences to; no default, since every vendor picks its own. */
        port: port('port is required: the UDP port the car modem sends its NMEA sentences to'),
        /** The address to listen on: every interface by default, since the modem sends from the car's network. */
        bind: z.union([z.ipv4(), z.ipv6()], { error: 'bind must be an IP address, such as 0.0.0.0' }).default('0.0.0.0'),
        /** The modem's address: when set, datagrams from anywhere else are dropped and counted, so another device
         *  on the car's network cannot move the car on screen. */
        from: z.union([z.ipv4(), z.ipv6()], { error: 'from must be the IP address of the modem that sends the NMEA' }).optional(),
      })
      .strict(),
  ],
  {
    error: (issue) =>
      typeof issue.input === 'object' && issue.input !== null ? 'source must be "gpsd", "nmea-udp" or "none"' : 'gps must be an object such as {"source": "gpsd"}',
  },
);
export type GpsSettings = z.infer<typeof GpsSettings>;
