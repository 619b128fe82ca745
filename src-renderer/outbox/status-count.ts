// Counts outbox entries by status, one native count per status on the status index.
//
// Dexie counts `where('status').anyOf(...)` by walking a cursor a row at a time: with a thousand queries
// queued that is a thousand round trips to IndexedDB, and the read-only transaction they hold makes the next
// query wait to be queued. `equals(...).count()` is one IDBIndex.count request.
import type { OutboxStatus, OutriderDb } from '../db/database.ts';

/** Entries that could still bring an answer (a hit): delivered means the switch has it, not that it answered. */
export const AWAITING_ANSWER = ['queued', 'sending', 'delivered'] as const satisfies readonly OutboxStatus[];

export function countStatuses(db: OutriderDb, statuses: readonly OutboxStatus[]): Promise<number> {
  return db.transaction('r', db.outbox, async () => {
    const counts = await Promise.all(statuses.map((status) => db.outbox.where('status').equals(status).count()));
    return counts.reduce((sum, count) => sum + count, 0);
  });
}
