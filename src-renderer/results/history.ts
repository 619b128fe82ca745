// The officer's recent queries with their answers, newest first, for the results list.
import { FIELD_CONFIG } from '../../src-shared/field-config.ts';
import { keepingUnchangedRows, type ThrottledQuery, throttledQuery } from '../db/throttled-query.ts';
import type { OutboxEntry, OutriderDb, StoredAnswer } from '../db/database.ts';
import { AWAITING_ANSWER, countStatuses } from '../outbox/status-count.ts';

export interface QueryRow {
  entry: OutboxEntry;
  answer?: StoredAnswer;
}

export const RESULTS_SHOWN: number = FIELD_CONFIG.resultsShown;

/** What the officer can do to a query in the list. */
export interface RowActions {
  cancel(id: string): void;
  retry(id: string): void;
}

export function recentQueries(db: OutriderDb, limit: number = RESULTS_SHOWN): ThrottledQuery<QueryRow[]> {
  const rows = throttledQuery(db, ['outbox', 'answers'], async () => {
    const entries = await db.outbox.orderBy('seq').reverse().limit(limit).toArray();
    const answers = await db.answers.bulkGet(entries.map((entry) => entry.id));
    return entries.map((entry, i): QueryRow => (answers[i] ? { entry, answer: answers[i] } : { entry }));
  });
  // A row read again unchanged is the same object: the list re-draws only the rows that changed.
  return keepingUnchangedRows(rows, (row) => row.entry.id);
}

/** Queries not yet answered or failed: what the status bar counts as queued. */
export function waitingCount(db: OutriderDb): ThrottledQuery<number> {
  return throttledQuery(db, ['outbox'], () => countStatuses(db, AWAITING_ANSWER));
}
