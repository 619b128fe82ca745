// The hotlist in memory: sorted chunks of plates ("CA:4TRN123"), searched by binary search; a delta rebuilds only the chunks it touches.
import { FIELD_CONFIG } from '../../src-shared/field-config.ts';

/** Plates per stored chunk: a million plates load in twenty reads, each short enough not to hold up typing. */
export const CHUNK_SIZE: number = FIELD_CONFIG.hotlistChunkPlates;

export type Chunks = ReadonlyArray<readonly string[]>;

/** The chunk that holds `key`, or would: the last one whose first plate sorts at or before it (0 when none does). */
export function chunkFor(chunks: Chunks, key: string): number {
  let low = 0;
  let high = chunks.length - 1;
  let found = 0;
  while (low <= high) {
    const mid = (low + high) >>> 1;
    if (chunks[mid]![0]! <= key) {
      found = mid;
      low = mid + 1;
    } else high = mid - 1;
  }
  return found;
}

/** First index in a sorted array whose plate is not before `key`. */
function lowerBound(sorted: readonly string[], key: string): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (sorted[mid]! < key) low = mid + 1;
    else high = mid;
  }
  return low;
}

export function contains(chunks: Chunks, key: string): boolean {
  if (chunks.length === 0) return false;
  const chunk = chunks[chunkFor(chunks, key)]!;
  return chunk[lowerBound(chunk, key)] === key;
}

/** Plain code-unit order, the order the switch sorts in (docs/protocol.md), without duplicates. */
export function isSortedUnique(plates: readonly string[], from = 0, to = plates.length): boolean {
  for (let i = Math.max(from, 1); i < to; i++) if (!(plates[i - 1]! < plates[i]!)) return false;
  return true;
}

export function sortUnique(plates: readonly string[]): string[] {
  const sorted = [...new Set(plates)];
  return sorted.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

export function toChunks(sorted: readonly string[], size = CHUNK_SIZE): string[][] {
  const chunks: string[][] = [];
  for (let i = 0; i < sorted.length; i += size) chunks.push(sorted.slice(i, i + size));
  return chunks;
}

/** One chunk with `added` (sorted, unique) merged in and `removed` taken out, in one pass. */
function mergeChunk(chunk: readonly string[], added: readonly string[], removed: ReadonlySet<string>): string[] {
  const out: string[] = [];
  let i = 0;
  let j = 0;
  while (i < chunk.length || j < added.length) {
    const next = j >= added.length || (i < chunk.length && chunk[i]! <= added[j]!) ? chunk[i++]! : added[j++]!;
    if (!removed.has(next) && out[out.length - 1] !== next) out.push(next);
  }
  return out;
}

/**
 * The chunks after a delta: `removed` taken out, then `added` put in. Untouched chunks are returned as the same
 * arrays, so a caller can write only the ones that changed (compare by position and identity).
 */
export function applyChanges(chunks: Chunks, added: readonly string[], removed: readonly string[], size = CHUNK_SIZE): Array<readonly string[]> {
  const adds = sortUnique(added);
  const gone = new Set(removed);
  const addsByChunk = new Map<number, string[]>();
  for (const key of adds) {
    const at = chunkFor(chunks, key);
    const list = addsByChunk.get(at);
    if (list) list.push(key);
    else addsByChunk.set(at, [key]);
  }
  const touched = new Set<number>(addsByChunk.keys());
  for (const key of gone) if (chunks.length > 0) touched.add(chunkFor(chunks, key));
  if (chunks.length === 0) return adds.length === 0 ? [] : toChunks(adds.filter((key) => !gone.has(key)), size);

  const result: Array<readonly string[]> = [];
  chunks.forEach((chunk, index) => {
    if (!touched.has(index)) return void result.push(chunk);
    const merged = mergeChunk(chunk, addsByChunk.get(index) ?? [], gone);
    // A chunk that has grown past twice its size is split, so no one read or write gets long.
    if (merged.length > 2 * size) result.push(...toChunks(merged, size));
    else if (merged.length > 0) result.push(merged);
  });
  return result;
}

export function countOf(chunks: Chunks): number {
  return chunks.reduce((sum, chunk) => sum + chunk.length, 0);
}
