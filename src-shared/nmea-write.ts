// Writes the RMC and GGA sentences of one fix, as a car's receiver sends them: what a drill's drive replays.
import { nmeaSentence } from './nmea.ts';

/** One position of the car: where, how fast, and when (epoch ms, UTC). */
export interface NmeaFix {
  lat: number;
  lon: number;
  /** Speed over ground; null leaves the field empty. */
  speedKnots: number | null;
  /** Degrees true, 0 to 360; null leaves the field empty. */
  courseDegrees?: number | null;
  atMs: number;
}

const two = (n: number) => String(n).padStart(2, '0');

/** `hhmmss.ss`, UTC. */
function timeOfDay(at: Date): string {
  const centis = Math.floor(at.getUTCMilliseconds() / 10);
  return `${two(at.getUTCHours())}${two(at.getUTCMinutes())}${two(at.getUTCSeconds())}.${two(centis)}`;
}

/** `ddmmyy`, UTC. */
function day(at: Date): string {
  return `${two(at.getUTCDate())}${two(at.getUTCMonth() + 1)}${two(at.getUTCFullYear() % 100)}`;
}

/** Degrees as NMEA writes them: whole degrees, minutes to four places (about 0.2 m), then the hemisphere. */
export function nmeaAngle(value: number, degreeDigits: 2 | 3, positive: string, negative: string): string {
  // Rounded once, in ten-thousandths of a minute, so 59.99999 minutes carries into the next degree instead of reading 60.
  const tenThousandths = Math.round(Math.abs(value) * 60 * 10_000);
  const degrees = Math.floor(tenThousandths / (60 * 10_000));
  const minutes = (tenThousandths - degrees * 60 * 10_000) / 10_000;
  return `${String(degrees).padStart(degreeDigits, '0')}${minutes.toFixed(4).padStart(7, '0')},${value < 0 ? negative : positive}`;
}

const position = (fix: NmeaFix) => `${nmeaAngle(fix.lat, 2, 'N', 'S')},${nmeaAngle(fix.lon, 3, 'E', 'W')}`;

/** `$GPRMC,...*HH`: an autonomous fix (status A, mode A), with its date. */
export function rmcSentence(fix: NmeaFix): string {
  const at = new Date(fix.atMs);
  const speed = fix.speedKnots === null ? '' : fix.speedKnots.toFixed(1);
  const course = fix.courseDegrees === null || fix.courseDegrees === undefined ? '' : fix.courseDegrees.toFixed(1);
  return nmeaSentence(`GPRMC,${timeOfDay(at)},A,${position(fix)},${speed},${course},${day(at)},,,A`);
}

/** `$GPGGA,...*HH`: a GPS fix (quality 1) from 8 satellites. GGA has no date and no speed. */
export function ggaSentence(fix: NmeaFix): string {
  return nmeaSentence(`GPGGA,${timeOfDay(new Date(fix.atMs))},${position(fix)},1,08,0.9,0.0,M,0.0,M,,`);
}
