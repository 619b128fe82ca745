// NMEA 0183 sentences as in-car modems send them: the checksum, the talker, and the RMC and GGA fields, parsed strictly.
// Shared: the main process reads them from the car, the drill switch checks the routes it replays.

/** Talkers whose RMC and GGA are position fixes: GPS, combined GNSS, GLONASS, Galileo, BeiDou. */
export const NMEA_TALKERS = ['GP', 'GN', 'GL', 'GA', 'GB'] as const;
export type NmeaTalker = (typeof NMEA_TALKERS)[number];

/** Why a sentence was dropped. `unsupported` is a good sentence of a kind we do not read (GSV, VTG...), not a fault. */
export type NmeaRejection = 'checksum' | 'malformed' | 'talker';

/** The recommended minimum sentence: fix validity, position, speed over ground, and the date, which GGA lacks. */
export interface RmcSentence {
  readonly type: 'RMC';
  readonly talker: NmeaTalker;
  /** False for status V, or a mode of no fix, dead reckoning, manual input or simulator. */
  readonly valid: boolean;
  /** Present when `valid`; for a void sentence, whatever it carried. */
  readonly fixTime?: number;
  readonly lat?: number;
  readonly lon?: number;
  /** Null when the field is empty. */
  readonly speedKnots: number | null;
}

/** The fix data sentence: position, fix quality and satellites; the time of day, but no date and no speed. */
export interface GgaSentence {
  readonly type: 'GGA';
  readonly talker: NmeaTalker;
  /** False for quality 0 (no fix), 6 (dead reckoning), 7 (manual) or 8 (simulator). */
  readonly valid: boolean;
  readonly timeOfDayMs?: number;
  readonly lat?: number;
  readonly lon?: number;
  readonly satellites?: number;
}

export type NmeaSentence = RmcSentence | GgaSentence;

export type NmeaParse =
  | { ok: true; sentence: NmeaSentence }
  | { ok: false; reason: NmeaRejection | 'unsupported'; detail: string };

/** The longest line accepted: the standard allows 82 characters, and some receivers add digits of precision. */
const MAX_SENTENCE_LENGTH = 128;

/** XOR of every character between `$` and `*`, as two upper-case hex digits. */
export function nmeaChecksum(body: string): string {
  let sum = 0;
  for (let i = 0; i < body.length; i++) sum ^= body.charCodeAt(i);
  return sum.toString(16).toUpperCase().padStart(2, '0');
}

/** `$body*HH`, without the line end. */
export function nmeaSentence(body: string): string {
  return `$${body}*${nmeaChecksum(body)}`;
}

const rejected = (reason: NmeaRejection | 'unsupported', detail: string): NmeaParse => ({ ok: false, reason, detail });

/** Parses one sentence (line end optional). Anything not exactly right is rejected with its reason. */
export function parseNmea(line: string): NmeaParse {
  const text = line.replace(/\r?\n$/, '');
  if (text.length > MAX_SENTENCE_LENGTH) return rejected('malformed', `longer than ${MAX_SENTENCE_LENGTH} characters`);
  const framed = /^\$([\x20-\x7e]+)\*([0-9A-Fa-f]{2})$/.exec(text);
  if (!framed) return /^\$[^*]*$/.test(text) ? rejected('checksum', 'no checksum') : rejected('malformed', 'not a $...*HH sentence');
  const [, body, sum] = framed as unknown as [string, string, string];
  if (nmeaChecksum(body) !== sum.toUpperCase()) return rejected('checksum', `checksum ${sum}, expected ${nmeaChecksum(body)}`);
  const fields = body.split(',');
  const address = fields[0]!;
  if (!/^[A-Z0-9]{5}$/.test(address)) return rejected('unsupported', `address ${address}`);
  const type = address.slice(2);
  if (type !== 'RMC' && type !== 'GGA') return rejected('unsupported', `${address} is not read`);
  const talker = address.slice(0, 2);
  if (!(NMEA_TALKERS as readonly string[]).includes(talker)) return rejected('talker', `talker ${talker} does not give position fixes`);
  const sentence = type === 'RMC' ? parseRmc(talker as NmeaTalker, fields) : parseGga(talker as NmeaTalker, fields);
  return typeof sentence === 'string' ? rejected('malformed', `${address}: ${sentence}`) : { ok: true, sentence };
}

/** RMC modes that mean satellites fixed the position: autonomous, differential, precise, RTK, float RTK. */
const RMC_FIX_MODES = new Set(['A', 'D', 'P', 'R', 'F']);

