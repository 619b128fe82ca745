// The offline hotlist: stored in IndexedDB in sorted chunks with its version, held in memory for lookups while the link is down.
import type { HotlistDelta } from '../../src-shared/hotlist.ts';
import type { OutriderDb } from '../db/database.ts';
import { type ThrottledQuery, throttledQuery } from '../db/throttled-query.ts';
import { applyChanges, CHUNK_SIZE, type Chunks, contains, countOf, toChunks } from './hotlist-index.ts';

/** Lets typing and queueing run between two pieces of heavy work (a chunk read, a chunk checked). */
export const yieldToInput = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

/** A whole list, already checked and sorted (see hotlist-fetch.ts). */
export interface CheckedSnapshot {
  version: string;
  generatedAt: string;
  plates: readonly string[];
}

export class HotlistCache {
  #chunks: Chunks = [];
  #version: string | undefined;
  #fetchedAt: string | undefined;
  #loaded = false;

  constructor(
    private readonly db: OutriderDb,
    private readonly chunkSize = CHUNK_SIZE,
  ) {}

  /** The version held, to send back as ?since=; undefined before the first list. */
  get version(): string | undefined {
    return this.#version;
  }

  /** When the list held was last fetched: the age an officer is shown. */
  get fetchedAt(): string | undefined {
    return this.#fetchedAt;
  }

  get loaded(): boolean {
    return this.#loaded;
  }

  get size(): number {
    return countOf(this.#chunks);
  }

  /** Whether a plate ("CA:4TRN123") is on the list: a binary search, microseconds even for a million plates. */
  has(key: string): boolean {
    return contains(this.#chunks, key);
  }

  /** Reads the stored list chunk by chunk, yielding between reads, so a terminal starting with a million plates stays responsive. */
  async load(): Promise<void> {
    const [version, fetchedAt, ids] = await Promise.all([
      this.db.settings.get('hotlistVersion'),
      this.db.settings.get('hotlistFetchedAt'),
      this.db.hotlist.toCollection().primaryKeys(),
    ]);
    const chunks: string[][] = [];
    for (const id of ids.sort((a, b) => a - b)) {
      const chunk = await this.db.hotlist.get(id);
      if (chunk) chunks.push(chunk.plates);
      await yieldToInput();
    }
    // A list written by an interrupted run (no version beside it) is not trusted: the next fetch replaces it.
    this.#chunks = version ? chunks : [];
    this.#version = version?.value;
    this.#fetchedAt = version ? fetchedAt?.value : undefined;
    this.#loaded = true;
  }

  /** Replaces the list with a snapshot: chunks and version in one transaction, so a crash leaves the old list or the new, never half. */
  async replace(snapshot: CheckedSnapshot, fetchedAt: Date): Promise<void> {
    const chunks = toChunks(snapshot.plates, this.chunkSize);
    await this.db.transaction('rw', this.db.hotlist, this.db.settings, async () => {
      await this.db.hotlist.clear();
      await this.db.hotlist.bulkPut(chunks.map((plates, id) => ({ id, plates })));
      await this.#putVersion(snapshot.version, snapshot.generatedAt, fetchedAt);
    });
    this.#chunks = chunks;
    this.#settle(snapshot.version, fetchedAt);
  }

  /** Applies a delta from the version held, rewriting only the chunks it changes. */
  async applyDelta(delta: HotlistDelta, fetchedAt: Date): Promise<void> {
    if (delta.fromVersion !== this.#version) throw new Error(`A hotlist delta from ${delta.fromVersion} does not apply to ${this.#version ?? 'an empty list'}`);
    const before = this.#chunks;
    const after = applyChanges(before, delta.added, delta.removed, this.chunkSize);
    await this.db.transaction('rw', this.db.hotlist, this.db.settings, async () => {
      const changed = after.flatMap((plates, id) => (plates === before[id] ? [] : [{ id, plates: [...plates] }]));
      if (changed.length > 0) await this.db.hotlist.bulkPut(changed);
      if (before.length > after.length) await this.db.hotlist.where('id').aboveOrEqual(after.length).delete();
      await this.#putVersion(delta.version, delta.generatedAt, fetchedAt);
    });
    this.#chunks = after;
    this.#settle(delta.version, fetchedAt);
  }

  /** The switch had nothing new: the list is as fresh as now. */
  async touch(fetchedAt: Date): Promise<void> {
    await this.db.settings.put({ key: 'hotlistFetchedAt', value: fetchedAt.toISOString() });
    this.#fetchedAt = fetchedAt.toISOString();
  }

  async #putVersion(version: string, generatedAt: string, fetchedAt: Date): Promise<void> {
    await this.db.settings.bulkPut([
      { key: 'hotlistVersion', value: version },
      { key: 'hotlistGeneratedAt', value: generatedAt },
      { key: 'hotlistFetchedAt', value: fetchedAt.toISOString() },
    ]);
  }

  #settle(version: string, fetchedAt: Date): void {
    this.#version = version;
    this.#fetchedAt = fetchedAt.toISOString();
    this.#loaded = true;
  }
}

/** When the stored hotlist was fetched, as it changes; undefined while none is stored. */
export function hotlistFetchedAt(db: OutriderDb): ThrottledQuery<string | undefined> {
  return throttledQuery(db, ['settings'], async () => ((await db.settings.get('hotlistVersion')) ? (await db.settings.get('hotlistFetchedAt'))?.value : undefined));
}
