// The soak's verdict: one readable line, and every way a run can fall short named.
import { describe, expect, it } from 'vitest';
import { HIT_PLATES, randomPoints, soakPlate } from '../../../soak/soak-plates.ts';
import { failures, queryCounts, type SoakCounts, summaryLine } from '../../../soak/summary.ts';

const clean: SoakCounts = {
  soak: 'crash',
  queries: 1_000,
  lost: 0,
  unanswered: 0,
  executedTwice: 0,
  notExecuted: 0,
  hits: 50,
  alertsStored: 50,
  hitsAlerted: 50,
  raisedNotOnce: 0,
  acknowledgedNotOnce: 0,
  raisedNever: 0,
  acknowledgedNever: 0,
  dialogsAcknowledged: 53,
};

describe('soak summary', () => {
  it('reads as one line with thousands separated', () => {
    expect(summaryLine(clean, '50 kills')).toBe('crash soak: 50 kills, 1,000 queries, 0 lost, 0 executed twice, 50 hits alerted');
    expect(failures(clean)).toEqual([]);
  });

  it('names each shortfall, and the line says it failed', () => {
    const bad = { ...clean, lost: 2, executedTwice: 1, notExecuted: 2, hitsAlerted: 48, acknowledgedNotOnce: 1, raisedNotOnce: 3 };
    expect(failures(bad)).toEqual([
      '2 queries lost',
      '1 executed twice',
      '2 never reached the switch',
      '2 hits never alerted and acknowledged',
      '3 alerts not raised exactly once in the kept trail',
      '1 alerts not acknowledged exactly once in the kept trail',
    ]);
    expect(summaryLine(bad, '50 kills')).toMatch(/^crash soak: 50 kills, 1,000 queries, 2 lost, 1 executed twice, 48 of 50 hits alerted; FAILED: 2 queries lost; /);
  });

  it('after Chromium deleted the store, says so, and asks each alert to reach the trail at least once', () => {
    const deleted = { ...clean, storesDeleted: 1, raisedNotOnce: 4, acknowledgedNotOnce: 4 };
    expect(failures(deleted)).toEqual([]);
    expect(summaryLine(deleted, '50 kills')).toBe('crash soak: 50 kills, 1,000 queries, 0 lost, 0 executed twice, 50 hits alerted, Chromium deleted the store once (queries restored from the queue journal)');
    expect(failures({ ...deleted, storesDeleted: 2, raisedNever: 1, acknowledgedNever: 2 })).toEqual(['1 alerts never raised in the kept trail', '2 alerts never acknowledged in the kept trail']);
  });

  it('counts an alert too many as a failure: one hit, one alert', () => {
    expect(failures({ ...clean, alertsStored: 51 })).toEqual(['51 alerts stored for 50 hits']);
  });
});

describe('soak query counts', () => {
  it("counts the run's own keys at the switch, and the terminal's rows", () => {
    const start = { executed: 5, received: 5, replayed: 1, byKey: { old: 2 }, recent: [] };
    const end = { executed: 9, received: 11, replayed: 4, byKey: { old: 2, a: 1, b: 2, c: 1 }, recent: [] };
    const outbox = [{ status: 'answered' }, { status: 'answered' }, { status: 'queued' }];
    // Four entered: one row gone, one never answered, b run twice, the fourth never reached the switch.
    expect(queryCounts(4, outbox, start, end)).toEqual({ queries: 4, lost: 1, unanswered: 1, executedTwice: 1, notExecuted: 1, replayed: 3 });
  });
});

describe('soak plates', () => {
  it('puts a training hit every n-th query, never two alike in a row', () => {
    const plates = Array.from({ length: 100 }, (_, i) => soakPlate(i, 'SOAK', 20));
    expect(plates.filter((plate) => (HIT_PLATES as readonly string[]).includes(plate))).toEqual(['4TRN123', '4TRN456', '4TRN789', '4TRN123', '4TRN456']);
    expect(plates.every((plate, i) => plate !== plates[i - 1])).toBe(true);
    expect(new Set(plates.filter((plate) => plate.startsWith('SOAK'))).size).toBe(95);
  });

  it('draws distinct kill points in order, and refuses more than the range holds', () => {
    const points = randomPoints(50, 1, 999);
    expect(points).toHaveLength(50);
    expect(new Set(points).size).toBe(50);
    expect(points).toEqual([...points].sort((a, b) => a - b));
    expect(points.every((point) => point >= 1 && point <= 999)).toBe(true);
    expect(randomPoints(3, 5, 7)).toEqual([5, 6, 7]);
    expect(() => randomPoints(4, 5, 7)).toThrow('cannot draw 4 distinct points from 3');
  });
});
