// A training officer's current one-time code, for signing in to a drill without an authenticator app.
import { TOTP } from 'otpauth';
import { DRILL_OFFICERS, type DrillOfficer } from '../auth/drill-officers.ts';

/** What the switch checks (auth/officer-directory.ts) and every authenticator app uses: RFC 6238's defaults. */
const TOTP_ALGORITHM = 'SHA1';
const TOTP_DIGITS = 6;
const TOTP_PERIOD_S = 30;

export interface DrillCode {
  officerId: string;
  /** The 6 digits an authenticator app holding the officer's secret shows at that moment. */
  code: string;
  /** Whole seconds, 1 to 30, until the next code replaces this one. */
  secondsLeft: number;
}

/** The code `officer`'s authenticator shows at `nowMs` (milliseconds since the epoch). */
export function drillCode(officer: DrillOfficer, nowMs: number): DrillCode {
  const totp = new TOTP({ secret: officer.totpSecret, algorithm: TOTP_ALGORITHM, digits: TOTP_DIGITS, period: TOTP_PERIOD_S });
  const periodMs = TOTP_PERIOD_S * 1000;
  const secondsLeft = Math.ceil((periodMs - (nowMs % periodMs)) / 1000);
  return { officerId: officer.id, code: totp.generate({ timestamp: nowMs }), secondsLeft };
}

/** Every officer's code at `nowMs`, in the order given: an instructor's list for a class. */
export function drillCodes(officers: readonly DrillOfficer[], nowMs: number): DrillCode[] {
  return officers.map((officer) => drillCode(officer, nowMs));
}

/** The training officer with this ID (case does not matter), or undefined. */
export function findDrillOfficer(officers: readonly DrillOfficer[], id: string): DrillOfficer | undefined {
  const wanted = id.trim().toUpperCase();
  return officers.find((officer) => officer.id === wanted);
}

/** The command that prints an officer's code, as a person types it in the project folder. */
export function drillCodeCommand(officerId: string): string {
  return `npm run drill-code -- ${officerId}`;
}

/**
 * The one line a switch or terminal prints at start so a newcomer can sign in. Only a drill's training
 * credentials are published: with `drill` false (a real officer directory) there is no hint at all.
 */
export function drillSignInHint({ drill, officer = DRILL_OFFICERS[0]! }: { drill: boolean; officer?: DrillOfficer }): string | undefined {
  if (!drill) return undefined;
  return `Drill sign-in: officer ${officer.id}, password ${officer.password}, code: ${drillCodeCommand(officer.id)}`;
}
