// Locks an idle screen and asks for a new sign-in when the 12-hour one ends: the session's two clocks.
import { FIELD_CONFIG } from '../../src-shared/field-config.ts';

/** setTimeout's longest delay; a later deadline is re-armed when this one fires. */
const MAX_DELAY_MS = 2_147_483_647;
const ACTIVITY_EVENTS = ['keydown', 'pointerdown', 'touchstart', 'wheel'] as const;

export interface IdleLockDeps {
  lockAfterMs: number;
  now: () => number;
  /** No activity here or in another window for `lockAfterMs`. */
  onIdle(): void;
  /** The sign-in's `expiresAt` has passed. */
  onReauthDue(): void;
  /** Activity here, at most once per FIELD_CONFIG.activityShareMs: other windows are told, so they do not lock. */
  onActivity?(at: number): void;
}

export class IdleLock {
  #counting = false;
  #lastActivity = 0;
  #lastShared = 0;
  #idleTimer: ReturnType<typeof setTimeout> | undefined;
  #reauthTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly deps: IdleLockDeps) {}

  /** The officer is at work from now: count idleness, and watch for the sign-in's end at `expiresAt`. */
  start(expiresAt: number | undefined): void {
    this.#counting = true;
    this.#lastActivity = this.deps.now();
    this.#armIdle(this.deps.lockAfterMs);
    this.#armReauth(expiresAt);
  }

  /** The screen is locked: idleness no longer counts; the sign-in's end is still watched. */
  pause(): void {
    this.#counting = false;
    clearTimeout(this.#idleTimer);
  }

  /** The shift has ended here: both clocks stop. */
  stop(): void {
    this.pause();
    clearTimeout(this.#reauthTimer);
  }

  /** The officer touched this window. */
  activity(): void {
    if (!this.#counting) return;
    const now = this.deps.now();
    this.#lastActivity = now;
    if (now - this.#lastShared >= FIELD_CONFIG.activityShareMs) {
      this.#lastShared = now;
      this.deps.onActivity?.(now);
    }
  }

  /** Another window saw activity at `at`. */
  heard(at: number): void {
    this.#lastActivity = Math.max(this.#lastActivity, at);
  }

  /** Counts keys, pointers, touches and wheels on `target` as activity; returns the unsubscribe. */
  watch(target: EventTarget): () => void {
    const onActivity = () => this.activity();
    for (const type of ACTIVITY_EVENTS) target.addEventListener(type, onActivity, { capture: true, passive: true });
    return () => ACTIVITY_EVENTS.forEach((type) => target.removeEventListener(type, onActivity, { capture: true }));
  }

  #armIdle(delayMs: number): void {
    clearTimeout(this.#idleTimer);
    this.#idleTimer = setTimeout(() => {
      const idle = this.deps.now() - this.#lastActivity;
      if (idle >= this.deps.lockAfterMs) this.deps.onIdle();
      else this.#armIdle(this.deps.lockAfterMs - idle);
    }, Math.min(delayMs, MAX_DELAY_MS));
  }

  #armReauth(expiresAt: number | undefined): void {
    clearTimeout(this.#reauthTimer);
    if (expiresAt === undefined) return;
    const remaining = expiresAt - this.deps.now();
    this.#reauthTimer = setTimeout(
      () => (this.deps.now() >= expiresAt ? this.deps.onReauthDue() : this.#armReauth(expiresAt)),
      Math.max(0, Math.min(remaining, MAX_DELAY_MS)),
    );
  }
}
