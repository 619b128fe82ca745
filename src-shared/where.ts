// Where the car was when a query was entered or an audit line written: the fix then, or, said outright, why there was none.
import { z } from 'zod';
import { FIELD_CONFIG } from './field-config.ts';
import type { GpsStatus } from './gps.ts';

/** A current fix: latitude and longitude in degrees (WGS 84), and when the receiver took it (UTC, ISO 8601). */
export const Position = z
  .object({
    lat: z.number().min(-90).max(90),
    lon: z.number().min(-180).max(180),
    fixAt: z.iso.datetime(),
  })
  .strict();
export type Position = z.infer<typeof Position>;

/**
 * Why no position was recorded: the last fix was over `gpsStaleAfterMs` old (`stale`), the receiver had none
 * (`no-fix`), the source could not be reached or had not yet said anything (`unavailable`), or there is no GPS
 * (`off`: none in the agency profile, or a browser that does not permit location).
 */
export const NoFixReason = z.enum(['stale', 'no-fix', 'unavailable', 'off']);
export type NoFixReason = z.infer<typeof NoFixReason>;

export const NoFix = z.object({ noFix: NoFixReason }).strict();
export type NoFix = z.infer<typeof NoFix>;

/** A position, or no fix and why: a terminal that records where always says one or the other, never nothing. */
export const Where = z.union([Position, NoFix]);
export type Where = z.infer<typeof Where>;

export const hasFix = (where: Where): where is Position => 'lat' in where;

const rounded = (degrees: number): number => Number(degrees.toFixed(FIELD_CONFIG.whereRecordedDecimals));

/**
 * Where the car is at `now`, by the GPS status the terminal holds: the last fix only while it is current (the
 * tracker still calls it a fix and this machine heard it within `staleAfterMs`, as the motion lock judges), else
 * no fix and why. A status not yet known counts as unavailable.
 */
export function whereNow(status: GpsStatus | undefined, now: number, staleAfterMs: number = FIELD_CONFIG.gpsStaleAfterMs): Where {
  if (!status) return { noFix: 'unavailable' };
  if (status.state !== 'fix') return { noFix: status.state };
  const fix = status.lastFix;
  if (!fix) return { noFix: 'no-fix' };
  if (now - fix.receivedAt > staleAfterMs) return { noFix: 'stale' };
  return { lat: rounded(fix.lat), lon: rounded(fix.lon), fixAt: new Date(fix.fixTime).toISOString() };
}

/** `where` as the audit chain hashes it: a fixed order of values, whatever order its keys came in. */
export function whereCanonical(where: Where): unknown[] {
  return hasFix(where) ? ['fix', where.lat, where.lon, where.fixAt] : ['no-fix', where.noFix];
}
