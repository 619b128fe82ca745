// Alerts stay until acknowledged; acknowledgement is audited and kept in IndexedDB, so a reload shows them again.
import { liveQuery, type Observable } from 'dexie';
import { keepingUnchangedRows, type ThrottledQuery, throttledQuery } from '../db/throttled-query.ts';
import type { AlertSeverity } from '../../src-shared/ipc.ts';
import type { AcknowledgementRecord, AlertRecord, AuditEntry, OutriderDb } from '../db/database.ts';
import { acknowledgementsFor, acknowledgementsOf, allAcknowledgements, forgetAcknowledgements, putAcknowledgement } from './acknowledgement-store.ts';
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
    // The acknowledgements are read from their own database (acknowledgement-store.ts), by key and each time:
    // Dexie is told of none of those writes. Not a Dexie call, so wrapped to keep the live query's context.
    const open = await unacknowledged(db).toArray();
    const ids = open.map((alert) => alert.id);
    const acknowledgements = ids.length === 0 ? [] : await Promise.resolve(acknowledgementsFor(db.name).then((store) => acknowledgementsOf(store, ids)));
    const pending = open.filter((alert, i) => !acknowledges(acknowledgements[i], alert));
    return pending.sort((a, b) => a.rank - b.rank || a.answeredAt.localeCompare(b.answeredAt));
  });
}

/** How many alerts wait, counted on the index alone: no alert is opened, for a screen that must show none. */
export function waitingAlertCount(db: OutriderDb): Observable<number> {
  return liveQuery(() => unacknowledged(db).count());
}

/**
 * Stores the officer's acknowledgement of `alert` in a database of its own (acknowledgement-store.ts), with no read
 * before the write: in the terminal's database it would wait for the answer batches being stored (31.9 ms at the
 * median). From then on the alert stays acknowledged across a reload; `foldAcknowledgements` writes it into the
 * alert, with its audit line. The row is posted to the intake's worker at once, in the caller's task, and
 * committed there: the page's main thread, busy closing the dialog, would hear of a put of its own late (p99 159
 * ms). Where there is no worker, or it cannot run, the page writes it.
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
  markAlertAcknowledged(alert.queryId, await putAcknowledgement(await acknowledgementsFor(db.name), row, 'relaxed'));
}

/** The audit line of an acknowledgement, timed at the key; says so if the alert has been raised since or is not stored. */
function acknowledgedLine(acknowledgement: AcknowledgementRecord, alert: AlertRecord | undefined): AuditEntry {
  const { id, severity, at } = acknowledgement;
  const what = !alert ? 'alert not stored' : acknowledges(acknowledgement, alert) ? alert.title : `since raised to ${alert.severity}: ${alert.title}`;
  return { at: new Date(at).toISOString(), action: 'alert.acknowledged', subject: id, outcome: `${severity}: ${what}` };
}

/**
 * Writes every stored acknowledgement into its alert, with its audit line, in one transaction, then lets it go: right
 * after an acknowledgement, and at start for any a closed page left. An alert acknowledged already (in another
 * window, or by a fold that stopped before letting go) gets no second line.
 */
export async function foldAcknowledgements(db: OutriderDb): Promise<void> {
  const store = await acknowledgementsFor(db.name);
  const stored = await allAcknowledgements(store);
  await db.transaction('rw', db.acknowledgements, db.alerts, db.audit, () => foldAcknowledgementsIn(db, stored));
  await forgetAcknowledgements(store, stored);
}

/**
 * Folds `stored` (read from their database) into their alerts, within a transaction of the caller's that holds the
 * terminal's acknowledgements, alerts and audit trail. Acknowledgements an older build kept in the terminal's own
 * database (schema 8) are folded with them, and let go here.
 */
export async function foldAcknowledgementsIn(db: OutriderDb, stored: readonly AcknowledgementRecord[]): Promise<void> {
  const kept = await db.acknowledgements.toArray();
  const held = [...kept.filter((old) => !stored.some((row) => row.id === old.id)), ...stored];
  if (held.length === 0) return;
  const alerts = await db.alerts.bulkGet(held.map((acknowledgement) => acknowledgement.id));
  const open = held.flatMap((acknowledgement, i) => (alerts[i]?.acknowledgedAt === 0 || !alerts[i] ? [{ acknowledgement, alert: alerts[i] }] : []));
  const acknowledged = open.flatMap(({ acknowledgement, alert }) => (alert && acknowledges(acknowledgement, alert) ? [{ ...alert, acknowledgedAt: acknowledgement.at }] : []));
  await Promise.all([
    ...(acknowledged.length > 0 ? [db.alerts.bulkPut(acknowledged)] : []),
    ...(open.length > 0 ? [db.audit.bulkAdd(open.map(({ acknowledgement, alert }) => acknowledgedLine(acknowledgement, alert)))] : []),
    ...(kept.length > 0 ? [db.acknowledgements.bulkDelete(kept.map((acknowledgement) => acknowledgement.id))] : []),
  ]);
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
