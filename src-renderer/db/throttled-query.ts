// A live query for views that need not follow every write: re-read at most every few hundred milliseconds.
//
// Dexie's liveQuery re-runs its query after every commit that touches what it read. During a drain that is
// several commits per query, each re-reading and re-drawing the results list and the counts, and that work
// competes with the drain itself. The status bar and the list are read by a person: five updates a second is
// plenty. Alerts do not go through this: they stay immediate.
//
// The views share one refresh per database. Each names the tables it reads and is due only when one of them
// changed; every view due is read in ONE read-only transaction, and the results are handed out after it has
// finished. IndexedDB makes a write wait for the read-only transactions opened before it on the same table:
// one short transaction, with no re-drawing inside it, is the least a refresh can cost the officer's next
// query being queued or the next answer being stored.
import { FIELD_CONFIG } from '../../src-shared/field-config.ts';
import type { Dexie } from 'dexie';
import { onTablesChanged } from './table-changes.ts';

/** How often a throttled view may re-read: fast for an eye, slow for the machine. */
export const VIEW_REFRESH_MS: number = FIELD_CONFIG.viewRefreshMs;

type Observer<T> = ((value: T) => void) | { next?: (value: T) => void; error?: (error: unknown) => void };

export interface ThrottledQuery<T> {
  subscribe(observer: Observer<T>): { unsubscribe(): void };
}

type ViewDb = Pick<Dexie, 'name' | 'transaction'>;

/** An observer as a pair of functions, whichever form it was given in. */
function observe<T>(observer: Observer<T>): { next: (value: T) => void; fail: (error: unknown) => void } {
  if (typeof observer === 'function') return { next: observer, fail: () => undefined };
  return { next: (value) => observer.next?.(value), fail: (error) => observer.error?.(error) };
}

interface View {
  tables: readonly string[];
  read(): Promise<unknown>;
  deliver(value: unknown): void;
  fail(error: unknown): void;
  due: boolean;
  /** The number of the read whose value the view shows (0: none yet). */
  shown: number;
}

type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

/** A view's read as an outcome: a querier that throws before it has a promise fails alone, like one that rejects. */
function attempt(view: View): Promise<Outcome> {
  try {
    return view.read().then(
      (value) => ({ ok: true as const, value }),
      (error: unknown) => ({ ok: false as const, error }),
    );
  } catch (error) {
    return Promise.resolve({ ok: false as const, error });
  }
}

/**
 * After refreshes that failed, the next waits this many turns more (doubling), at most RETRY_TURNS_MAX: storage
 * that keeps refusing is not asked five times a second, and a single refusal is made good within two turns.
 */
const RETRY_TURNS_MAX = 16;

/**
 * The views of one database that refresh at one pace, read together.
 *
 * A view is due from the change that touched its tables until a read that began after that change has handed
 * it a value. Nothing else clears it: a read that fails, for one view or all, leaves the view due and it is read
 * again, so the last change of a burst is never lost to a read that did not come back. Reads are numbered as
 * they begin, and a view never shows a value older than the one it shows: its first read, made on its own,
 * cannot land over a refresh that began after it.
 */
class Refresh {
  readonly #views = new Set<View>();
  #timer: ReturnType<typeof setTimeout> | undefined;
  #reading = false;
  #begun = 0;
  #failedInARow = 0;

  constructor(
    private readonly db: ViewDb,
    private readonly intervalMs: number,
  ) {}

