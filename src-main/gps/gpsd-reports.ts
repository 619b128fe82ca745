// gpsd's JSON protocol, the part Outrider reads: the WATCH command, and TPV reports turned into fixes.
import { z } from 'zod';
import { checkFix, type GpsReport } from '../../src-shared/gps.ts';

/** Asks gpsd to stream JSON reports from every receiver it has. */
export const GPSD_WATCH = '?WATCH={"enable":true,"json":true};\n';

/** gpsd's time-position-velocity report. Other fields (altitude, errors, track...) are not read. */
const Tpv = z.object({
  class: z.literal('TPV'),
  /** 0 unknown, 1 no fix, 2 two-dimensional fix, 3 three-dimensional fix. */
  mode: z.number().int().min(0).max(3),
  time: z.string().optional(),
  lat: z.number().optional(),
  lon: z.number().optional(),
  /** Metres per second, unlike NMEA's knots. */
  speed: z.number().optional(),
});

const Line = z.object({ class: z.string() });

/** A report to pass on, a TPV dropped (with why), or nothing (another class of report, such as SKY or VERSION). */
export type GpsdOutcome = GpsReport | { kind: 'rejected'; reason: 'malformed' | 'implausible'; message: string } | undefined;

/** Reads one line of gpsd's output; `receivedAt` is this machine's clock when it arrived. */
export function readGpsdLine(line: string, receivedAt: number): GpsdOutcome {
  let json: unknown;
  try {
    json = JSON.parse(line);
  } catch {
    return { kind: 'rejected', reason: 'malformed', message: 'not JSON' };
  }
  const kind = Line.safeParse(json);
  if (!kind.success) return { kind: 'rejected', reason: 'malformed', message: 'a JSON line without a class' };
  if (kind.data.class !== 'TPV') return undefined;
  const tpv = Tpv.safeParse(json);
  if (!tpv.success) return { kind: 'rejected', reason: 'malformed', message: `TPV ${tpv.error.issues[0]!.path.join('.')}: ${tpv.error.issues[0]!.message}` };
  const { mode, time, lat, lon, speed } = tpv.data;
  if (mode < 2) return { kind: 'no-fix' };
  // gpsd's first report from a receiver can come before it knows the time: not a fault, and the next one has it.
  if (time === undefined) return undefined;
  const fixTime = Date.parse(time);
  if (lat === undefined || lon === undefined || !Number.isFinite(fixTime)) {
    return { kind: 'rejected', reason: 'malformed', message: 'a TPV fix without latitude, longitude or a readable time' };
  }
  const checked = checkFix({ lat, lon, speedMps: speed ?? null, fixTime, receivedAt, source: 'gpsd' });
  return checked.ok ? { kind: 'fix', fix: checked.fix } : { kind: 'rejected', reason: checked.reason, message: checked.message };
}
