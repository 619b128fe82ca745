// The motion lock as the page holds it: each GPS status stepped through the rule, and a timer for a release
// (or a fix going stale) that falls due while the GPS says nothing new.
import type { GpsStatus } from '../../src-shared/gps.ts';
import { type MotionLockRule, type MotionLockState, stepMotionLock, UNLOCKED } from './motion-lock.ts';

/** The clock the lock reads, so a test can drive it. */
export interface MotionClock {
  now(): number;
  setTimeout(run: () => void, ms: number): unknown;
  clearTimeout(timer: unknown): void;
}

const SYSTEM_CLOCK: MotionClock = {
  now: () => Date.now(),
  setTimeout: (run, ms) => setTimeout(run, ms),
  clearTimeout: (timer) => clearTimeout(timer as ReturnType<typeof setTimeout>),
};

export class MotionLock {
  /** Whether the query forms are locked now. */
  locked = $state(false);
  readonly thresholdMph: number | undefined;
  readonly #rule: MotionLockRule;
  readonly #clock: MotionClock;
  #state: MotionLockState = UNLOCKED;
  #status: GpsStatus | undefined;
  #timer: unknown;

  constructor(rule: MotionLockRule, clock: MotionClock = SYSTEM_CLOCK) {
    this.thresholdMph = rule.thresholdMph;
    this.#rule = rule;
    this.#clock = clock;
  }

  /** Takes the GPS status now (call it on every change); the lock follows at once, and by timer after. */
  update(status: GpsStatus | undefined): void {
    this.#status = status;
    this.#step();
  }

  dispose(): void {
    this.#cancelTimer();
  }

  #step(): void {
    this.#cancelTimer();
    const now = this.#clock.now();
    const { state, recheckAt } = stepMotionLock(this.#state, this.#status, now, this.#rule);
    // Compared with the plain previous state, never by reading `locked`: an effect calling update() must not
    // come to depend on the lock it sets.
    if (this.#state.locked !== state.locked) this.locked = state.locked;
    this.#state = state;
    if (recheckAt !== undefined) this.#timer = this.#clock.setTimeout(() => this.#step(), Math.max(0, recheckAt - now));
  }

  #cancelTimer(): void {
    if (this.#timer !== undefined) this.#clock.clearTimeout(this.#timer);
    this.#timer = undefined;
  }
}
