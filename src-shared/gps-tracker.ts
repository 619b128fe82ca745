// Turns a source's reports into the GPS state the terminal shows, and marks a fix stale when no newer one comes.
import { FIELD_CONFIG } from './field-config.ts';
import type { GpsReport, GpsSourceKind, GpsStatus } from './gps.ts';

export interface GpsTrackerOptions {
  staleAfterMs?: number;
}

export class GpsTracker {
  #status: GpsStatus;
  #staleTimer: ReturnType<typeof setTimeout> | undefined;
  readonly #listeners = new Set<(status: GpsStatus) => void>();
  readonly #staleAfterMs: number;

  /** Starts with no fix (the source has said nothing yet), or `off` when the profile chose no source. */
  constructor(source: GpsSourceKind | 'none', options: GpsTrackerOptions = {}) {
    this.#staleAfterMs = options.staleAfterMs ?? FIELD_CONFIG.gpsStaleAfterMs;
    this.#status = source === 'none' ? { state: 'off', source, detail: 'no GPS source is set in the agency profile' } : { state: 'no-fix', source };
  }

  get status(): GpsStatus {
    return this.#status;
  }

  /** Calls `listener` with every change from now on; returns the unsubscribe. */
  subscribe(listener: (status: GpsStatus) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  report(report: GpsReport): void {
    if (this.#status.state === 'off') return;
    const { source, lastFix } = this.#status;
    const kept = lastFix ? { lastFix } : {};
    if (report.kind === 'fix') {
      this.#armStaleTimer();
      this.#set({ state: 'fix', source, lastFix: report.fix });
    } else if (report.kind === 'no-fix') {
      this.#clearStaleTimer();
      // A receiver repeating that it has no fix changes nothing the officer sees.
      if (this.#status.state !== 'no-fix') this.#set({ state: 'no-fix', source, ...kept });
    } else {
      this.#clearStaleTimer();
      if (this.#status.state !== 'unavailable' || this.#status.detail !== report.reason) this.#set({ state: 'unavailable', source, ...kept, detail: report.reason });
    }
  }

  /** Stops the stale timer and drops every listener. */
  dispose(): void {
    this.#clearStaleTimer();
    this.#listeners.clear();
  }

  #armStaleTimer(): void {
    this.#clearStaleTimer();
    this.#staleTimer = setTimeout(() => {
      this.#staleTimer = undefined;
      if (this.#status.state === 'fix') this.#set({ ...this.#status, state: 'stale' });
    }, this.#staleAfterMs);
  }

  #clearStaleTimer(): void {
    if (this.#staleTimer !== undefined) clearTimeout(this.#staleTimer);
    this.#staleTimer = undefined;
  }

  #set(status: GpsStatus): void {
    this.#status = status;
    for (const listener of this.#listeners) listener(status);
  }
}
