// Named performance marks the benchmark suite reads (`npm run bench`): they carry only a query's
// UUID, never its content, so they are safe to leave in the shipped build.

/** An answer (or one source's part of it) for this outbox entry has just come off the network. */
export function markAnswerArrived(queryId: string): void {
  performance.mark('outrider:answer-arrived', { detail: { queryId } });
}

/** The alert for this outbox entry is on screen: called from the frame after the dialog opened. */
export function markAlertVisible(queryId: string): void {
  performance.mark('outrider:alert-visible', { detail: { queryId } });
}

/**
 * The officer's acknowledgement of this outbox entry's alert is committed to IndexedDB: a reload keeps it.
 * `committedAt` is the epoch time (performance.timeOrigin scale) of the commit when it happened off this
 * thread, in the intake's worker.
 */
export function markAlertAcknowledged(queryId: string, committedAt?: number): void {
  const startTime = committedAt === undefined ? performance.now() : committedAt - performance.timeOrigin;
  performance.mark('outrider:alert-acknowledged', { startTime, detail: { queryId } });
}

/**
 * This query is durably queued (sealed, with its audit line, in the intake). `committedAt` is the epoch time
 * (performance.timeOrigin scale) of the commit when it happened off this thread, in the intake's worker.
 */
export function markQueryCommitted(queryId: string, committedAt?: number): void {
  const startTime = committedAt === undefined ? performance.now() : committedAt - performance.timeOrigin;
  performance.mark('outrider:query-committed', { startTime, detail: { queryId } });
}
