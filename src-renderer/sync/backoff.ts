// Exponential backoff with full jitter (delay drawn uniformly from 0 to the capped exponential).

export interface BackoffPolicy {
  baseMs: number;
  capMs: number;
}

/** The ceiling for the n-th consecutive failure (n from 1): base * 2^(n-1), at most cap. */
export function backoffCeiling(failures: number, policy: BackoffPolicy): number {
  const exponent = Math.max(0, Math.min(failures - 1, 30));
  return Math.min(policy.capMs, policy.baseMs * 2 ** exponent);
}

/** Full jitter spreads a fleet of cars leaving the same tunnel instead of having them probe in step. */
export function backoffDelay(failures: number, policy: BackoffPolicy, random: () => number = Math.random): number {
  return Math.floor(random() * backoffCeiling(failures, policy));
}

/** Retry-After as seconds or an HTTP date, in milliseconds from now; undefined when absent or unreadable. */
export function parseRetryAfter(header: string | null, now: number = Date.now()): number | undefined {
  if (header === null || header.trim() === '') return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
