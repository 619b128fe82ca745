// Every hit alerted and acknowledged once: counted in the terminal's alert store and in the trail the switch keeps.
import type { Page } from '@playwright/test';
import type { SwitchProcess } from '../scripts/switch-process.ts';
import { keptTrail, readStore } from '../tests/support/terminal-records.ts';
import { acknowledgeAlerts, linesBySubject, type StoredAlertRow } from './terminal-state.ts';

export interface AlertTally {
  /** Hit queries entered. */
  hits: number;
  /** Alerts the terminal stored; one per hit query when all is well. */
  alertsStored: number;
  /** Hit queries with an alert the officer acknowledged (only the dialog acknowledges, so each was shown). */
  hitsAlerted: number;
  /** Alerts whose 'alert.raised' line reached the switch more than once, or never. */
  raisedNotOnce: number;
  /** Alerts whose 'alert.acknowledged' line reached the switch more than once, or never. */
  acknowledgedNotOnce: number;
  /**
   * Of those, the alerts whose line never reached it. After Chromium deleted the store (the queue journal restores the
   * queries, not what the officer saw), an alert answered before is raised and acknowledged again: at least once is
   * then what can be asked.
   */
  raisedNever: number;
  acknowledgedNever: number;
  /** Acknowledge clicks the soak made: above alertsStored when an alert came back after a crash, as it must. */
  dialogsAcknowledged: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Acknowledges what is still up, then waits (up to `waitMs`) for the terminal to hold every alert acknowledged
 * and for the trail to deliver each acknowledgement to the switch, and counts.
 */
export async function tallyAlerts(page: Page, drillSwitch: SwitchProcess, terminalId: string, hits: number, clicks: () => number, waitMs = 60_000): Promise<AlertTally> {
  let dialogsAcknowledged = 0;
  const deadline = performance.now() + waitMs;
  let alerts = await readStore<StoredAlertRow>(page, 'alerts');
  let trail = (await keptTrail(drillSwitch, terminalId)).records;
  const delivered = () => {
    const acknowledged = linesBySubject(trail, 'alert.acknowledged');
    return alerts.every((alert) => alert.acknowledgedAt > 0 && acknowledged.has(alert.id));
  };
  while (!(alerts.length >= hits && delivered()) && performance.now() < deadline) {
    dialogsAcknowledged += await acknowledgeAlerts(page);
    await sleep(250);
    alerts = await readStore<StoredAlertRow>(page, 'alerts');
    trail = (await keptTrail(drillSwitch, terminalId)).records;
  }
  const raised = linesBySubject(trail, 'alert.raised');
  const acknowledged = linesBySubject(trail, 'alert.acknowledged');
  return {
    hits,
    alertsStored: alerts.length,
    hitsAlerted: new Set(alerts.filter((alert) => alert.acknowledgedAt > 0).map((alert) => alert.queryId)).size,
    raisedNotOnce: alerts.filter((alert) => raised.get(alert.id) !== 1).length,
    acknowledgedNotOnce: alerts.filter((alert) => acknowledged.get(alert.id) !== 1).length,
    raisedNever: alerts.filter((alert) => !raised.has(alert.id)).length,
    acknowledgedNever: alerts.filter((alert) => !acknowledged.has(alert.id)).length,
    dialogsAcknowledged: clicks() + dialogsAcknowledged,
  };
}
