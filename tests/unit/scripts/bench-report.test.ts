// The benchmark's arithmetic: percentiles, ratios with bounds, target verdicts, pairing, and the table.
import { describe, expect, it } from 'vitest';
import { arrivalToAlert, enterToMark, formatTable, median, pairEach, percentile, ratio, type Row, toJson, unproduced, verdict } from '../../../bench/report.ts';

const row = (overrides: Partial<Row>): Row => ({ figure: 'Figure', unit: 'ms', outrider: { value: 10 }, targets: [], ...overrides });

describe('percentile', () => {
  it('interpolates between the closest ranks', () => {
    expect(percentile([1, 2, 3, 4], 50)).toBe(2.5);
    expect(percentile([10, 20, 30, 40, 50], 99)).toBeCloseTo(49.6);
  });

  it('does not depend on the order of the samples', () => {
    expect(percentile([5, 1, 4, 2, 3], 50)).toBe(3);
    expect(median([9, 1, 5])).toBe(5);
  });

  it('gives the only sample for any percentile of one', () => {
    expect(percentile([7], 0)).toBe(7);
    expect(percentile([7], 99)).toBe(7);
  });

  it('refuses no samples and percentiles outside 0..100', () => {
    expect(() => percentile([], 50)).toThrow(/no samples/);
    expect(() => percentile([1], 101)).toThrow(/outside/);
  });
});

describe('ratio', () => {
  it('divides Outrider by the baseline', () => {
    expect(ratio({ value: 3 }, { value: 2 })).toEqual({ value: 1.5, bound: 'exact' });
  });

  it('is an upper bound when the baseline ran out of window', () => {
    expect(ratio({ value: 1 }, { value: 30, bound: 'above' })).toEqual({ value: 1 / 30, bound: 'below' });
  });

  it('is a lower bound when Outrider ran out of window', () => {
    expect(ratio({ value: 30, bound: 'above' }, { value: 3 })).toEqual({ value: 10, bound: 'above' });
  });

  it('says nothing when a side is missing, zero, or both are bounds', () => {
    expect(ratio(null, { value: 1 })).toBeNull();
    expect(ratio({ value: 1 }, undefined)).toBeNull();
    expect(ratio({ value: 1 }, { value: 0 })).toBeNull();
    expect(ratio({ value: 30, bound: 'above' }, { value: 30, bound: 'above' })).toBeNull();
  });
});

describe('verdict', () => {
  it('meets a ceiling on the value, inclusive', () => {
    expect(verdict(row({ outrider: { value: 50 }, targets: [{ on: 'value', max: 50, text: '≤ 50 ms' }] }))).toBe('met');
    expect(verdict(row({ outrider: { value: 50.1 }, targets: [{ on: 'value', max: 50, text: '≤ 50 ms' }] }))).toBe('missed');
  });

  it('needs every target met', () => {
    const targets = [
      { on: 'value' as const, max: 1.5, text: '≤ 1.5 s' },
      { on: 'ratio' as const, max: 0.1, text: '≥ 10x faster' },
    ];
    expect(verdict(row({ unit: 's', outrider: { value: 1 }, baseline: { name: 'Workbox', measured: { value: 20 } }, targets }))).toBe('met');
    expect(verdict(row({ unit: 's', outrider: { value: 1 }, baseline: { name: 'Workbox', measured: { value: 5 } }, targets }))).toBe('missed');
  });

  it('counts a baseline that never finished as at least its window', () => {
    const targets = [{ on: 'ratio' as const, max: 0.1, text: '≥ 10x faster' }];
    const never = { name: 'Workbox', measured: { value: 30, bound: 'above' as const } };
    expect(verdict(row({ outrider: { value: 2 }, baseline: never, targets }))).toBe('met');
    // 4 s against "more than 30 s" may or may not be 10x: the run cannot tell.
    expect(verdict(row({ outrider: { value: 4 }, baseline: never, targets }))).toBe('n/a');
  });

  it('misses a ceiling when Outrider itself ran out of window', () => {
    expect(verdict(row({ outrider: { value: 30, bound: 'above' }, targets: [{ on: 'value', max: 1.5, text: '≤ 1.5 s' }] }))).toBe('missed');
  });

  it('has no verdict without targets or without a figure', () => {
    expect(verdict(row({}))).toBe('n/a');
    expect(verdict(row({ outrider: null, targets: [{ on: 'value', max: 1, text: '≤ 1' }] }))).toBe('n/a');
  });

  it('checks floors too', () => {
    expect(verdict(row({ outrider: { value: 900 }, targets: [{ on: 'value', min: 1000, text: '≥ 1000' }] }))).toBe('missed');
    expect(verdict(row({ outrider: { value: 1000 }, targets: [{ on: 'value', min: 1000, text: '≥ 1000' }] }))).toBe('met');
  });
});

