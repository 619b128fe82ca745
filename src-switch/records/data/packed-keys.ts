// A sorted set of short ASCII keys packed into one byte array: a million plates in 13 MB instead of ~80 MB of strings.

/** "LIS:LIC": a 2-letter state, a colon and at most 10 plate characters. */
export const KEY_WIDTH = 13;
const QUOTE = 0x22;
const COMMA = 0x2c;

/** Immutable. Keys are ASCII, at most KEY_WIDTH long, stored zero-padded, sorted by byte (= by UTF-16 code unit). */
export class PackedKeys {
  private constructor(
    readonly bytes: Uint8Array,
    readonly count: number,
  ) {}

  static readonly EMPTY = new PackedKeys(new Uint8Array(0), 0);

  /** Sorts and de-duplicates; throws on a key that is not printable ASCII of at most KEY_WIDTH characters. */
  static from(keys: Iterable<string>): PackedKeys {
    const sorted = [...keys].sort();
    const bytes = new Uint8Array(sorted.length * KEY_WIDTH);
    let count = 0;
    for (let i = 0; i < sorted.length; i++) {
      const key = sorted[i]!;
      if (i > 0 && key === sorted[i - 1]) continue;
      writeKey(bytes, count * KEY_WIDTH, key);
      count++;
    }
    return new PackedKeys(bytes.subarray(0, count * KEY_WIDTH), count);
  }

  /** Sorted keys of this set without the indexes in `removed`, merged with `added` (keys not in this set). */
  merge(removed: ReadonlySet<number>, added: ReadonlySet<string>): PackedKeys {
    const extra = [...added].sort();
    const count = this.count - removed.size + extra.length;
    const bytes = new Uint8Array(count * KEY_WIDTH);
    let out = 0;
    let j = 0;
    for (let i = 0; i < this.count; i++) {
      if (removed.has(i)) continue;
      while (j < extra.length && this.compareAt(i, extra[j]!) > 0) writeKey(bytes, KEY_WIDTH * out++, extra[j++]!);
      bytes.set(this.bytes.subarray(i * KEY_WIDTH, (i + 1) * KEY_WIDTH), KEY_WIDTH * out++);
    }
    while (j < extra.length) writeKey(bytes, KEY_WIDTH * out++, extra[j++]!);
    return new PackedKeys(bytes, count);
  }

  keyAt(index: number): string {
    const start = index * KEY_WIDTH;
    let end = start;
    while (end < start + KEY_WIDTH && this.bytes[end] !== 0) end++;
    return String.fromCharCode(...this.bytes.subarray(start, end));
  }

  /** Compares the key at `index` with `key`, by code unit, without making a string. */
  compareAt(index: number, key: string): number {
    const start = index * KEY_WIDTH;
    for (let k = 0; k < KEY_WIDTH; k++) {
      const a = this.bytes[start + k]!;
      const b = k < key.length ? key.charCodeAt(k) : 0;
      if (a !== b) return a - b;
      if (a === 0) return 0;
    }
    return key.length > KEY_WIDTH ? -1 : 0;
  }

  /** Binary search: the key's index, or -1. */
  indexOf(key: string): number {
    let low = 0;
    let high = this.count - 1;
    while (low <= high) {
      const mid = (low + high) >>> 1;
      const order = this.compareAt(mid, key);
      if (order === 0) return mid;
      if (order < 0) low = mid + 1;
      else high = mid - 1;
    }
    return -1;
  }

  *[Symbol.iterator](): IterableIterator<string> {
    for (let i = 0; i < this.count; i++) yield this.keyAt(i);
  }

  /** The keys as the inside of a JSON array ("A","B",...), written straight from the bytes. */
  jsonArrayBody(): Uint8Array {
    const out = new Uint8Array(this.count * (KEY_WIDTH + 3));
    let at = 0;
    for (let i = 0; i < this.count; i++) {
      if (i > 0) out[at++] = COMMA;
      out[at++] = QUOTE;
      const start = i * KEY_WIDTH;
      for (let k = start; k < start + KEY_WIDTH && this.bytes[k] !== 0; k++) out[at++] = this.bytes[k]!;
      out[at++] = QUOTE;
    }
    return out.subarray(0, at);
  }
}

// Keys go into JSON unescaped, so only printable ASCII without quotes or backslashes is allowed in.
const SAFE_KEY = /^[\x20-\x21\x23-\x5b\x5d-\x7e]+$/;

function writeKey(bytes: Uint8Array, offset: number, key: string): void {
  if (key.length > KEY_WIDTH || !SAFE_KEY.test(key)) throw new RangeError(`Not a hotlist key: ${JSON.stringify(key)}`);
  for (let k = 0; k < key.length; k++) bytes[offset + k] = key.charCodeAt(k);
}
