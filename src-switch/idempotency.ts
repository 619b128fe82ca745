// Exactly-once execution per Idempotency-Key: a retry gets the first result, never a second execution.
import { createHash } from 'node:crypto';
import type { Priority, QueryAnswer } from '../src-shared/protocol.ts';

const RECENT_KEPT = 2000;

/** One execution of a query: whatever the switch keeps of it, as long as its final answer is a promise. */
export interface Execution {
  readonly answer: Promise<QueryAnswer>;
}

interface Entry<T extends Execution> {
  readonly fingerprint: string;
  readonly run: T;
  readonly storedAt: number;
}

export type Admission<T extends Execution> = { kind: 'new'; run: T } | { kind: 'replay'; run: T } | { kind: 'mismatch' };

/** Canonical fingerprint of a request body: the same query with keys in another order is the same query. */
export function fingerprint(body: unknown): string {
  const canonical = JSON.stringify(body, (_key, value: unknown) =>
    value && typeof value === 'object' && !Array.isArray(value)
      ? Object.fromEntries(Object.entries(value).sort(([a], [b]) => a.localeCompare(b)))
      : value,
  );
  return createHash('sha256').update(canonical).digest('hex');
}

export class IdempotencyStore<T extends Execution = Execution> {
  readonly #entries = new Map<string, Entry<T>>();
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
  admit(key: string, body: { priority: Priority; owner?: string }, execute: () => T): Admission<T> {
    this.#expire();
    const print = fingerprint(body);
    const existing = this.#entries.get(key);
    if (existing) {
      if (existing.fingerprint !== print) return { kind: 'mismatch' };
      this.#replayed++;
      return { kind: 'replay', run: existing.run };
    }
    const run = execute();
    this.#executions.set(key, (this.#executions.get(key) ?? 0) + 1);
    this.#executed++;
    this.#recent.push({ key, priority: body.priority });
    if (this.#recent.length > RECENT_KEPT) this.#recent.shift();
    // A failed execution is forgotten so the terminal's retry can run it again.
    run.answer.catch(() => this.#entries.delete(key));
    this.#entries.set(key, { fingerprint: print, run, storedAt: this.clock() });
    return { kind: 'new', run };
  }

  /** The execution held for `key`, without counting a replay: what the poll fallback reads. */
  lookup(key: string): T | undefined {
    this.#expire();
    return this.#entries.get(key)?.run;
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
