// How long to wait before trying a GPS source again: doubling from a base, up to a cap.
import { FIELD_CONFIG } from '../../src-shared/field-config.ts';

export interface RetryPolicy {
  baseMs: number;
  capMs: number;
}

export const GPS_RETRY: RetryPolicy = { baseMs: FIELD_CONFIG.gpsRetryBaseMs, capMs: FIELD_CONFIG.gpsRetryCapMs };

/** The wait after the n-th failure in a row (n from 1). No jitter: each car has one receiver, not a fleet's server. */
export function retryDelay(failures: number, policy: RetryPolicy): number {
  return Math.min(policy.capMs, policy.baseMs * 2 ** Math.min(Math.max(failures - 1, 0), 20));
}
