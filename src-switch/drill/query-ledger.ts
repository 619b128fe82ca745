// What the switch did with each query during a drill: received, executed, refused as a duplicate, delivered, and how late.
import type { LinkConditions } from '../../src-shared/conditions.ts';
import { DEFAULT_LATE_AFTER_SECONDS, type DrillReport, type DrillRestart, type DrillState, type LateAnswer } from '../../src-shared/drill.ts';

/** Keys remembered per drill; past this the oldest are forgotten so a looping drill cannot grow without limit. */
const KEYS_KEPT = 50_000;
/** Late answers listed by name in a report; the count covers them all. */
const LATE_LISTED = 200;
/** Changes of the link conditions remembered per drill, for the drawing; a looping drill keeps its latest. */
const CHANGES_KEPT = 5_000;

interface KeyRecord {
  firstReceivedMs: number;
  executed: boolean;
  /** When the first answer for this key reached the terminal. */
  deliveredMs?: number;
  /** The terminal whose session sent it (absent where the switch runs without sessions): where its audit trail is. */
  terminal?: string;
}

/** The link conditions from `atMs` on, until the next change. */
export interface ConditionChangeAt {
  atMs: number;
  conditions: LinkConditions;
}

/** One query as the switch saw it: the raw material of the report's drawing. */
export interface QueryAtSwitch {
  key: string;
  terminal?: string;
  firstReceivedMs: number;
  deliveredMs?: number;
  late: boolean;
}

export type Admission = 'new' | 'replay' | 'mismatch';

/** The ledger as plain data, kept in the store across a drill's process restart. */
export interface LedgerSnapshot {
  drill: string | null;
  lateAfterMs: number;
  startedMs: number;
  counts: { received: number; executed: number; duplicatesRefused: number; keyReused: number };
  keys: Array<[string, KeyRecord]>;
  /** Absent in a snapshot kept by a switch from before the drawing: the drawing then shows a normal link. */
  changes?: ConditionChangeAt[];
}

export class QueryLedger {
  #keys = new Map<string, KeyRecord>();
  #changes: ConditionChangeAt[] = [];
  #counts = { received: 0, executed: 0, duplicatesRefused: 0, keyReused: 0 };
  #drill: string | null = null;
  #lateAfterMs: number;
  #startedMs: number;

  constructor(
    private readonly clock: () => number = Date.now,
    lateAfterSeconds = DEFAULT_LATE_AFTER_SECONDS,
  ) {
    this.#startedMs = clock();
    this.#lateAfterMs = lateAfterSeconds * 1000;
  }

  /** Starts a fresh count for a drill. */
  begin(drill: string, lateAfterSeconds: number): void {
    this.#keys = new Map();
    this.#counts = { received: 0, executed: 0, duplicatesRefused: 0, keyReused: 0 };
    this.#drill = drill;
    this.#lateAfterMs = lateAfterSeconds * 1000;
    this.#startedMs = this.clock();
    const last = this.#changes.at(-1);
    // The link as the drill found it, so the drawing starts from what really held.
    this.#changes = last ? [{ atMs: this.#startedMs, conditions: last.conditions }] : [];
  }

