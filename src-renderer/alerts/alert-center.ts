// Alerts stay until acknowledged; acknowledgement is audited and kept in IndexedDB, so a reload shows them again.
import { liveQuery, type Observable } from 'dexie';
import { keepingUnchangedRows, type ThrottledQuery, throttledQuery } from '../db/throttled-query.ts';
import type { AlertSeverity } from '../../src-shared/ipc.ts';
import type { AcknowledgementRecord, AlertRecord, AuditEntry, OutriderDb } from '../db/database.ts';
import { IntakeWorkerUnavailable, type WorkerWrites, workerWrites } from '../outbox/intake-writer.ts';
import { markAlertAcknowledged } from '../perf-marks.ts';

/** The words a severity is shown with, in the dialog and in the history. */
export const SEVERITY_LABELS: Record<AlertSeverity, string> = {
  officer_safety: 'OFFICER SAFETY',
  hit: 'HIT',
  possible_hit: 'POSSIBLE HIT',
  broadcast: 'BROADCAST',
  information: 'INFORMATION',
};

/** Alerts not yet acknowledged (acknowledgedAt is 0 until then), on the index alone: counted without opening one. */
export const unacknowledged = (db: OutriderDb) => db.alerts.where('[acknowledgedAt+rank]').between([0, -Infinity], [0, Infinity]);

/** Whether `alert`, as it stands, is the one `acknowledgement` was made of: raised since, it is not. */
const acknowledges = (acknowledgement: AcknowledgementRecord | undefined, alert: AlertRecord) => acknowledgement?.rank === alert.rank;

/** Unacknowledged alerts, most severe first, then oldest first; an acknowledgement not yet folded in hides its alert. */
export function pendingAlerts(db: OutriderDb): Observable<AlertRecord[]> {
  return liveQuery(async () => {
    // Two reads, each its own transaction: reading the acknowledgements with the alerts would hold the next
    // acknowledgement behind whatever answer batch holds the alerts. The acknowledgements are read by key: Dexie
    // serves a live query's whole-table reads from a cache that a row the intake's worker wrote (acknowledgeAlert)
    // never updates, and would show an alert acknowledged a moment ago again when the alerts change.
    const open = await unacknowledged(db).toArray();
    const acknowledgements = open.length === 0 ? [] : await db.acknowledgements.bulkGet(open.map((alert) => alert.id));
    const pending = open.filter((alert, i) => !acknowledges(acknowledgements[i], alert));
    return pending.sort((a, b) => a.rank - b.rank || a.answeredAt.localeCompare(b.answeredAt));
  });
}

/** How many alerts wait, counted on the index alone: no alert is opened, for a screen that must show none. */
export function waitingAlertCount(db: OutriderDb): Observable<number> {
  return liveQuery(() => unacknowledged(db).count());
}

/**
 * Stores the officer's acknowledgement of `alert` in a table of its own, with no read before the write: the answer
 * batches hold the alerts and the audit trail, and one being stored would hold the acknowledgement up (to 200 ms
 * on a loaded machine). From then on the alert stays acknowledged across a reload; `foldAcknowledgements` writes
 * it into the alert, with its audit line. The row is posted to the intake's worker at once, in the caller's task,
 * and committed there: the page's main thread, busy closing the dialog, would hear of a put of its own late (p99
 * 159 ms). Dexie is not told of that write: `pendingAlerts` reads acknowledgements by key, past its cache, and
 * the fold that follows is an ordinary Dexie write. Where there is no worker, or it cannot run, the page writes it.
 */
export async function acknowledgeAlert(db: OutriderDb, alert: AlertRecord, now: Date = new Date(), worker: Pick<WorkerWrites, 'write'> | undefined = workerWrites(db)): Promise<void> {
  const row: AcknowledgementRecord = { id: alert.id, queryId: alert.queryId, rank: alert.rank, severity: alert.severity, at: now.getTime() };
  if (worker) {
    try {
      markAlertAcknowledged(alert.queryId, await worker.write({ kind: 'acknowledgement', row }));
      return;
    } catch (error) {
      // Refused by storage itself (a full disk): the page would be refused too, and the alert shows again.
      if (!(error instanceof IntakeWorkerUnavailable)) throw error;
    }
  }
  // A put: a row the worker committed just before it died is written the same.
  await db.acknowledgements.put(row);
  markAlertAcknowledged(alert.queryId);
}

/** The audit line of an acknowledgement, timed at the key; says so if the alert has been raised since or is not stored. */
function acknowledgedLine(acknowledgement: AcknowledgementRecord, alert: AlertRecord | undefined): AuditEntry {
  const { id, severity, at } = acknowledgement;
  const what = !alert ? 'alert not stored' : acknowledges(acknowledgement, alert) ? alert.title : `since raised to ${alert.severity}: ${alert.title}`;
  return { at: new Date(at).toISOString(), action: 'alert.acknowledged', subject: id, outcome: `${severity}: ${what}` };
}

/**
 * Writes every stored acknowledgement into its alert, with its audit line, and lets it go, in one transaction: right
 * after an acknowledgement, and at start for any a closed page left. An alert acknowledged already (in another
 * window) gets no second line.
 */
export async function foldAcknowledgements(db: OutriderDb): Promise<void> {
  await db.transaction('rw', db.acknowledgements, db.alerts, db.audit, async () => {
    const held = await db.acknowledgements.toArray();
    if (held.length === 0) return;
    const alerts = await db.alerts.bulkGet(held.map((acknowledgement) => acknowledgement.id));
    const open = held.flatMap((acknowledgement, i) => (alerts[i]?.acknowledgedAt === 0 || !alerts[i] ? [{ acknowledgement, alert: alerts[i] }] : []));
    const acknowledged = open.flatMap(({ acknowledgement, alert }) => (alert && acknowledges(acknowledgement, alert) ? [{ ...alert, acknowledgedAt: acknowledgement.at }] : []));
    await Promise.all([
      ...(acknowledged.length > 0 ? [db.alerts.bulkPut(acknowledged)] : []),
      ...(open.length > 0 ? [db.audit.bulkAdd(open.map(({ acknowledgement, alert }) => acknowledgedLine(acknowledgement, alert)))] : []),
      db.acknowledgements.bulkDelete(held.map((acknowledgement) => acknowledgement.id)),
    ]);
  });
}

/**
 * Every alert this terminal holds, acknowledged or not, newest answer first. Alerts are few (one per
 * hit, purged with their answers), so sorting them here beats an index that would need a schema change.
 */
export function alertHistory(db: OutriderDb): ThrottledQuery<AlertRecord[]> {
  // A record to read, not the alarm itself: re-drawn a few times a second at most, so a long history does
  // not delay the paint of the alert dialog it shares a frame with.
  const all = throttledQuery(db, ['alerts'], async () => {
    const alerts = await db.alerts.toArray();
    return alerts.sort((a, b) => b.answeredAt.localeCompare(a.answeredAt) || b.askedAt.localeCompare(a.askedAt));
  });
  // An alert read again unchanged is the same object: the history and the YQ panel re-draw only what changed.
  return keepingUnchangedRows(all, (alert) => alert.id);
}
