// Where a query was entered, as the officer reads it in its answer's details: the position and the fix's time, or no fix and why.
import { FIELD_CONFIG } from '../../src-shared/field-config.ts';
import { hasFix, type NoFixReason, type Where } from '../../src-shared/where.ts';
import { clockSeconds } from '../ui/time-format.ts';

const WHY: Readonly<Record<NoFixReason, string>> = {
  'no-fix': '',
  stale: ` (last fix over ${FIELD_CONFIG.gpsStaleAfterMs / 1000} s old)`,
  unavailable: ' (GPS unavailable)',
  off: ' (no GPS)',
};

const degrees = (value: number) => value.toFixed(FIELD_CONFIG.whereShownDecimals);

/** "Where: 34.05224, -118.24368 (fix 14:02:11)", or "Where: no fix" with why when there is more to say. */
export function whereText(where: Where): string {
  if (!hasFix(where)) return `Where: no fix${WHY[where.noFix]}`;
  return `Where: ${degrees(where.lat)}, ${degrees(where.lon)} (fix ${clockSeconds(where.fixAt)})`;
}
