// The benchmark's arithmetic and its table: percentiles, ratios, targets. Pure, so a unit test guards it.

export type Unit = 'µs' | 'ms' | 's' | 'KB' | 'MB' | 'q/s' | 'queries';

/**
 * A measured value. `above` means the measurement window ran out first: the true value is larger
 * than this (Workbox never replayed within 30 s: "> 30 s").
 */
export interface Measured {
  value: number;
  bound?: 'exact' | 'above';
}

/** A target on the row's own value or on its ratio to the baseline; `max` and `min` are inclusive. */
export interface Target {
  on: 'value' | 'ratio';
  max?: number;
  min?: number;
  text: string;
}

export interface Row {
  figure: string;
  unit: Unit;
  /** null: the figure could not be measured (the feature does not exist yet, or the run failed). */
  outrider: Measured | null;
  baseline?: { name: string; measured: Measured | null };
  targets: Target[];
  note?: string;
  /** The product has no such feature yet: the row says so instead of a number. */
  notImplemented?: boolean;
}

/** outrider / baseline. `below` when the baseline is only a lower bound, so the true ratio is smaller. */
export interface Ratio {
  value: number;
  bound: 'exact' | 'below' | 'above';
}

export type Verdict = 'met' | 'missed' | 'n/a';

/** Linear interpolation between closest ranks (numpy's default); p in 0..100. */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) throw new Error('percentile of no samples');
  if (p < 0 || p > 100) throw new Error(`percentile ${p} is outside 0..100`);
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = (p / 100) * (sorted.length - 1);
  const low = Math.floor(rank);
  const high = Math.ceil(rank);
  return sorted[low]! + (sorted[high]! - sorted[low]!) * (rank - low);
}

export const median = (samples: readonly number[]): number => percentile(samples, 50);

export function ratio(outrider: Measured | null, baseline: Measured | null | undefined): Ratio | null {
  if (!outrider || !baseline || baseline.value === 0) return null;
  const value = outrider.value / baseline.value;
  const outAbove = outrider.bound === 'above';
  const baseAbove = baseline.bound === 'above';
  // Both only bounded from below: nothing can be said about their ratio.
  if (outAbove && baseAbove) return null;
  return { value, bound: baseAbove ? 'below' : outAbove ? 'above' : 'exact' };
}

function meets(target: Target, measured: Measured | null, quotient: Ratio | null): boolean | null {
  const subject = target.on === 'value' ? (measured ? { value: measured.value, bound: measured.bound ?? 'exact' } : null) : quotient;
  if (!subject) return null;
  const { value, bound } = subject;
  // A bound decides a target only in one direction: "> 30 s" certainly misses "≤ 1.5 s", never surely meets "≥ 40 s".
  const checks: Array<boolean | null> = [];
  if (target.max !== undefined) checks.push(value <= target.max ? (bound === 'above' ? null : true) : bound === 'below' ? null : false);
  if (target.min !== undefined) checks.push(value >= target.min ? (bound === 'below' ? null : true) : bound === 'above' ? null : false);
  return checks.includes(false) ? false : checks.includes(null) ? null : true;
}

/** Met only when every target is met; missed as soon as one is; n/a when a figure is missing or no target applies. */
export function verdict(row: Row): Verdict {
  if (row.targets.length === 0) return 'n/a';
  const quotient = ratio(row.outrider, row.baseline?.measured);
  const results = row.targets.map((target) => meets(target, row.outrider, quotient));
  if (results.includes(false)) return 'missed';
  return results.includes(null) ? 'n/a' : 'met';
}

export function formatValue(measured: Measured | null, unit: Unit): string {
  if (!measured) return '—';
  const { value } = measured;
  const digits = unit === 's' ? 2 : unit === 'q/s' || unit === 'queries' ? 0 : Math.abs(value) < 10 ? 2 : Math.abs(value) < 100 ? 1 : 0;
  return `${measured.bound === 'above' ? '> ' : ''}${value.toFixed(digits)} ${unit}`;
}

export function formatRatio(quotient: Ratio | null): string {
  if (!quotient) return '—';
  const prefix = quotient.bound === 'below' ? '< ' : quotient.bound === 'above' ? '> ' : '';
  return `${prefix}${quotient.value < 0.1 ? quotient.value.toFixed(3) : quotient.value.toFixed(2)}x`;
}