  snapshot(): LedgerSnapshot {
    return { drill: this.#drill, lateAfterMs: this.#lateAfterMs, startedMs: this.#startedMs, counts: { ...this.#counts }, keys: [...this.#keys].map(([key, record]) => [key, { ...record }]), changes: [...this.#changes] };
  }

  /** Carries on counting from `snapshot`: the drill a process restart interrupted. */
  restore(snapshot: LedgerSnapshot): void {
    this.#drill = snapshot.drill;
    this.#lateAfterMs = snapshot.lateAfterMs;
    this.#startedMs = snapshot.startedMs;
    this.#counts = { ...snapshot.counts };
    this.#keys = new Map(snapshot.keys);
    this.#changes = [...(snapshot.changes ?? [])];
  }

  /** The link conditions changed (by a drill step or by the instructor's hand). */
  conditionsChanged(conditions: LinkConditions): void {
    const atMs = this.clock();
    // Several changes in one moment (a step applied on top of a reset) leave only the last standing.
    if (this.#changes.at(-1)?.atMs === atMs) this.#changes.pop();
    this.#changes.push({ atMs, conditions });
    if (this.#changes.length > CHANGES_KEPT) this.#changes.shift();
  }

  /** A query submission with a valid key got through the link to the switch, from `terminal`'s session if it had one. */
  received(key: string, terminal?: string): void {
    this.#counts.received++;
    if (this.#keys.has(key)) return;
    this.#keys.set(key, { firstReceivedMs: this.clock(), executed: false, ...(terminal === undefined ? {} : { terminal }) });
    if (this.#keys.size > KEYS_KEPT) this.#keys.delete(this.#keys.keys().next().value!);
  }

  admitted(key: string, admission: Admission): void {
    if (admission === 'new') {
      this.#counts.executed++;
      const record = this.#keys.get(key);
      if (record) record.executed = true;
    } else if (admission === 'replay') this.#counts.duplicatesRefused++;
    else this.#counts.keyReused++;
  }

  /** The whole answer for `key` has been handed to the terminal's connection. Only the first delivery counts. */
  delivered(key: string): void {
    const record = this.#keys.get(key);
    if (record && record.deliveredMs === undefined) record.deliveredMs = this.clock();
  }

  /** Each query and each change of the link so far, for the report's drawing. */
  lives(): { queries: QueryAtSwitch[]; changes: ConditionChangeAt[] } {
    const queries = [...this.#keys].map(([key, record]): QueryAtSwitch => {
      return { key, firstReceivedMs: record.firstReceivedMs, late: this.#isLate(record), ...(record.terminal === undefined ? {} : { terminal: record.terminal }), ...(record.deliveredMs === undefined ? {} : { deliveredMs: record.deliveredMs }) };
    });
    return { queries, changes: [...this.#changes] };
  }

  /** The report so far; a drill that has ended or been stopped is stamped with the time of asking. */
  report(state: DrillState, restarts: readonly DrillRestart[] = []): DrillReport {
    const finished = state === 'ended' || state === 'stopped';
    const delivered = [...this.#keys].filter(([, record]) => record.deliveredMs !== undefined);
    const delays = delivered.map(([, record]) => record.deliveredMs! - record.firstReceivedMs).sort((a, b) => a - b);
    const late: LateAnswer[] = delivered
      .filter(([, record]) => this.#isLate(record))
      .map(([key, record]) => ({
        idempotencyKey: key,
        firstReceivedAt: new Date(record.firstReceivedMs).toISOString(),
        deliveredAt: new Date(record.deliveredMs!).toISOString(),
        delayMs: record.deliveredMs! - record.firstReceivedMs,
      }))
      .sort((a, b) => b.delayMs - a.delayMs);
    return {
      drill: this.#drill,
      state,
      startedAt: new Date(this.#startedMs).toISOString(),
      endedAt: finished ? new Date(this.clock()).toISOString() : null,
      lateAfterSeconds: this.#lateAfterMs / 1000,
      queries: { ...this.#counts, distinctKeys: this.#keys.size },
      answers: {
        delivered: delivered.length,
        undelivered: [...this.#keys.values()].filter((record) => record.executed && record.deliveredMs === undefined).length,
        late: late.length,
        medianDelayMs: delays.length === 0 ? null : delays[Math.floor((delays.length - 1) / 2)]!,
        maxDelayMs: delays.at(-1) ?? null,
      },
      lateAnswers: late.slice(0, LATE_LISTED),
      restarts: restarts.map((restart) => ({ ...restart })),
    };
  }

  #isLate(record: KeyRecord): boolean {
    return record.deliveredMs !== undefined && record.deliveredMs - record.firstReceivedMs > this.#lateAfterMs;
  }
}
