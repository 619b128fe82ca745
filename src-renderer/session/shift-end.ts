// The end of an officer's shift here: sending stops, queued queries are held for them or discarded at their
// word, the token is revoked on the switch if it can be reached, and cached CJI and authenticators are erased.
import type { OfficerRecord, OutriderDb } from '../db/database.ts';
import type { AuthClient } from './auth-client.ts';
import { discardQueued, endShift, holdQueued } from './officer-store.ts';

export type QueuedChoice = 'hold' | 'discard';

export interface ShiftEndDeps {
  db: OutriderDb;
  auth: Pick<AuthClient, 'signOut'>;
  now: () => Date;
  /** The terminal stops sending first: nothing goes out under an officer who has left. */
  beforeShiftEnds: () => Promise<void>;
}

/** Ends `officer`'s shift; `outcome` says why, for the audit trail. Throws with nothing erased if a step fails. */
export async function endShiftHere(deps: ShiftEndDeps, officer: OfficerRecord, queued: QueuedChoice, outcome: string, token?: string): Promise<void> {
  await deps.beforeShiftEnds();
  const now = deps.now();
  const moved = queued === 'hold' ? await holdQueued(deps.db, officer, now) : await discardQueued(deps.db, officer.id, now);
  const revoke = officer.session?.token ?? token;
  if (revoke) await deps.auth.signOut(revoke);
  await endShift(deps.db, officer.id, now, `${outcome}; ${moved} queued ${queued === 'hold' ? 'held' : 'discarded'}`);
}
