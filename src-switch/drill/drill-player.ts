// Plays a drill's timeline against the switch's link conditions, on a clock a test can drive.
import { LinkConditions, NORMAL_CONDITIONS } from '../../src-shared/conditions.ts';
import type { Drill, DrillState, DrillStatus } from '../../src-shared/drill.ts';
import { type DrillAction, timelineOf } from './timeline.ts';

/** What a drill acts on: the switch's ConditionPlayer. */
export interface DrillTarget {
  readonly current: LinkConditions;
  set(next: LinkConditions): Promise<void>;
  /** Tells `listener` of every change, whoever made it (a step, the instructor); returns the function that stops it. */
  onChange?(listener: (conditions: LinkConditions) => void): () => void;
}

/** Time for the player: the real one, or a test's. `setTimer` returns a function that cancels the timer. */
export interface DrillClock {
  now(): number;
  setTimer(run: () => void, ms: number): () => void;
}

export const systemClock: DrillClock = {
  now: () => Date.now(),
  setTimer: (run, ms) => {
    const timer = setTimeout(run, ms);
    return () => clearTimeout(timer);
  },
};

/** A step falling due (it is applied right after), for the instructor's console. */
export interface StepEvent {
  step: number;
  cycle: number;
  atSeconds: number;
  kind: 'set' | 'down' | 'up';
}

export type DrillOutcome = Extract<DrillState, 'ended' | 'stopped'>;

/** Where a running drill is on its timeline, as plain data: kept in the store across a process restart. */
export interface PlayerPosition {
  cycleStartMs: number;
  cycle: number;
  /** The timeline action due next. */
  next: number;
  restarting: boolean;
  outageBeforeRestart: boolean;
  lastError: string | null;
}

