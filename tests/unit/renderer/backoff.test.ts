// Offline probes back off exponentially with full jitter, never past the cap.
import { describe, expect, it } from 'vitest';
import { backoffCeiling, backoffDelay, parseRetryAfter } from '../../../src-renderer/sync/backoff.ts';

const policy = { baseMs: 1000, capMs: 30_000 };

describe('backoff', () => {
  it('doubles the ceiling per failure up to the cap', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 50].map((n) => backoffCeiling(n, policy))).toEqual([1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000]);
  });

  it('draws the delay from zero to the ceiling (full jitter)', () => {
    expect(backoffDelay(3, policy, () => 0)).toBe(0);
    expect(backoffDelay(3, policy, () => 0.5)).toBe(2000);
    expect(backoffDelay(3, policy, () => 0.999999)).toBe(3999);
    for (let failures = 1; failures < 40; failures++) {
      const delay = backoffDelay(failures, policy);
      expect(delay).toBeGreaterThanOrEqual(0);
      expect(delay).toBeLessThan(policy.capMs);
    }
  });

  it('reads Retry-After as seconds or as an HTTP date', () => {
    const now = Date.parse('2026-11-23T10:00:00Z');
    expect(parseRetryAfter('7', now)).toBe(7000);
    expect(parseRetryAfter('Mon, 23 Nov 2026 10:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(null, now)).toBeUndefined();
  });
});
