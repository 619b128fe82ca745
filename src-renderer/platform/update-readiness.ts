// Tells the host, on every change, how many queries still await an answer and how many alerts are open:
// the Electron shell installs no update until both are zero.
import { unacknowledged } from '../alerts/alert-center.ts';
import { throttledQuery } from '../db/throttled-query.ts';
import type { UpdateReadiness } from '../../src-shared/ipc.ts';
import type { OutriderDb } from '../db/database.ts';
import { AWAITING_ANSWER, countStatuses } from '../outbox/status-count.ts';
import type { Platform } from './platform.ts';

async function readiness(db: OutriderDb): Promise<UpdateReadiness> {
  const [queuedQueries, unacknowledgedAlerts] = await Promise.all([
    countStatuses(db, AWAITING_ANSWER),
    unacknowledged(db).count(),
  ]);
  return { queuedQueries, unacknowledgedAlerts };
}

/** Reports now and after every change to the outbox or alerts, from any window; returns the unsubscribe. */
export function reportUpdateReadiness(db: OutriderDb, platform: Platform): () => void {
  const subscription = throttledQuery(db, ['outbox', 'alerts'], () => readiness(db)).subscribe({
    next: (value) => void platform.reportUpdateReadiness(value),
    // Unreadable storage is not a reason to crash the page. The host keeps the last report; a renderer
    // that never managed one leaves the gate shut.
    error: (error: unknown) => console.warn('Update readiness could not be read', error),
  });
  return () => subscription.unsubscribe();
}
