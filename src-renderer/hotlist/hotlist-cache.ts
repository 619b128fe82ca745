// The offline hotlist: stored in IndexedDB in sorted chunks with its version, held in memory for lookups while the link is down.
import { FIELD_CONFIG } from '../../src-shared/field-config.ts';
import type { HotlistDelta } from '../../src-shared/hotlist.ts';
import type { HotlistChunk, OutriderDb } from '../db/database.ts';
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

/** Stored rows from this id up are deltas in the order applied, not chunks (a list has far fewer chunks). */
export const JOURNAL_FIRST_ID = 1_000_000_000;

/** Deltas wait as journal rows up to this: a delta's plates are scattered, so folding one rewrites nearly every chunk. */
const JOURNAL_LIMIT = FIELD_CONFIG.hotlistJournalLimit;

export class HotlistCache {
  #chunks: Chunks = [];
  /** The chunks as they are in storage, before the journal: what a fold compares against. */
  #stored: Chunks = [];
  #journal = { rows: 0, plates: 0 };
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
    const stored: string[][] = [];
    const deltas: HotlistChunk[] = [];
    for (const id of ids.sort((a, b) => a - b)) {
      const row = await this.db.hotlist.get(id);
      if (row && id < JOURNAL_FIRST_ID) stored.push(row.plates);
      else if (row) deltas.push(row);
      await yieldToInput();
    }
    // The journal's deltas, in the order they came, over the chunks as stored.
    let chunks: Chunks = stored;
    for (const delta of deltas) {
      chunks = applyChanges(chunks, delta.plates, delta.removed ?? [], this.chunkSize);
      await yieldToInput();
    }
    const journal = { rows: deltas.length, plates: deltas.reduce((sum, delta) => sum + delta.plates.length + (delta.removed?.length ?? 0), 0) };
    // A list written by an interrupted run (no version beside it) is not trusted: the next fetch replaces it.
    this.#chunks = version ? chunks : [];
    this.#stored = version ? stored : [];
    this.#journal = version ? journal : { rows: 0, plates: 0 };
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
    this.#stored = chunks;
    this.#journal = { rows: 0, plates: 0 };
    this.#settle(snapshot.version, fetchedAt);
  }

  /**
   * Applies a delta from the version held. It is stored as a journal row beside the chunks, in the same
   * transaction as the new version; once the journal is full, this delta and the journal are folded into the
   * chunks instead, rewriting the chunks that changed and dropping the journal. Either way a crash leaves the
   * old list or the new.
   */
  async applyDelta(delta: HotlistDelta, fetchedAt: Date): Promise<void> {
    if (delta.fromVersion !== this.#version) throw new Error(`A hotlist delta from ${delta.fromVersion} does not apply to ${this.#version ?? 'an empty list'}`);
    const after = applyChanges(this.#chunks, delta.added, delta.removed, this.chunkSize);
    const size = delta.added.length + delta.removed.length;
    const journal = { rows: this.#journal.rows + 1, plates: this.#journal.plates + size };
    const fold = size > 0 && (journal.rows > JOURNAL_LIMIT.rows || journal.plates > JOURNAL_LIMIT.plates);
    const stored = this.#stored;
    await this.db.transaction('rw', this.db.hotlist, this.db.settings, async () => {
      if (fold) {
        const changed = after.flatMap((plates, id) => (plates === stored[id] ? [] : [{ id, plates: [...plates] }]));
        if (changed.length > 0) await this.db.hotlist.bulkPut(changed);
        // Chunks past the new end, and the whole journal, go.
        await this.db.hotlist.where('id').aboveOrEqual(after.length).delete();
      } else if (size > 0) {
        await this.db.hotlist.put({ id: JOURNAL_FIRST_ID + this.#journal.rows, plates: [...delta.added], removed: [...delta.removed] });
      }
      await this.#putVersion(delta.version, delta.generatedAt, fetchedAt);
    });
    this.#chunks = after;
    if (fold) {
      this.#stored = after;
      this.#journal = { rows: 0, plates: 0 };
    } else if (size > 0) this.#journal = journal;
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
