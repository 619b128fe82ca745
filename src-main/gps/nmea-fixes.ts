// Makes fixes from parsed RMC and GGA sentences: RMC carries the fix, GGA stands in only for a modem that sends no RMC.
import { FIELD_CONFIG } from '../../src-shared/field-config.ts';
import { checkFix, type GpsReport, knotsToMps } from '../../src-shared/gps.ts';
import type { GgaSentence, NmeaSentence } from '../../src-shared/nmea.ts';

const DAY_MS = 24 * 60 * 60 * 1000;

/** A report to pass on, a fix dropped as implausible (with why), or nothing new (a GGA while RMC is flowing). */
export type NmeaOutcome = GpsReport | { kind: 'implausible'; message: string } | undefined;

export class NmeaFixes {
  #lastRmcAt = -Infinity;

  /** `receivedAt` is this machine's clock when the sentence arrived. */
  accept(sentence: NmeaSentence, receivedAt: number): NmeaOutcome {
    if (sentence.type === 'RMC') {
      this.#lastRmcAt = receivedAt;
      if (!sentence.valid) return { kind: 'no-fix' };
      const speedMps = sentence.speedKnots === null ? null : knotsToMps(sentence.speedKnots);
      return this.#fix({ lat: sentence.lat!, lon: sentence.lon!, speedMps, fixTime: sentence.fixTime!, receivedAt });
    }
    // Both sentences of one second describe the same fix; counting it twice would flap between them.
    if (receivedAt - this.#lastRmcAt < FIELD_CONFIG.nmeaRmcPreferredMs) return undefined;
    if (!sentence.valid) return { kind: 'no-fix' };
    return this.#fix({ lat: sentence.lat!, lon: sentence.lon!, speedMps: null, fixTime: ggaFixTime(sentence, receivedAt), receivedAt });
  }

  #fix(candidate: { lat: number; lon: number; speedMps: number | null; fixTime: number; receivedAt: number }): NmeaOutcome {
    const checked = checkFix({ ...candidate, source: 'nmea-udp' });
    return checked.ok ? { kind: 'fix', fix: checked.fix } : { kind: 'implausible', message: checked.message };
  }
}

/** GGA has no date: take this machine's, and the day before or after when the fix's hour is across midnight from ours. */
function ggaFixTime(sentence: GgaSentence, receivedAt: number): number {
  const midnight = Math.floor(receivedAt / DAY_MS) * DAY_MS;
  const candidate = midnight + sentence.timeOfDayMs!;
  if (candidate - receivedAt > DAY_MS / 2) return candidate - DAY_MS;
  if (receivedAt - candidate > DAY_MS / 2) return candidate + DAY_MS;
  return candidate;
}
