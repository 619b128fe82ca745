// What this window knows about alerts before the live query of pending alerts has re-read the database:
// alerts it has just stored, shown at once, and alerts the officer has just acknowledged, hidden at once.

import type { AlertRecord } from '../db/database.ts';

export class FreshAlerts {
  /** Stored by this window and not yet seen by the live query of pending alerts. */
  list = $state<AlertRecord[]>([]);
  /**
   * Acknowledged here, by id, with the rank it had: hidden from the moment the officer acknowledges, not
   * once the acknowledgement is stored and read back (until then the page behind the dialog is inert,
   * and what the officer types next would be lost). Raised again meanwhile, its rank changes: it shows.
   */
  acknowledging = $state<Record<string, { rank: number; stored: boolean }>>({});

  /** Writes under way that may store an alert already shown from memory (AlertRaiser.deliver). */
  // Not state: nothing is drawn from it.
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  readonly #storing = new Set<Promise<unknown>>();

  /** Tells of a write that may store an alert shown before it: folding an acknowledgement waits for it. Returns the write. */
  storing<T>(write: Promise<T>): Promise<T> {
    this.#storing.add(write);
    const done = () => this.#storing.delete(write);
    write.then(done, done);
    return write;
  }

  add(alert: AlertRecord): void {
    this.list = [...this.list.filter((held) => held.id !== alert.id), alert];
  }

  /**
   * The live query has caught up with these: from now on it alone says what is pending. An acknowledgement
   * is forgotten once it is stored and the alert is no longer among them.
   */
  settle(seen: readonly AlertRecord[]): void {
    if (this.list.length > 0) {
      // Caught up means read back as severe as it was raised here: a read from before a raise is not.
      const left = this.list.filter((alert) => !seen.some((stored) => stored.id === alert.id && stored.rank <= alert.rank));
      if (left.length !== this.list.length) this.list = left;
    }
    const done = Object.entries(this.acknowledging).filter(([id, held]) => held.stored && !seen.some((alert) => alert.id === id));
    if (done.length > 0) this.acknowledging = Object.fromEntries(Object.entries(this.acknowledging).filter(([id]) => !done.some(([gone]) => gone === id)));
  }

  /**
   * The officer acknowledged `alert`: it is hidden now, and `store` writes the acknowledgement. Stored, it is
   * forgotten at the next read and `fold` writes it into its alert; refused, the alert shows again, for it is
   * still unacknowledged.
   */
  async acknowledge(alert: AlertRecord, store: () => Promise<void>, fold: () => Promise<void> = async () => undefined): Promise<void> {
    // The write begins now, in the key's own task, before hiding the alert re-draws the page: a reload right after
    // the key then rarely finds it unwritten. It needs no alert in storage; the fold does, so it waits for the writes
    // under way that may store one shown from memory.
    const storing = [...this.#storing];
    const written = store();
    this.forget(alert.id);
    this.acknowledging = { ...this.acknowledging, [alert.id]: { rank: alert.rank, stored: false } };
    try {
      await written;
      if (this.acknowledging[alert.id]) this.acknowledging = { ...this.acknowledging, [alert.id]: { rank: alert.rank, stored: true } };
    } catch (error) {
      const { [alert.id]: _refused, ...rest } = this.acknowledging;
      this.acknowledging = rest;
      throw error;
    }
    await Promise.allSettled(storing);
    await fold();
  }

  forget(id: string): void {
    if (this.list.some((alert) => alert.id === id)) this.list = this.list.filter((alert) => alert.id !== id);
  }
}

/**
 * Pending alerts from storage with the fresh ones not yet there (or there only as they were before a raise),
 * less those just acknowledged here (at the rank acknowledged), most severe first, then oldest first.
 */
export function mergePending(stored: readonly AlertRecord[], fresh: readonly AlertRecord[], acknowledging: Readonly<Record<string, { rank: number }>> = {}): AlertRecord[] {
  // An alert raised here and read back only as it was before the raise is shown as raised.
  const raised = (held: AlertRecord) => fresh.find((alert) => alert.id === held.id && alert.rank < held.rank) ?? held;
  const merged = [...stored.map(raised), ...fresh.filter((alert) => alert.acknowledgedAt === 0 && !stored.some((held) => held.id === alert.id))];
  return merged.filter((alert) => acknowledging[alert.id]?.rank !== alert.rank).sort((a, b) => a.rank - b.rank || a.answeredAt.localeCompare(b.answeredAt));
}

/**
 * The alert the dialog puts on top of `pending`: the one on screen (`showing`) stays until it is acknowledged or one
 * more severe comes. Two alerts of one severity are ordered by when they were answered, and the live query can read
 * that a millisecond apart from what memory showed: the order of a re-read must not swap the alert the officer is
 * reading for another, which the next Enter or Space would then acknowledge unread.
 */
export function alertOnTop(pending: readonly AlertRecord[], showing: string | undefined): AlertRecord | undefined {
  const first = pending[0];
  const held = showing === undefined ? undefined : pending.find((alert) => alert.id === showing);
  return held && first && held.rank <= first.rank ? held : first;
}