function parseRmc(talker: NmeaTalker, fields: string[]): RmcSentence | string {
  // NMEA 2.0 has 11 data fields; 2.3 adds the mode, 4.1 the navigational status.
  if (fields.length < 12 || fields.length > 14) return `${fields.length - 1} fields`;
  const [, time, status, lat, ns, lon, ew, speed, , date] = fields as [string, string, string, string, string, string, string, string, string, string];
  const mode = fields[12];
  if (status !== 'A' && status !== 'V') return `status ${status}`;
  const valid = status === 'A' && (mode === undefined || mode === '' || RMC_FIX_MODES.has(mode));
  const position = parsePosition(lat, ns, lon, ew);
  const speedKnots = speed === '' ? null : parseDecimal(speed);
  const timeOfDay = parseTimeOfDay(time);
  const day = parseDate(date);
  if (typeof position === 'string') return position;
  if (speedKnots === undefined) return `speed ${speed}`;
  if (timeOfDay === undefined && time !== '') return `time ${time}`;
  if (day === undefined && date !== '') return `date ${date}`;
  if (valid && (!position || timeOfDay === undefined || day === undefined)) return 'a valid fix without position, time or date';
  const fixTime = timeOfDay !== undefined && day !== undefined ? day + timeOfDay : undefined;
  return { type: 'RMC', talker, valid, speedKnots, ...position, ...(fixTime !== undefined ? { fixTime } : {}) };
}

/** GGA qualities that mean satellites fixed the position: GPS, differential, PPS, RTK, float RTK. */
const GGA_FIX_QUALITIES = new Set(['1', '2', '3', '4', '5']);

function parseGga(talker: NmeaTalker, fields: string[]): GgaSentence | string {
  if (fields.length !== 15) return `${fields.length - 1} fields`;
  const [, time, lat, ns, lon, ew, quality, satellites] = fields as [string, string, string, string, string, string, string, string];
  if (!/^[0-8]$/.test(quality)) return `quality ${quality}`;
  const valid = GGA_FIX_QUALITIES.has(quality);
  const position = parsePosition(lat, ns, lon, ew);
  const timeOfDayMs = parseTimeOfDay(time);
  if (typeof position === 'string') return position;
  if (timeOfDayMs === undefined && time !== '') return `time ${time}`;
  if (satellites !== '' && !/^\d{1,2}$/.test(satellites)) return `satellites ${satellites}`;
  if (valid && (!position || timeOfDayMs === undefined)) return 'a valid fix without position or time';
  return {
    type: 'GGA',
    talker,
    valid,
    ...position,
    ...(timeOfDayMs !== undefined ? { timeOfDayMs } : {}),
    ...(satellites !== '' ? { satellites: Number(satellites) } : {}),
  };
}

/** A number such as `22.4`; undefined when it is not one. */
function parseDecimal(text: string): number | undefined {
  return /^\d+(\.\d+)?$/.test(text) ? Number(text) : undefined;
}

/** `ddmm.mmmm`,N and `dddmm.mmmm`,E to signed degrees; undefined when all four fields are empty; a string says what is wrong. */
function parsePosition(lat: string, ns: string, lon: string, ew: string): { lat: number; lon: number } | undefined | string {
  if (lat === '' && ns === '' && lon === '' && ew === '') return undefined;
  const latitude = parseAngle(lat, 2, 90);
  const longitude = parseAngle(lon, 3, 180);
  if (latitude === undefined || (ns !== 'N' && ns !== 'S')) return `latitude ${lat},${ns}`;
  if (longitude === undefined || (ew !== 'E' && ew !== 'W')) return `longitude ${lon},${ew}`;
  return { lat: ns === 'S' ? -latitude : latitude, lon: ew === 'W' ? -longitude : longitude };
}

function parseAngle(text: string, degreeDigits: number, limit: number): number | undefined {
  const match = new RegExp(`^(\\d{${degreeDigits}})(\\d{2}(?:\\.\\d+)?)$`).exec(text);
  if (!match) return undefined;
  const degrees = Number(match[1]) + Number(match[2]) / 60;
  return Number(match[2]) < 60 && degrees <= limit ? degrees : undefined;
}

/** `hhmmss.ss` to milliseconds since midnight UTC. */
function parseTimeOfDay(text: string): number | undefined {
  const match = /^(\d{2})(\d{2})(\d{2}(?:\.\d{1,3})?)$/.exec(text);
  if (!match) return undefined;
  const [hours, minutes, seconds] = [Number(match[1]), Number(match[2]), Number(match[3])];
  // 60 seconds is a leap second.
  if (hours > 23 || minutes > 59 || seconds >= 61) return undefined;
  return Math.round(((hours * 60 + minutes) * 60 + seconds) * 1000);
}

/** `ddmmyy` to midnight UTC of that day. Two-digit years before 80 are this century: GPS began in 1980. */
function parseDate(text: string): number | undefined {
  const match = /^(\d{2})(\d{2})(\d{2})$/.exec(text);
  if (!match) return undefined;
  const [day, month, yy] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const year = yy < 80 ? 2000 + yy : 1900 + yy;
  const midnight = Date.UTC(year, month - 1, day);
  const back = new Date(midnight);
  // Date.UTC rolls 31 February over into March; a real date comes back unchanged.
  return back.getUTCDate() === day && back.getUTCMonth() === month - 1 ? midnight : undefined;
}