describe('pairEach', () => {
  it('pairs each Enter with the first commit at or after it', () => {
    expect(pairEach([0, 10, 20], [3, 14, 29])).toEqual([3, 4, 9]);
  });

  it('skips commits from before the first Enter and stops when commits run out', () => {
    expect(pairEach([10, 20], [1, 12])).toEqual([2]);
  });
});

describe('arrivalToAlert', () => {
  const mark = (name: string, startTime: number, queryId: string) => ({ name, startTime, queryId });

  it('matches alerts to answers by query id', () => {
    const marks = [
      mark('outrider:answer-arrived', 100, 'a'),
      mark('outrider:answer-arrived', 105, 'b'),
      mark('outrider:alert-visible', 130, 'b'),
      mark('outrider:alert-visible', 140, 'a'),
    ];
    expect(arrivalToAlert(marks)).toEqual([25, 40]);
  });

  it('uses the last part that arrived before the alert when answers stream in parts', () => {
    const marks = [mark('outrider:answer-arrived', 100, 'a'), mark('outrider:answer-arrived', 180, 'a'), mark('outrider:alert-visible', 200, 'a'), mark('outrider:answer-arrived', 250, 'a')];
    expect(arrivalToAlert(marks)).toEqual([20]);
  });

  it('leaves out an alert with no answer mark before it', () => {
    expect(arrivalToAlert([mark('outrider:alert-visible', 10, 'x'), mark('outrider:answer-arrived', 20, 'x')])).toEqual([]);
  });
});

describe('enterToMark', () => {
  it('times each mark from the last Enter before it, not from an earlier one', () => {
    const marks = [
      { name: 'outrider:alert-acknowledged', startTime: 112, queryId: 'a' },
      { name: 'outrider:alert-visible', startTime: 150, queryId: 'b' },
      { name: 'outrider:alert-acknowledged', startTime: 209, queryId: 'b' },
    ];
    // 100: the plate's Enter; 105: the acknowledging one; 200: the next.
    expect(enterToMark([100, 105, 190, 200], marks, 'outrider:alert-acknowledged')).toEqual([7, 9]);
  });

  it('leaves out a mark with no Enter before it', () => {
    expect(enterToMark([50], [{ name: 'x', startTime: 10, queryId: '' }], 'x')).toEqual([]);
  });
});

describe('the table and the JSON', () => {
  const rows: Row[] = [
    row({ figure: 'Enqueue p99', outrider: { value: 3.2 }, baseline: { name: 'IndexedDB put', measured: { value: 1.6 } }, targets: [{ on: 'ratio', max: 2, text: '≤ 2x floor' }] }),
    row({ figure: 'Link back', unit: 's', outrider: { value: 1.2 }, baseline: { name: 'Workbox', measured: { value: 30, bound: 'above' } }, targets: [], note: 'no replay within 30 s' }),
    row({ figure: 'Hotlist lookup in the terminal', outrider: null, notImplemented: true }),
  ];

  it('prints one aligned line per figure, with values, ratio, target and verdict', () => {
    const lines = formatTable(rows).split('\n');
    expect(lines[0]).toMatch(/^figure\s+Outrider\s+baseline\s+ratio\s+target\s+met$/);
    expect(lines[2]).toMatch(/Enqueue p99\s+3\.20 ms\s+1\.60 ms \(IndexedDB put\)\s+2\.00x\s+≤ 2x floor\s+met/);
    expect(lines[3]).toMatch(/Link back\s+1\.20 s\s+> 30\.00 s \(Workbox\)\s+< 0\.040x/);
    expect(lines[4]).toMatch(/Hotlist lookup in the terminal\s+not yet implemented/);
    expect(lines[0]!.indexOf('Outrider')).toBe(lines[2]!.indexOf('3.20 ms'));
    expect(formatTable(rows)).toContain('* Link back: no replay within 30 s');
  });

  it('writes the numbers, the ratio and the verdict as JSON next to the printed cells', () => {
    const json = toJson(rows, { quick: true }) as { meta: unknown; figures: Array<{ ratio: unknown; verdict: string; cells: { ratio: string } }> };
    expect(json.meta).toEqual({ quick: true });
    expect(json.figures[0]).toMatchObject({ ratio: { value: 2, bound: 'exact' }, verdict: 'met', cells: { ratio: '2.00x' } });
    expect(JSON.parse(JSON.stringify(json))).toEqual(json);
  });

  it('counts a missing figure as unproduced, but not one the product does not have yet', () => {
    const failed = row({ figure: 'Drain', outrider: null, note: 'failed: boom' });
    const noBaseline = row({ figure: 'Drain vs Workbox', baseline: { name: 'Workbox', measured: null } });
    expect(unproduced([...rows, failed, noBaseline]).map((missing) => missing.figure)).toEqual(['Drain', 'Drain vs Workbox']);
  });
});
