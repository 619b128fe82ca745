// Failed sign-ins counted per client address as well as per officer: one client trying officer after officer
// (a stolen list of IDs, a script spraying one password) is stopped before it can lock a fleet out.
import { LOCKOUT_WINDOW_MS } from '../../src-shared/auth.ts';
import type { SwitchStore } from '../store/store.ts';

/**
 * Distinct officer IDs one address may fail against within the lockout window. An officer mistyping their
 * own password stays at one; a shared car (two officers) at two. Outrider choice: a fourth ID from the same
 * address in 15 minutes is an attack, not a shift change.
 */
export const ADDRESS_OFFICER_LIMIT = 3;
const ADDRESSES = 'address';

export class SignInThrottle {
  constructor(
    private readonly store: SwitchStore,
    private readonly limit = ADDRESS_OFFICER_LIMIT,
  ) {}

  /** Milliseconds `address` must wait before trying `officerId`, or 0 when it may try now. */
  async waitFor(address: string, officerId: string, now: number): Promise<number> {
    const tried = recent((await this.store.get<Record<string, number>>(ADDRESSES, address)) ?? {}, now);
    if (officerId in tried || Object.keys(tried).length < this.limit) return 0;
    return Math.min(...Object.values(tried)) + LOCKOUT_WINDOW_MS - now;
  }

  /** Per address: the officer IDs it failed against, with the time of the latest failure; forgotten after the window. */
  async failed(address: string, officerId: string, now: number): Promise<void> {
    await this.store.update<Record<string, number>, void>(ADDRESSES, address, (current) => ({
      next: { ...recent(current ?? {}, now), [officerId]: now },
      expiresAt: now + LOCKOUT_WINDOW_MS,
      result: undefined,
    }));
  }
}

function recent(tried: Record<string, number>, now: number): Record<string, number> {
  return Object.fromEntries(Object.entries(tried).filter(([, at]) => now - at < LOCKOUT_WINDOW_MS));
}
