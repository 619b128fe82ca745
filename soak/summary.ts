// A soak's result as one line a person can read, and what in it is a failure.
import type { ExecutionStats } from '../src-shared/protocol.ts';
import type { AlertTally } from './alert-tally.ts';

/** What every soak counts, whatever it does to the terminal. */
export interface SoakCounts extends AlertTally {
  soak: string;
  queries: number;
  /** Queries the terminal no longer holds. */
  lost: number;
  /** Queries it holds but never saw answered. */
  unanswered: number;
  /** Queries the switch ran more than once. */
  executedTwice: number;
  /** Queries the switch never ran. */
  notExecuted: number;
  /** Times Chromium deleted the profile's IndexedDB as corrupt after a kill (the crash soak), each restored from the queue journal. */
  storesDeleted?: number;
}

/**
 * What became of `queries` queries: the terminal's outbox rows (id, status) at the end, and the switch's execution
 * counts before and after the run (the keys the run added are its queries').
 */
export function queryCounts(queries: number, outbox: ReadonlyArray<{ status: string }>, start: ExecutionStats, end: ExecutionStats) {
  const keys = Object.keys(end.byKey).filter((key) => !(key in start.byKey));
  return {
    queries,
    lost: queries - outbox.length,
    unanswered: outbox.filter((row) => row.status !== 'answered').length,
    executedTwice: keys.filter((key) => end.byKey[key]! > 1).length,
    notExecuted: queries - keys.length,
    /** Resends the switch answered from its record of the key instead of running the query again. */
    replayed: end.replayed - start.replayed,
  };
}

const count = (n: number) => n.toLocaleString('en-US');

/** e.g. `crash soak: 50 kills, 1,000 queries, 0 lost, 0 executed twice, 50 of 50 hits alerted and acknowledged once`. */
export function summaryLine(result: SoakCounts, what: string): string {
  const alerted = result.hitsAlerted === result.hits ? `${count(result.hits)}` : `${count(result.hitsAlerted)} of ${count(result.hits)}`;
  const parts = [`${result.soak} soak: ${what}`, `${count(result.queries)} queries`, `${count(result.lost)} lost`, `${count(result.executedTwice)} executed twice`, `${alerted} hits alerted`];
  if (result.storesDeleted) parts.push(`Chromium deleted the store ${result.storesDeleted === 1 ? 'once' : `${count(result.storesDeleted)} times`} (queries restored from the queue journal)`);
  const wrong = failures(result);
  return `${parts.join(', ')}${wrong.length ? `; FAILED: ${wrong.join('; ')}` : ''}`;
}

/** Every way the run fell short of "nothing lost, nothing twice, every hit alerted and acknowledged once". */
export function failures(result: SoakCounts): string[] {
  const wrong: string[] = [];
  if (result.lost) wrong.push(`${result.lost} queries lost`);
  if (result.unanswered) wrong.push(`${result.unanswered} never answered`);
  if (result.executedTwice) wrong.push(`${result.executedTwice} executed twice`);
  if (result.notExecuted) wrong.push(`${result.notExecuted} never reached the switch`);
  if (result.alertsStored !== result.hits) wrong.push(`${result.alertsStored} alerts stored for ${result.hits} hits`);
  if (result.hitsAlerted !== result.hits) wrong.push(`${result.hits - result.hitsAlerted} hits never alerted and acknowledged`);
  if (result.storesDeleted) {
    // The alerts answered before a deletion are raised again after it: each must reach the trail, once or more.
    if (result.raisedNever) wrong.push(`${result.raisedNever} alerts never raised in the kept trail`);
    if (result.acknowledgedNever) wrong.push(`${result.acknowledgedNever} alerts never acknowledged in the kept trail`);
  } else {
    if (result.raisedNotOnce) wrong.push(`${result.raisedNotOnce} alerts not raised exactly once in the kept trail`);
    if (result.acknowledgedNotOnce) wrong.push(`${result.acknowledgedNotOnce} alerts not acknowledged exactly once in the kept trail`);
  }
  return wrong;
}
