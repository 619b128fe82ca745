// The in-memory hotlist: binary search over sorted chunks, and deltas that rebuild only the chunks they touch.
import { describe, expect, it } from 'vitest';
import { applyChanges, contains, countOf, isSortedUnique, sortUnique, toChunks } from '../../../src-renderer/hotlist/hotlist-index.ts';

const plate = (n: number) => `CA:${n.toString(36).toUpperCase().padStart(7, '0')}`;

describe('hotlist index', () => {
  const plates = sortUnique(Array.from({ length: 1000 }, (_, n) => plate(n * 3)));
  const chunks = toChunks(plates, 100);

  it('finds every plate on the list and none that is not', () => {
    expect(plates.every((key) => contains(chunks, key))).toBe(true);
    expect(contains(chunks, plate(1))).toBe(false);
    expect(contains(chunks, 'AA:0')).toBe(false);
    expect(contains(chunks, 'ZZ:ZZZ')).toBe(false);
    expect(contains([], plate(0))).toBe(false);
  });

  it('applies a delta: removed taken out, added put in, untouched chunks kept as they were', () => {
    const after = applyChanges(chunks, [plate(1), plate(2999)], [plate(0), plate(300)], 100);
    expect(contains(after, plate(1))).toBe(true);
    expect(contains(after, plate(2999))).toBe(true);
    expect(contains(after, plate(0))).toBe(false);
    expect(contains(after, plate(300))).toBe(false);
    expect(countOf(after)).toBe(1000);
    // Chunks 0 (plate 0 out, plate 1 in), 1 (plate 300 was its first) and 9 (plate 2999 in) change; the other seven are the same arrays.
    expect(after.filter((chunk, index) => chunk === chunks[index])).toHaveLength(7);
    expect(isSortedUnique(after.flat())).toBe(true);
  });

  it('adds a plate already held once, and splits a chunk that grows past twice its size', () => {
    const grown = applyChanges(chunks, [...plates.slice(0, 10), ...Array.from({ length: 150 }, (_, n) => `CA:${plate(1).slice(3)}${n}`)], [], 100);
    expect(countOf(grown)).toBe(1150);
    expect(grown.every((chunk) => chunk.length <= 200)).toBe(true);
    expect(isSortedUnique(grown.flat())).toBe(true);
  });

  it('builds a list from nothing and empties one', () => {
    const built = applyChanges([], [plate(5), plate(4)], [], 100);
    expect(built.flat()).toEqual([plate(4), plate(5)]);
    expect(applyChanges(built, [], [plate(4), plate(5)], 100)).toEqual([]);
  });

  it('holds and searches a million plates', () => {
    const million = Array.from({ length: 1_000_000 }, (_, n) => plate(n * 7));
    expect(isSortedUnique(million)).toBe(true);
    const big = toChunks(million);
    expect(big).toHaveLength(20);
    let found = 0;
    for (let n = 0; n < 7_000_000; n += 7 * 997) if (contains(big, plate(n)) && !contains(big, plate(n + 1))) found++;
    expect(found).toBe(Math.ceil(1_000_000 / 997));
    const after = applyChanges(big, [plate(3)], [plate(7)]);
    expect(contains(after, plate(3))).toBe(true);
    expect(contains(after, plate(7))).toBe(false);
    expect(after.filter((chunk, index) => chunk !== big[index])).toHaveLength(1);
  });
});