  add(view: View): () => void {
    this.#views.add(view);
    const unwatch = onTablesChanged(this.db, view.tables, () => {
      view.due = true;
      this.#schedule();
    });
    // The first value is not held back for the next turn: a view just opened shows what is there.
    const first = ++this.#begun;
    void attempt(view).then((outcome) => {
      this.#hand(view, first, outcome);
      if (view.due) this.#schedule();
    });
    return () => {
      this.#views.delete(view);
      unwatch();
      if (this.#views.size === 0) {
        clearTimeout(this.#timer);
        this.#timer = undefined;
      }
    };
  }

  #schedule(): void {
    if (this.#timer !== undefined || this.#reading || this.#views.size === 0) return;
    const turns = Math.min(2 ** this.#failedInARow, RETRY_TURNS_MAX);
    this.#timer = setTimeout(() => void this.#read(), this.intervalMs * turns);
  }

  async #read(): Promise<void> {
    this.#timer = undefined;
    const due = [...this.#views].filter((view) => view.due);
    if (due.length === 0) return;
    // Cleared before the read begins: a change that lands during it makes the view due again.
    due.forEach((view) => (view.due = false));
    this.#reading = true;
    const number = ++this.#begun;
    let outcomes: Outcome[];
    try {
      const tables = [...new Set(due.flatMap((view) => view.tables))];
      // Each view's failure is its own: caught inside, so one bad read does not abort the others'.
      outcomes = await this.db.transaction('r', tables, () => Promise.all(due.map(attempt)));
    } catch (error) {
      outcomes = due.map(() => ({ ok: false, error }));
    }
    this.#reading = false;
    this.#failedInARow = outcomes.every((outcome) => outcome.ok) ? 0 : this.#failedInARow + 1;
    due.forEach((view, i) => this.#hand(view, number, outcomes[i]!));
    // Writes that landed during the read, and reads that failed, are read at the next turn.
    if ([...this.#views].some((view) => view.due)) this.#schedule();
  }

  /** Gives a view what read `number` found, unless it shows a newer read's already; a failed read leaves it due. */
  #hand(view: View, number: number, outcome: Outcome): void {
    if (number < view.shown) return;
    if (!outcome.ok) {
      view.due = true;
      view.fail(outcome.error);
      return;
    }
    view.shown = number;
    try {
      view.deliver(outcome.value);
    } catch (error) {
      // One view that cannot draw its value does not keep the views after it from theirs; the error is still reported.
      queueMicrotask(() => {
        throw error;
      });
    }
  }
}

const refreshes = new WeakMap<ViewDb, Map<number, Refresh>>();

function refreshOf(db: ViewDb, intervalMs: number): Refresh {
  const paces = refreshes.get(db) ?? refreshes.set(db, new Map()).get(db)!;
  return paces.get(intervalMs) ?? paces.set(intervalMs, new Refresh(db, intervalMs)).get(intervalMs)!;
}

/**
 * A view of `tables` (every table `querier` reads: it runs inside a transaction over those alone). The first
 * value is read at once; after that, at most once per `intervalMs`, and only after one of the tables changed.
 */
export function throttledQuery<T>(db: ViewDb, tables: readonly string[], querier: () => Promise<T>, intervalMs: number = VIEW_REFRESH_MS): ThrottledQuery<T> {
  return {
    subscribe(observer) {
      const { next, fail } = observe(observer);
      let closed = false;
      const view: View = {
        tables,
        read: querier,
        deliver: (value) => {
          if (!closed) next(value as T);
        },
        fail: (error) => {
          if (!closed) fail(error);
        },
        due: false,
        shown: 0,
      };
      const remove = refreshOf(db, intervalMs).add(view);
      return {
        unsubscribe() {
          closed = true;
          remove();
        },
      };
    },
  };
}

const plain = (value: object) => {
  const prototype = Object.getPrototypeOf(value) as unknown;
  return prototype === Object.prototype || prototype === Array.prototype || prototype === null;
};

/**
 * Whether two values read from storage are the same. A sealed field read again unchanged opens to the very object
 * it opened to before (the sealing middleware keeps opened values by nonce), so a row compares mostly by identity,
 * field by field: stringifying every row of every refresh (answers with all their parts) cost more than the read.
 */
function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (a instanceof Date && b instanceof Date) return a.getTime() === b.getTime();
  if (ArrayBuffer.isView(a) && ArrayBuffer.isView(b)) return a.byteLength === b.byteLength && new Uint8Array(a.buffer, a.byteOffset, a.byteLength).every((byte, i) => byte === new Uint8Array(b.buffer, b.byteOffset, b.byteLength)[i]);
  // Anything else not plain (a Map, a Blob): taken as changed, which costs a re-draw, never a stale row.
  if (!plain(a) || !plain(b)) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const keys = Object.keys(a);
  if (keys.length !== Object.keys(b).length) return false;
  return keys.every((key) => Object.hasOwn(b, key) && sameValue((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key]));
}

/**
 * A list view whose rows, read again unchanged, are handed out as the same objects as last time, so a keyed
 * list re-draws only the rows that changed. Re-drawing a whole list on every refresh is a long task, and every
 * transaction waiting on the main thread (the next answer being stored) waits with it. Rows are compared
 * as they are handed out, after the refresh's transaction has finished, not inside it.
 */
export function keepingUnchangedRows<T>(query: ThrottledQuery<T[]>, keyOf: (row: T) => string): ThrottledQuery<T[]> {
  let previous = new Map<string, T>();
  const reuse = (rows: T[]): T[] => {
    const next = new Map<string, T>();
    const kept = rows.map((row) => {
      const key = keyOf(row);
      const held = previous.get(key);
      const chosen = held !== undefined && sameValue(held, row) ? held : row;
      next.set(key, chosen);
      return chosen;
    });
    previous = next;
    return kept;
  };
  return {
    subscribe(observer) {
      const { next, fail } = observe(observer);
      return query.subscribe({ next: (rows) => next(reuse(rows)), error: fail });
    },
  };
}
