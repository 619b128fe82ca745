// Link health from heartbeat probes and real request outcomes; navigator.onLine is only a hint.
import { FIELD_CONFIG } from '../../src-shared/field-config.ts';
import { backoffDelay } from './backoff.ts';
import type { ProbeResult } from './switch-client.ts';

export type LinkState = 'checking' | 'online' | 'degraded' | 'offline';

/**
 * Probes out at once at most, offline with queries waiting. Chromium opens six connections to one host: with
 * the event stream closed while offline, three hanging probes leave room for the queries once the link is back.
 */
const HEDGED_PROBES = 3;

export class Connectivity {
  state = $state<LinkState>('checking');
  lastContact = $state<Date | null>(null);
  lastProblem = $state<string | null>(null);

  #failures = 0;
  /** Outcomes of recent requests that reached the switch: false for a 5xx, a cut answer, a slow probe. */
  #recent: boolean[] = [];
  #timer: ReturnType<typeof setTimeout> | undefined;
  /** When #timer fires (Date.now() scale). */
  #dueAt = 0;
  /** Probes out now: one at a time, except offline with queries waiting (see probeNow). */
  #inFlight = 0;
  /** Counts every success: a probe sent before the latest one that fails afterwards says nothing of the link now. */
  #contacts = 0;
  // Listeners are plumbing, not UI state: a plain Set is right here.
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  #listeners = new Set<(state: LinkState) => void>();
  #stops: Array<() => void> = [];
  /** Queries are waiting: a returning link is worth finding within a second, not half a minute. */
  #urgent = false;

  constructor(
    private readonly probe: () => Promise<ProbeResult>,
    private readonly random: () => number = Math.random,
  ) {}

  start(): void {
    const onOnline = () => void this.probeNow();
    const onOffline = () => this.reportFailure('This device reports no network');
    window.addEventListener('online', onOnline);
    window.addEventListener('offline', onOffline);
    this.#stops.push(() => window.removeEventListener('online', onOnline), () => window.removeEventListener('offline', onOffline));
    void this.probeNow();
  }

  stop(): void {
    this.#cancelTimer();
    this.#stops.forEach((stop) => stop());
    this.#stops = [];
  }

  /** While queries wait, offline probes back off only to `urgentProbeCapMs`; idle, to the full cap. */
  setUrgent(urgent: boolean): void {
    if (urgent === this.#urgent) return;
    this.#urgent = urgent;
    if (urgent && this.state === 'offline' && this.#inFlight === 0) this.#schedule();
  }

  /** Queries are waiting to be sent (setUrgent). */
  get urgent(): boolean {
    return this.#urgent;
  }

  get canSend(): boolean {
    return this.state === 'online' || this.state === 'degraded';
  }

  /** Subscribes to state changes; returns the unsubscribe function. */
  onChange(listener: (state: LinkState) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** A request or probe reached the switch: the link works, whatever the OS says. Slow counts as trouble. */
  reportSuccess(rttMs = 0): void {
    this.#failures = 0;
    this.#contacts++;
    // Replaced, never mutated, so the $state field is what makes it reactive.
    // eslint-disable-next-line svelte/prefer-svelte-reactivity
    this.lastContact = new Date();
    const slow = rttMs > FIELD_CONFIG.degradedRttMs;
    this.#remember(!slow);
    if (slow) this.lastProblem = `Slow link: the switch took ${(rttMs / 1000).toFixed(1)} s to answer`;
    this.#set(this.#lossy() || slow ? 'degraded' : 'online');
    if (this.state === 'online') this.lastProblem = null;
    this.#schedule();
  }

  /** The switch was reached but the exchange failed (5xx, an answer cut short): a lossy, degraded link. */
  reportTrouble(reason: string): void {
    // eslint-disable-next-line svelte/prefer-svelte-reactivity
    this.lastContact = new Date();
    this.lastProblem = reason;
    this.#remember(false);
    if (this.state !== 'offline' && this.#lossy()) this.#set('degraded');
  }

  #remember(ok: boolean): void {
    this.#recent = [...this.#recent.slice(-(FIELD_CONFIG.lossWindow - 1)), ok];
  }

  #lossy(): boolean {
    return this.#recent.filter((ok) => !ok).length >= FIELD_CONFIG.lossyFailures;
  }

  /** A request or probe could not reach the switch. */
  reportFailure(reason: string): void {
    this.#fail(reason, 0);
  }

  /**
   * Sends a probe. Offline with queries waiting, a probe left hanging does not hold up the next: a link that drops
   * packets silently never resets what it held, and its probes would each wait out their whole timeout (3 s)
   * while the link may be back. So the next probe is due after the backoff (up to a second) whether or not this
   * one has answered, up to HEDGED_PROBES at once; the first to get through brings the link back.
   */
  async probeNow(): Promise<void> {
    const hedging = this.state === 'offline' && this.#urgent;
    if (this.#inFlight >= (hedging ? HEDGED_PROBES : 1)) return;
    this.#inFlight++;
    this.#cancelTimer();
    const sentAt = Date.now();
    const contacts = this.#contacts;
    if (hedging) this.#schedule();
    try {
      const result = await this.probe();
      if (result.ok) this.reportSuccess(result.rttMs);
      // A probe that hung through the link's return fails long after another has reached the switch: old news.
      else if (contacts === this.#contacts) this.#fail(result.reason, Date.now() - sentAt);
    } finally {
      this.#inFlight--;
    }
  }

  #cancelTimer(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  /** `heldMs`: how long the failed attempt was out, which counts towards the wait before the next. */
  #fail(reason: string, heldMs: number): void {
    this.#failures++;
    this.lastProblem = reason;
    const wasOffline = this.state === 'offline';
    this.#set('offline');
    // Already offline, a failure never puts off a probe due sooner: when a dead link lets go, everything it held
    // fails at once, and a request that failed on the spot must not push back the probe its held one made due now.
    this.#schedule(heldMs, wasOffline);
  }

  #set(state: LinkState): void {
    if (this.state === state) return;
    this.state = state;
    this.#listeners.forEach((listener) => listener(state));
  }

  /**
   * Offline, probes are spaced by the backoff counted from when the last one was sent, not from when it
   * failed. A probe held open by a dead link (a black hole, a tunnel) until it timed out or was reset has
   * waited its turn already: when the far end resets it, that is often the link coming back, and the next
   * probe goes at once instead of up to a second later. A probe refused at once waits the whole backoff.
   */
  #schedule(heldMs = 0, keepSooner = false): void {
    const delay =
      this.state === 'online' || this.state === 'degraded'
        ? FIELD_CONFIG.heartbeatIntervalMs
        : Math.max(0, backoffDelay(this.#failures, { baseMs: FIELD_CONFIG.probeBackoffBaseMs, capMs: this.#urgent ? FIELD_CONFIG.urgentProbeCapMs : FIELD_CONFIG.probeBackoffCapMs }, this.random) - heldMs);
    if (keepSooner && this.#timer !== undefined && this.#dueAt <= Date.now() + delay) return;
    this.#cancelTimer();
    this.#dueAt = Date.now() + delay;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      void this.probeNow();
    }, delay);
  }
}