export class DrillPlayer {
  readonly #timeline: DrillAction[];
  #state: DrillState = 'idle';
  #next = 0;
  #cycle = 1;
  #cycleStartMs = 0;
  #cancelTimer: (() => void) | undefined;
  /** Steps are applied one after another, never two at once, even when a slow `set` overlaps the next timer. */
  #applying: Promise<void> = Promise.resolve();
  #restarting = false;
  /** Whether an outage was already on when a restart began, so the switch's return does not end it. */
  #outageBeforeRestart = false;
  #lastError: string | null = null;
  #finish!: (outcome: DrillOutcome) => void;
  /** Settles when the drill ends by itself or is stopped, once the link is back to normal. */
  readonly finished: Promise<DrillOutcome> = new Promise((resolve) => (this.#finish = resolve));

  constructor(
    readonly drill: Drill,
    private readonly target: DrillTarget,
    private readonly clock: DrillClock = systemClock,
    private readonly onStep: (event: StepEvent) => void = () => {},
  ) {
    this.#timeline = timelineOf(drill);
  }

  get state(): DrillState {
    return this.#state;
  }

  /** Starts from a normal link, as every cycle of the drill does. */
  start(): void {
    if (this.#state !== 'idle') throw new Error('A drill player plays once; make a new one to play again');
    this.#state = 'running';
    this.#cycleStartMs = this.clock.now();
    this.#apply(() => this.target.set(NORMAL_CONDITIONS));
    this.#schedule();
  }

  /**
   * Carries on from `position`, which another process recorded before a restart step killed it: no normal link
   * first, and the next action when it falls due (at once if overdue), so later steps keep to the drill's schedule.
   */
  resume(position: PlayerPosition): void {
    if (this.#state !== 'idle') throw new Error('A drill player plays once; make a new one to play again');
    this.#state = 'running';
    this.#cycleStartMs = position.cycleStartMs;
    this.#cycle = position.cycle;
    this.#next = position.next;
    this.#restarting = position.restarting;
    this.#outageBeforeRestart = position.outageBeforeRestart;
    this.#lastError = position.lastError;
    this.#schedule();
  }

  position(): PlayerPosition {
    return {
      cycleStartMs: this.#cycleStartMs,
      cycle: this.#cycle,
      next: this.#next,
      restarting: this.#restarting,
      outageBeforeRestart: this.#outageBeforeRestart,
      lastError: this.#lastError,
    };
  }

  /** When the next action falls due (epoch ms): after a restart step went down, when the switch is to be back. */
  nextDueMs(): number {
    return this.#cycleStartMs + this.#timeline[this.#next]!.atMs;
  }

  /** A failure outside the player's own steps (a process restart that could not be kept), shown as the last error. */
  noteError(message: string): void {
    this.#lastError = message;
  }

  /** Stops the drill where it is and puts the link back to normal (a restart in progress comes back up). */
  async stop(): Promise<void> {
    if (this.#state !== 'running') return this.settled();
    this.#cancelTimer?.();
    this.#finishWith('stopped');
    return this.settled();
  }

  /** Resolves once every step due so far has been applied. */
  settled(): Promise<void> {
    return this.#applying;
  }

  status(): Omit<DrillStatus, 'source' | 'restartMode' | 'process'> {
    const next = this.#timeline.slice(this.#next).find((action) => action.kind === 'set' || action.kind === 'down');
    return {
      state: this.#state,
      name: this.drill.name,
      durationSeconds: this.drill.durationSeconds,
      loop: this.drill.loop,
      elapsedSeconds: this.#state === 'running' ? (this.clock.now() - this.#cycleStartMs) / 1000 : 0,
      cycle: this.#cycle,
      restarting: this.#restarting,
      nextStep: this.#state === 'running' && next && 'step' in next ? { index: next.step, at: next.atMs / 1000 } : null,
      lastError: this.#lastError,
    };
  }

  #schedule(): void {
    const action = this.#timeline[this.#next]!;
    // Timed from the cycle's start, not from the last step, so a slow step does not push the rest of the drill later.
    const delay = Math.max(0, this.#cycleStartMs + action.atMs - this.clock.now());
    this.#cancelTimer = this.clock.setTimer(() => this.#fire(), delay);
  }

  #fire(): void {
    // A timer can wake a millisecond early by the wall clock the steps are timed on: a step never falls due early.
    if (this.clock.now() < this.#cycleStartMs + this.#timeline[this.#next]!.atMs) return this.#schedule();
    const action = this.#timeline[this.#next++]!;
    if (action.kind !== 'end') {
      this.#apply(() => this.#act(action));
      this.onStep({ step: action.step, cycle: this.#cycle, atSeconds: action.atMs / 1000, kind: action.kind });
      this.#schedule();
    } else if (this.drill.loop) {
      this.#cycle++;
      this.#cycleStartMs += this.drill.durationSeconds * 1000;
      this.#next = 0;
      this.#apply(() => this.target.set(NORMAL_CONDITIONS));
      this.#schedule();
    } else {
      this.#finishWith('ended');
    }
  }

  #act(action: Exclude<DrillAction, { kind: 'end' }>): Promise<void> {
    const current = this.target.current;
    if (action.kind === 'set') return this.target.set(LinkConditions.parse({ ...current, ...action.change }));
    if (action.kind === 'down') {
      this.#restarting = true;
      this.#outageBeforeRestart = current.outage;
      return this.target.set({ ...current, outage: true });
    }
    this.#restarting = false;
    return this.target.set({ ...current, outage: this.#outageBeforeRestart });
  }

  #finishWith(outcome: DrillOutcome): void {
    this.#state = outcome;
    this.#restarting = false;
    this.#apply(() => this.target.set(NORMAL_CONDITIONS));
    void this.#applying.then(() => this.#finish(outcome));
  }

  #apply(change: () => Promise<void>): void {
    this.#applying = this.#applying.then(change).catch((error: unknown) => {
      // The drill goes on: the next step may well succeed (the port free again), and the instructor sees the failure.
      this.#lastError = (error as Error).message;
    });
  }
}
