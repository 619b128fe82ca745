// Decides whether a downloaded update may install: never over a query still owed an answer or an open alert.
import type { UpdateReadiness } from '../../src-shared/ipc.ts';

export type InstallDecision = { readonly allowed: true } | { readonly allowed: false; readonly reason: string };

/**
 * `readiness` is the renderer's last report, or undefined when it has not reported (still starting,
 * crashed, or an old page without the bridge call): not knowing counts as not ready.
 */
export function installDecision(readiness: UpdateReadiness | undefined): InstallDecision {
  if (!readiness) return { allowed: false, reason: 'the terminal has not reported its queue and alerts yet' };
  const reasons: string[] = [];
  if (readiness.queuedQueries > 0) reasons.push(`${readiness.queuedQueries} ${readiness.queuedQueries === 1 ? 'query is' : 'queries are'} not yet answered`);
  if (readiness.unacknowledgedAlerts > 0) {
    reasons.push(`${readiness.unacknowledgedAlerts} ${readiness.unacknowledgedAlerts === 1 ? 'alert is' : 'alerts are'} not acknowledged`);
  }
  return reasons.length === 0 ? { allowed: true } : { allowed: false, reason: reasons.join(' and ') };
}
