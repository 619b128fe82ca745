// Answers and what hangs off them are purged from the terminal once older than the agency's limit.
import { FIELD_CONFIG } from '../../src-shared/field-config.ts';
import type { OutboxStatus, OutriderDb } from '../db/database.ts';
import { forgetJournaled } from '../outbox/queue-journal.ts';

/** States an entry never leaves by itself, answered aside: only these and answered entries may go. */
const UNANSWERED_FINAL: OutboxStatus[] = ['failed', 'cancelled'];
/** States of an entry still on its way: it keeps its partial answer and its alert. */
const OPEN: OutboxStatus[] = ['queued', 'sending', 'delivered'];

export interface PurgeCounts {
  answers: number;
  alerts: number;
  queries: number;
}

/**
 * Purges, in one transaction: answers older than `hours` (by when they arrived), acknowledged alerts as
 * old (an alert not yet acknowledged waits for it), and finished entries asked that long ago, with their
 * requests for confirmation. An entry still on its way keeps everything; the audit trail is never purged.
 */
export async function purgeExpired(db: OutriderDb, { hours, now }: { hours: number; now: Date }): Promise<PurgeCounts> {
  const cutoff = new Date(now.getTime() - hours * 3_600_000).toISOString();
  const tables = [db.outbox, db.answers, db.alerts, db.confirmations, db.audit, db.settings];
  let purgedQueries: string[] = [];
  const counts = await db.transaction('rw', tables, async () => {
    const open = new Set(await db.outbox.where('status').anyOf(OPEN).primaryKeys());
    const answers = (await db.answers.where('answeredAt').below(cutoff).primaryKeys()).filter((id) => !open.has(id));
    const alerts = (await db.alerts.where('[acknowledgedAt+rank]').above([0, Infinity]).toArray())
      .filter((alert) => alert.answeredAt < cutoff && !open.has(alert.queryId))
      .map((alert) => alert.id);
    // Answered entries by the answeredAt index, keys only, so nothing sealed is opened: answered before the
    // cutoff means asked before it, and one answered since stays anyway while its answer does (below). Reading
    // every answered entry to compare askedAt held this transaction, and every view behind it, for seconds
    // at start-up with a shift of answers stored. Failed and cancelled entries are few: judged by askedAt.
    const finished = [
      ...(await db.outbox.where('answeredAt').below(cutoff).primaryKeys()),
      ...(await db.outbox.where('status').anyOf(UNANSWERED_FINAL).filter((entry) => entry.askedAt < cutoff).primaryKeys()),
    ];
    // An entry stays while its answer does (asked long ago but answered recently): a result is never shown without its query.
    const purged = new Set(answers);
    const answered = new Set(await db.answers.where('queryId').anyOf(finished).primaryKeys());
    const queries = finished.filter((id) => !answered.has(id) || purged.has(id));
    const confirmations = await db.confirmations.where('queryId').anyOf(queries).primaryKeys();

    await Promise.all([db.answers.bulkDelete(answers), db.alerts.bulkDelete(alerts), db.outbox.bulkDelete(queries), db.confirmations.bulkDelete(confirmations)]);
    purgedQueries = queries;
    const counts = { answers: answers.length, alerts: alerts.length, queries: queries.length };
    if (counts.answers + counts.alerts + counts.queries > 0) {
      // Counts only: what was purged is CJI, and the audit trail outlives it.
      const outcome = `answers: ${counts.answers}, alerts: ${counts.alerts}, queries: ${counts.queries}`;
      await db.audit.add({ at: now.toISOString(), action: 'retention.purged', subject: `older than ${hours} h`, outcome });
    }
    await db.settings.put({ key: 'retentionPurgedAt', value: now.toISOString() });
    return counts;
  });
  // After the transaction, which would end early awaiting the file system: a purged query keeps no copy.
  await forgetJournaled(db, purgedQueries);
  return counts;
}

export interface RetentionDeps {
  db: OutriderDb;
  /** The agency's limit, read at each run. */
  hours: () => number;
  intervalMs?: number;
  now?: () => Date;
}

/** Purges now and on a schedule, one run at a time. Returns the stop function. */
export function startRetention(deps: RetentionDeps): () => void {
  let running = false;
  const run = async () => {
    if (running) return;
    running = true;
    try {
      await purgeExpired(deps.db, { hours: deps.hours(), now: (deps.now ?? (() => new Date()))() });
    } catch {
      // Nothing is logged (an error may quote CJI); the next run tries again.
    } finally {
      running = false;
    }
  };
  void run();
  const timer = setInterval(() => void run(), deps.intervalMs ?? FIELD_CONFIG.retentionSweepMs);
  return () => clearInterval(timer);
}