const COLUMNS = ['figure', 'Outrider', 'baseline', 'ratio', 'target', 'met'] as const;

/** The rows as printed cells: what the table shows and what the JSON carries as text. */
export function cells(row: Row): Record<(typeof COLUMNS)[number], string> {
  const quotient = ratio(row.outrider, row.baseline?.measured);
  const baseline = row.baseline ? `${formatValue(row.baseline.measured, row.unit)} (${row.baseline.name})` : '—';
  return {
    figure: row.figure,
    Outrider: row.outrider ? formatValue(row.outrider, row.unit) : row.notImplemented ? 'not yet implemented' : 'failed',
    baseline,
    ratio: formatRatio(quotient),
    target: row.targets.map((target) => target.text).join('; ') || '—',
    met: verdict(row),
  };
}

/** A plain-text table, one row per figure, columns padded to their widest cell; notes follow underneath. */
export function formatTable(rows: readonly Row[]): string {
  const body = rows.map(cells);
  const widths = COLUMNS.map((column) => Math.max(column.length, ...body.map((cell) => cell[column].length)));
  const line = (values: readonly string[]) => values.map((value, i) => value.padEnd(widths[i]!)).join('  ').trimEnd();
  const table = [line(COLUMNS), line(widths.map((width) => '-'.repeat(width))), ...body.map((cell) => line(COLUMNS.map((column) => cell[column])))];
  const notes = rows.filter((row) => row.note && !row.notImplemented).map((row) => `* ${row.figure}: ${row.note}`);
  return [...table, ...(notes.length ? ['', ...notes] : [])].join('\n');
}

/** The JSON the bench writes: numbers for machines, the same cells as the table for people. */
export function toJson(rows: readonly Row[], meta: Record<string, unknown>): unknown {
  return {
    meta,
    figures: rows.map((row) => ({
      ...row,
      ratio: ratio(row.outrider, row.baseline?.measured),
      verdict: verdict(row),
      cells: cells(row),
    })),
  };
}

/** One mark as Chromium records it: name, time, and the query it is about. */
export interface Mark {
  name: string;
  startTime: number;
  queryId: string;
}

/**
 * Pairs each alert-visible mark with the answer that caused it: the latest answer-arrived mark for the
 * same query at or before it. A streamed answer marks each part's arrival; the part that completed the
 * hit is the last one before the alert.
 */
export function arrivalToAlert(marks: readonly Mark[], arrived = 'outrider:answer-arrived', visible = 'outrider:alert-visible'): number[] {
  const arrivals = new Map<string, number[]>();
  for (const mark of marks) {
    if (mark.name !== arrived) continue;
    arrivals.set(mark.queryId, [...(arrivals.get(mark.queryId) ?? []), mark.startTime]);
  }
  const latencies: number[] = [];
  for (const mark of marks) {
    if (mark.name !== visible) continue;
    const before = (arrivals.get(mark.queryId) ?? []).filter((time) => time <= mark.startTime);
    if (before.length > 0) latencies.push(mark.startTime - Math.max(...before));
  }
  return latencies;
}

/**
 * For each mark of this name, the time since the last Enter before it (`enters`, in order): from the key an officer
 * pressed to what it caused, when each Enter causes at most one such mark.
 */
export function enterToMark(enters: readonly number[], marks: readonly Mark[], name: string): number[] {
  const latencies: number[] = [];
  for (const mark of marks) {
    if (mark.name !== name) continue;
    const before = enters.filter((time) => time <= mark.startTime);
    if (before.length > 0) latencies.push(mark.startTime - before.at(-1)!);
  }
  return latencies;
}

/** For each start, in order, the first end at or after it not already taken: Enter presses to their commits. */
export function pairEach(starts: readonly number[], ends: readonly number[]): number[] {
  const durations: number[] = [];
  let next = 0;
  for (const start of starts) {
    while (next < ends.length && ends[next]! < start) next++;
    if (next === ends.length) break;
    durations.push(ends[next]! - start);
    next++;
  }
  return durations;
}

/** Rows that should have a figure and have none: what the --quick smoke run fails on. */
export function unproduced(rows: readonly Row[]): Row[] {
  return rows.filter((row) => !row.notImplemented && (!row.outrider || (row.baseline !== undefined && !row.baseline.measured)));
}
