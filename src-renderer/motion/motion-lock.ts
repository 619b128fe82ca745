// Whether the car is moving fast enough to lock the query forms: a pure step from one GPS reading to the next.
import { FIELD_CONFIG } from '../../src-shared/field-config.ts';
import { type GpsStatus, mpsToMph } from '../../src-shared/gps.ts';

/** Locked or not, and while locked, since when the car has been at or below the threshold (a release under way). */
export interface MotionLockState {
  readonly locked: boolean;
  readonly slowSince?: number;
}

export interface MotionLockRule {
  /** The profile's motionLockMph; no lock at all when absent. */
  thresholdMph: number | undefined;
  staleAfterMs?: number;
  releaseAfterMs?: number;
}

/** The next state, and when to look again if no new reading comes (a release falling due, a fix going stale). */
export interface MotionLockStep {
  state: MotionLockState;
  recheckAt?: number;
}

export const UNLOCKED: MotionLockState = { locked: false };

/**
 * The car's speed in mph from a fix that is current now, else undefined: a stale fix, no fix, an unavailable
 * source, or a fix without a speed. Fresh means the tracker still calls it a fix and this machine heard it within
 * `gpsStaleAfterMs`, so a stale push that comes late cannot hold the lock.
 */
export function freshSpeedMph(status: GpsStatus | undefined, now: number, staleAfterMs: number = FIELD_CONFIG.gpsStaleAfterMs): number | undefined {
  const fix = status?.state === 'fix' ? status.lastFix : undefined;
  if (!fix || fix.speedMps === null || now - fix.receivedAt > staleAfterMs) return undefined;
  return mpsToMph(fix.speedMps);
}

/**
 * One step of the motion lock. Above the threshold on a current fix: locked at once. At or below it: released once
 * it has stayed there `releaseAfterMs`, and a faster reading in between starts the wait again. An unknown speed
 * (stale fix, no fix, GPS lost, no speed in the fix) releases at once and never locks: a lost GPS must not lock
 * an officer out of the forms, and the officer, not the terminal, is then the judge of whether the car is moving.
 */
export function stepMotionLock(state: MotionLockState, status: GpsStatus | undefined, now: number, rule: MotionLockRule): MotionLockStep {
  const { thresholdMph, staleAfterMs = FIELD_CONFIG.gpsStaleAfterMs, releaseAfterMs = FIELD_CONFIG.motionLockReleaseMs } = rule;
  const speed = thresholdMph === undefined ? undefined : freshSpeedMph(status, now, staleAfterMs);
  if (thresholdMph === undefined || speed === undefined) return { state: UNLOCKED };
  // Looked at again when the fix would turn stale, in case no stale push follows (the host gone quiet).
  const staleAt = status!.lastFix!.receivedAt + staleAfterMs + 1;
  if (speed > thresholdMph) return { state: { locked: true }, recheckAt: staleAt };
  if (!state.locked) return { state: UNLOCKED };
  const slowSince = state.slowSince ?? now;
  if (now - slowSince >= releaseAfterMs) return { state: UNLOCKED };
  return { state: { locked: true, slowSince }, recheckAt: Math.min(slowSince + releaseAfterMs, staleAt) };
}
