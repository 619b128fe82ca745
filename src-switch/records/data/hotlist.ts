// The switch's hotlist of stolen plates: versioned, with the recent changes kept so terminals can fetch deltas.
import { base, en, Faker } from '@faker-js/faker';
import { randomBytes } from 'node:crypto';
import type { HotlistDelta, HotlistStatus } from '../../../src-shared/hotlist.ts';
import { PackedKeys } from './packed-keys.ts';
import { plateMaker } from './plates.ts';

export interface HotlistOptions {
  /** Names this run's list (1-16 lower-case letters and digits); versions of another list are never compared with this one's. Random by default. */
  listId?: string;
  now?: () => Date;
  /** How many versions back a delta can reach; older terminals get the whole snapshot. */
  maxDeltaVersions?: number;
}

interface Change {
  readonly seq: number;
  readonly added: readonly string[];
  readonly removed: readonly string[];
}

// A terminal that refreshes at least daily (DOMAIN.md: ALPR practice) is far fewer than 500 changes behind.
const DEFAULT_MAX_DELTA_VERSIONS = 500;
// Past this many pending changes the packed base is rebuilt, so lookups stay a binary search plus two small sets.
const COMPACT_AFTER = 10_000;

export class Hotlist {
  readonly listId: string;
  readonly #now: () => Date;
  readonly #maxDeltaVersions: number;
  #base: PackedKeys;
  /** Base indexes cleared since the last compaction, and keys added that the base does not hold. */
  #removed = new Set<number>();
  #added = new Set<string>();
  #seq = 1;
  #generatedAt: string;
  #log: Change[] = [];
  #snapshot: { seq: number; json: Buffer } | undefined;

  constructor(keys: Iterable<string> | PackedKeys, options: HotlistOptions = {}) {
    this.listId = options.listId ?? randomBytes(4).toString('hex');
    // The id is half of every version a terminal stores, so it must pass the wire format (HotlistVersion).
    if (!/^[a-z0-9]{1,16}$/.test(this.listId)) throw new RangeError('A hotlist id is 1-16 lower-case letters and digits');
    this.#now = options.now ?? (() => new Date());
    this.#maxDeltaVersions = options.maxDeltaVersions ?? DEFAULT_MAX_DELTA_VERSIONS;
    this.#base = keys instanceof PackedKeys ? keys : PackedKeys.from(keys);
    this.#generatedAt = this.#now().toISOString();
  }

  get version(): string {
    return `${this.listId}.${this.#seq}`;
  }

  get size(): number {
    return this.#base.count - this.#removed.size + this.#added.size;
  }

  status(): HotlistStatus {
    return { version: this.version, generatedAt: this.#generatedAt, count: this.size };
  }

  has(key: string): boolean {
    const index = this.#base.indexOf(key);
    return index >= 0 ? !this.#removed.has(index) : this.#added.has(key);
  }

  /** Adds stolen plates and clears recovered ones as one new version; a change that changes nothing makes none. */
  update(change: { add?: Iterable<string>; remove?: Iterable<string> }): string {
    const added: string[] = [];
    const removed: string[] = [];
    for (const key of change.remove ?? []) if (this.#set(key, false)) removed.push(key);
    for (const key of change.add ?? []) if (this.#set(key, true)) added.push(key);
    if (added.length === 0 && removed.length === 0) return this.version;
    this.#seq++;
    this.#generatedAt = this.#now().toISOString();
    this.#log.push({ seq: this.#seq, added, removed });
    if (this.#log.length > this.#maxDeltaVersions) this.#log.splice(0, this.#log.length - this.#maxDeltaVersions);
    if (this.#removed.size + this.#added.size > COMPACT_AFTER) this.#compact();
    return this.version;
  }

  /** Every key, sorted. Makes a string per plate: for tests and small lists; the routes use snapshotJson(). */
  keys(): string[] {
    this.#compact();
    return [...this.#base];
  }

  /** The snapshot body (HotlistSnapshot as JSON), built once per version straight from the packed bytes. */
  snapshotJson(): Buffer {
    if (this.#snapshot?.seq !== this.#seq) {
      this.#compact();
      const head = `{"kind":"snapshot","version":"${this.version}","generatedAt":"${this.#generatedAt}","count":${this.size},"plates":[`;
      this.#snapshot = { seq: this.#seq, json: Buffer.concat([Buffer.from(head), this.#base.jsonArrayBody(), Buffer.from(']}')]) };
    }
    return this.#snapshot.json;
  }

  /** What changed since `version`, or undefined when that version is not this list's or is older than the kept changes. */
  delta(version: string): HotlistDelta | undefined {
    const [listId, seqText] = version.split('.');
    const since = Number(seqText);
    if (listId !== this.listId || !Number.isInteger(since) || since > this.#seq) return undefined;
    const oldestReachable = (this.#log[0]?.seq ?? this.#seq + 1) - 1;
    if (since < this.#seq && since < oldestReachable) return undefined;
    // A key's first change says whether it was on the list at `since`; its last says whether it is now.
    const wasOn = new Map<string, boolean>();
    const isOn = new Map<string, boolean>();
    const note = (key: string, on: boolean) => {
      if (!wasOn.has(key)) wasOn.set(key, !on);
      isOn.set(key, on);
    };
    for (const change of this.#log) {
      if (change.seq <= since) continue;
      for (const key of change.removed) note(key, false);
      for (const key of change.added) note(key, true);
    }
    const added: string[] = [];
    const removed: string[] = [];
    for (const [key, on] of isOn) {
      if (on !== wasOn.get(key)) (on ? added : removed).push(key);
    }
    return { kind: 'delta', fromVersion: version, version: this.version, generatedAt: this.#generatedAt, count: this.size, added: added.sort(), removed: removed.sort() };
  }

  /** Sets one key on or off the list; true when that changed anything. */
  #set(key: string, on: boolean): boolean {
    const index = this.#base.indexOf(key);
    const wasOn = index >= 0 ? !this.#removed.has(index) : this.#added.has(key);
    if (wasOn === on) return false;
    if (index >= 0) {
      if (on) this.#removed.delete(index);
      else this.#removed.add(index);
    } else if (on) this.#added.add(key);
    else this.#added.delete(key);
    return true;
  }

  #compact(): void {
    if (this.#removed.size === 0 && this.#added.size === 0) return;
    this.#base = this.#base.merge(this.#removed, this.#added);
    this.#removed = new Set();
    this.#added = new Set();
  }
}

/**
 * `count` distinct synthetic plates ("LIS:LIC"), reproducible from the seed; fast and compact enough for a
 * million (the ALPR-sized list). Never a training plate.
 */
export function generateHotlistPlates(seed: number, count: number, homeState = 'CA', homeShare = 0.9): PackedKeys {
  const faker = new Faker({ locale: [en, base] });
  faker.seed(seed);
  const plates = plateMaker(faker, homeState, homeShare);
  let packed = PackedKeys.EMPTY;
  // Duplicates are rare (millions of possible plates per pattern) and dropped when packed; top up until there are enough.
  while (packed.count < count) {
    const batch = Array.from({ length: count - packed.count }, () => plates.next());
    packed = packed.count === 0 ? PackedKeys.from(batch) : packed.merge(new Set(), new Set(batch.filter((key) => packed.indexOf(key) < 0)));
  }
  return packed;
}
