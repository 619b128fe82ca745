// Where a query was entered, as its answer's details show it.
import { describe, expect, it } from 'vitest';
import { whereText } from '../../../src-renderer/results/where-text.ts';
import { clockSeconds } from '../../../src-renderer/ui/time-format.ts';

describe('whereText', () => {
  it('shows a fix to five decimals with the time the receiver took it', () => {
    const fixAt = '2026-11-23T14:02:11.300Z';
    expect(whereText({ lat: 34.052235, lon: -118.243683, fixAt })).toBe(`Where: 34.05224, -118.24368 (fix ${clockSeconds(fixAt)})`);
    expect(whereText({ lat: 0, lon: 5.1, fixAt })).toBe(`Where: 0.00000, 5.10000 (fix ${clockSeconds(fixAt)})`);
  });

  it('says no fix plainly, and why when there is more to say', () => {
    expect(whereText({ noFix: 'no-fix' })).toBe('Where: no fix');
    expect(whereText({ noFix: 'stale' })).toBe('Where: no fix (last fix over 10 s old)');
    expect(whereText({ noFix: 'unavailable' })).toBe('Where: no fix (GPS unavailable)');
    expect(whereText({ noFix: 'off' })).toBe('Where: no fix (no GPS)');
  });
});
