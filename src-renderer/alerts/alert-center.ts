// Alerts stay until acknowledged; acknowledgement is audited and kept in IndexedDB, so a reload shows them again.
import { liveQuery, type Observable } from 'dexie';
import { keepingUnchangedRows, type ThrottledQuery, throttledQuery } from '../db/throttled-query.ts';
import type { AlertSeverity } from '../../src-shared/ipc.ts';
import type { AlertRecord, OutriderDb } from '../db/database.ts';
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

/** Unacknowledged alerts, most severe first, then oldest first. */
export function pendingAlerts(db: OutriderDb): Observable<AlertRecord[]> {
  return liveQuery(async () => {
    const open = await unacknowledged(db).toArray();
    return open.sort((a, b) => a.rank - b.rank || a.answeredAt.localeCompare(b.answeredAt));
  });
}

/** How many alerts wait, counted on the index alone: no alert is opened, for a screen that must show none. */
export function waitingAlertCount(db: OutriderDb): Observable<number> {
  return liveQuery(() => unacknowledged(db).count());
}

/** Stores the acknowledgement of alert `id` with its audit line. False when storage holds no such alert. */
export async function acknowledgeAlert(db: OutriderDb, id: string, now: Date = new Date()): Promise<boolean> {
  let found = false;
  const acknowledged = await db.transaction('rw', db.alerts, db.audit, async () => {
    const alert = await db.alerts.get(id);
    found = alert !== undefined;
    if (!alert || alert.acknowledgedAt !== 0) return undefined;
    // The alert was just read whole: written back whole, in parallel with its audit line, rather than read again to update.
    await Promise.all([
      db.alerts.put({ ...alert, acknowledgedAt: now.getTime() }),
      db.audit.add({ at: now.toISOString(), action: 'alert.acknowledged', subject: id, outcome: `${alert.severity}: ${alert.title}` }),
    ]);
    return alert;
  });
  if (acknowledged) markAlertAcknowledged(acknowledged.queryId);
  return found;
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
