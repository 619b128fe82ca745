// Exactly-once execution per Idempotency-Key: a retry gets the first result, never a second execution.
import { createHash } from 'node:crypto';
import type { Priority, QueryAnswer } from '../src-shared/protocol.ts';

const RECENT_KEPT = 2000;

interface Entry {
  readonly fingerprint: string;
  readonly result: Promise<QueryAnswer>;
  readonly storedAt: number;
}

export type Admission =
  | { kind: 'new'; result: Promise<QueryAnswer> }
  | { kind: 'replay'; result: Promise<QueryAnswer> }
  | { kind: 'mismatch' };

/** Canonical fingerprint of a request body: the same query with keys in another order is the same query. */
export function fingerprint(body: unknown): string {
  const canonical = JSON.stringify(body, (_key, value: unknown) =>
    value && typeof value === 'object' && !Array.isArray(value)
      ? Object.fromEntries(Object.entries(value).sort(([a], [b]) => a.localeCompare(b)))
      : value,
  );
  return createHash('sha256').update(canonical).digest('hex');
}

export class IdempotencyStore {
  readonly #entries = new Map<string, Entry>();
  readonly #executions = new Map<string, number>();
  #replayed = 0;
  #executed = 0;
  /** Execution order, newest last, bounded so a long drill cannot grow it without limit. */
  #recent: Array<{ key: string; priority: Priority }> = [];

  constructor(
    private readonly retentionMs: number,
    private readonly clock: () => number = Date.now,
  ) {}

  /**
   * Runs `execute` once per key. A retry that arrives while the first run is still going waits for
   * the same result, so a timed-out-and-resent query is still executed exactly once.
   */
  admit(key: string, body: { priority: Priority }, execute: () => Promise<QueryAnswer>): Admission {
    this.#expire();
    const print = fingerprint(body);
    const existing = this.#entries.get(key);
    if (existing) {
      if (existing.fingerprint !== print) return { kind: 'mismatch' };
      this.#replayed++;
      return { kind: 'replay', result: existing.result };
    }
    const result = execute();
    this.#executions.set(key, (this.#executions.get(key) ?? 0) + 1);
    this.#executed++;
    this.#recent.push({ key, priority: body.priority });
    if (this.#recent.length > RECENT_KEPT) this.#recent.shift();
    // A failed execution is forgotten so the terminal's retry can run it again.
    result.catch(() => this.#entries.delete(key));
    this.#entries.set(key, { fingerprint: print, result, storedAt: this.clock() });
    return { kind: 'new', result };
  }

  executionsOf(key: string): number {
    return this.#executions.get(key) ?? 0;
  }

  stats() {
    return { executed: this.#executed, replayed: this.#replayed, byKey: Object.fromEntries(this.#executions), recent: [...this.#recent] };
  }

  #expire() {
    const cutoff = this.clock() - this.retentionMs;
    for (const [key, entry] of this.#entries) {
      if (entry.storedAt >= cutoff) break; // Map keeps insertion order, so the rest are newer.
      this.#entries.delete(key);
      this.#executions.delete(key);
    }
  }
}
