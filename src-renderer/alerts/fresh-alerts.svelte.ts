// Alerts this window has just stored, shown at once: a live query only sees them after it re-reads the database.

import type { AlertRecord } from '../db/database.ts';

export class FreshAlerts {
  /** Stored by this window and not yet seen by the live query of pending alerts. */
  list = $state<AlertRecord[]>([]);

  add(alert: AlertRecord): void {
    this.list = [...this.list.filter((held) => held.id !== alert.id), alert];
  }

  /** The live query has caught up with these: from now on it alone says what is pending. */
  settle(seen: readonly AlertRecord[]): void {
    if (this.list.length === 0) return;
    const left = this.list.filter((alert) => !seen.some((stored) => stored.id === alert.id));
    if (left.length !== this.list.length) this.list = left;
  }

  forget(id: string): void {
    if (this.list.some((alert) => alert.id === id)) this.list = this.list.filter((alert) => alert.id !== id);
  }
}

/** Pending alerts from storage with the fresh ones not yet there, most severe first, then oldest first. */
export function mergePending(stored: readonly AlertRecord[], fresh: readonly AlertRecord[]): AlertRecord[] {
  const merged = [...stored, ...fresh.filter((alert) => alert.acknowledgedAt === 0 && !stored.some((held) => held.id === alert.id))];
  return merged.sort((a, b) => a.rank - b.rank || a.answeredAt.localeCompare(b.answeredAt));
}
