// A drill's steps as the moments the switch acts on, and each step in words for the instructor's console.
import type { ConditionChange, Drill, DrillStep } from '../../src-shared/drill.ts';

export type DrillAction =
  | { atMs: number; kind: 'set'; step: number; change: ConditionChange }
  /** A restart step: the switch goes down at its `at`... */
  | { atMs: number; kind: 'down'; step: number }
  /** ...and is back `downSeconds` later. */
  | { atMs: number; kind: 'up'; step: number }
  | { atMs: number; kind: 'end' };

/** In time order; actions at the same moment keep file order, so a restart's return comes before a step at that second. */
export function timelineOf(drill: Drill): DrillAction[] {
  const actions: DrillAction[] = drill.steps.flatMap((step, index): DrillAction[] => {
    const atMs = step.at * 1000;
    if ('set' in step) return [{ atMs, kind: 'set', step: index, change: step.set }];
    return [
      { atMs, kind: 'down', step: index },
      { atMs: atMs + step.restart.downSeconds * 1000, kind: 'up', step: index },
    ];
  });
  actions.push({ atMs: drill.durationSeconds * 1000, kind: 'end' });
  // Array.prototype.sort is stable, which is what keeps same-moment actions in file order.
  return actions.sort((a, b) => a.atMs - b.atMs);
}

const CHANGE_TEXT: { [K in keyof Required<ConditionChange>]: (value: Required<ConditionChange>[K]) => string } = {
  outage: (on) => `outage ${on ? 'on' : 'off'}`,
  blackHole: (on) => `black hole ${on ? 'on' : 'off'}`,
  latencyMs: (ms) => `latency ${ms} ms`,
  jitterMs: (ms) => `jitter up to ${ms} ms`,
  lossPercent: (percent) => `loss ${percent}%`,
  serverErrorPercent: (percent) => `503s ${percent}%`,
  retryAfterSeconds: (seconds) => (seconds > 0 ? `429 with Retry-After ${seconds} s` : 'no 429s'),
  truncatePercent: (percent) => `truncated answers ${percent}%`,
  malformedPercent: (percent) => `garbled answers ${percent}%`,
  lostAckPercent: (percent) => `lost acknowledgements ${percent}%`,
  slowSource: (slow) => (slow ? `${slow.source} slower by ${slow.extraMs} ms` : 'no slow source'),
};

/** `steps[2]`'s change in words: "loss 30%, latency 2000 ms". */
export function describeStep(step: DrillStep): string {
  if ('restart' in step) return `switch restart, down ${step.restart.downSeconds} s`;
  return describeChange(step.set);
}

/** A change of conditions in words: "loss 30%, latency 2000 ms". */
export function describeChange(change: ConditionChange): string {
  return Object.entries(change)
    .map(([name, value]) => (CHANGE_TEXT[name as keyof ConditionChange] as (value: unknown) => string)(value))
    .join(', ');
}
