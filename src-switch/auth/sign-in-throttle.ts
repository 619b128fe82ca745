// Failed sign-ins counted per client address as well as per officer: one client trying officer after officer
// (a stolen list of IDs, a script spraying one password) is stopped before it can lock a fleet out.
import { LOCKOUT_WINDOW_MS } from '../../src-shared/auth.ts';

/**
 * Distinct officer IDs one address may fail against within the lockout window. An officer mistyping their
 * own password stays at one; a shared car (two officers) at two. Outrider choice: a fourth ID from the same
 * address in 15 minutes is an attack, not a shift change.
 */
export const ADDRESS_OFFICER_LIMIT = 3;
/** Addresses tracked at once; the oldest is forgotten first past this many. */
const ADDRESSES_KEPT = 10_000;

export class SignInThrottle {
  /** Per address: the officer IDs it failed against, with the time of the latest failure. */
  readonly #failures = new Map<string, Map<string, number>>();

  constructor(private readonly limit = ADDRESS_OFFICER_LIMIT) {}

  /** Milliseconds `address` must wait before trying `officerId`, or 0 when it may try now. */
  waitFor(address: string, officerId: string, now: number): number {
    const tried = this.#recent(address, now);
    if (tried.has(officerId) || tried.size < this.limit) return 0;
    return Math.min(...tried.values()) + LOCKOUT_WINDOW_MS - now;
  }

  failed(address: string, officerId: string, now: number): void {
    const tried = this.#recent(address, now);
    tried.set(officerId, now);
    this.#failures.delete(address);
    this.#failures.set(address, tried);
    if (this.#failures.size > ADDRESSES_KEPT) this.#failures.delete(this.#failures.keys().next().value!);
  }

  #recent(address: string, now: number): Map<string, number> {
    const tried = this.#failures.get(address) ?? new Map<string, number>();
    for (const [id, at] of tried) if (now - at >= LOCKOUT_WINDOW_MS) tried.delete(id);
    return tried;
  }
}
