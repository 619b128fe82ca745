// A drill a restart step interrupted, kept in the switch's store for the process that replaces this one.
import { LinkConditions } from '../../src-shared/conditions.ts';
import { Drill, type DrillRestart } from '../../src-shared/drill.ts';
import type { SwitchStore } from '../store/store.ts';
import type { DriveCrossing } from '../../src-shared/drive.ts';
import type { PlayerPosition } from './drill-player.ts';
import type { DriveInside } from './drive-player.ts';
import type { LedgerSnapshot } from './query-ledger.ts';

/** Everything the next process needs to carry on: the drill, where it was, the link, and the report so far. */
export interface KeptDrill {
  /** Names this restart: the supervisor hands it to the new process, so a stale record is never picked up. */
  restartId: string;
  source: string | null;
  drill: Drill;
  position: PlayerPosition;
  /** The link conditions as the restart step found them (its outage included). */
  conditions: LinkConditions;
  ledger: LedgerSnapshot;
  restarts: DrillRestart[];
  /** A drive's polygon the car was in (and what its conditions replaced), and the crossings so far. */
  drive?: { inside: DriveInside; crossings: DriveCrossing[] };
}

const NAMESPACE = 'drill';
const KEY = 'interrupted';
/** A record no process picked up within this long after its restart is forgotten by the store's purge. */
const KEPT_FOR_MS = 60 * 60 * 1000;

export type TakeResult = { ok: true; value: KeptDrill } | { ok: false; error: string };

export class DrillKeeper {
  constructor(private readonly store: SwitchStore) {}

  async keep(drill: KeptDrill, now: number): Promise<void> {
    await this.store.update<KeptDrill, void>(NAMESPACE, KEY, () => ({ next: drill, expiresAt: now + KEPT_FOR_MS, result: undefined }));
  }

  /** Reads and forgets the record of restart `restartId`: a drill is picked up once, by the process started for it. */
  async take(restartId: string): Promise<TakeResult> {
    const kept = await this.store.update<KeptDrill, KeptDrill | undefined>(NAMESPACE, KEY, (current) => ({ next: null, result: current }));
    if (!kept) return { ok: false, error: 'the store holds no interrupted drill' };
    if (kept.restartId !== restartId) return { ok: false, error: 'the interrupted drill in the store is from another restart' };
    const drill = Drill.safeParse(kept.drill);
    const conditions = LinkConditions.safeParse(kept.conditions);
    if (!drill.success || !conditions.success) return { ok: false, error: 'the interrupted drill in the store is not one this switch can read' };
    return { ok: true, value: { ...kept, drill: drill.data, conditions: conditions.data } };
  }
}
