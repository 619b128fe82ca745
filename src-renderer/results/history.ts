// The officer's recent queries with their answers, newest first, for the results list.
import { FIELD_CONFIG } from '../../src-shared/field-config.ts';
import { type ThrottledQuery, throttledQuery } from '../db/throttled-query.ts';
import type { OutriderDb } from '../db/database.ts';
import { AWAITING_ANSWER, countStatuses } from '../outbox/status-count.ts';
import { type QueryRow, RecentRows } from './recent-rows.ts';

export type { QueryRow } from './recent-rows.ts';

export const RESULTS_SHOWN: number = FIELD_CONFIG.resultsShown;

/** What the officer can do to a query in the list. */
export interface RowActions {
  cancel(id: string): void;
  retry(id: string): void;
}

export function recentQueries(db: OutriderDb, limit: number = RESULTS_SHOWN): ThrottledQuery<QueryRow[]> {
  return {
    subscribe(observer) {
      const next = typeof observer === 'function' ? observer : (rows: QueryRow[]) => observer.next?.(rows);
      const error = typeof observer === 'function' ? undefined : observer.error;
      // Each subscriber keeps its own rows: a refresh reads only what changed since it last showed them.
      const recent = new RecentRows(db, limit);
      const subscription = throttledQuery(db, ['outbox', 'answers'], () => recent.read()).subscribe({
        // Rows read again with nothing changed in them are not handed out: the list has nothing to re-draw.
        next: (read) => {
          if (recent.show(read)) next(read.rows);
        },
        error: (failure) => error?.(failure),
      });
      return {
        unsubscribe() {
          subscription.unsubscribe();
          recent.stop();
        },
      };
    },
  };
}

/** Queries not yet answered or failed: what the status bar counts as queued. */
export function waitingCount(db: OutriderDb): ThrottledQuery<number> {
  return throttledQuery(db, ['outbox'], () => countStatuses(db, AWAITING_ANSWER));
}
