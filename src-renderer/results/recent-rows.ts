// The results list's rows, kept between refreshes: a refresh reads only the rows a commit touched.
//
// Re-reading the newest 50 queries and their answers five times a second was over a third of the IndexedDB
// requests of a drain, though a drain mostly changes queries far below the top of the list. Dexie names the keys
// each commit changed (table-changes.ts); the list reads those of its rows again, and reads the whole top again
// only when a row may have come in above its last one or one of its rows is gone.
import { cmp, type IndexableType } from 'dexie';
import type { OutboxEntry, OutriderDb, StoredAnswer } from '../db/database.ts';
import { type ChangedKeys, onRowsChanged } from '../db/table-changes.ts';

export interface QueryRow {
  entry: OutboxEntry;
  answer?: StoredAnswer;
}

/** What changed since the rows shown were read: outbox keys, the entry order (`seq`) values they had, answer keys. */
interface Changed {
  entries: Set<IndexableType> | 'all';
  seqs: IndexableType[] | 'all';
  answers: Set<IndexableType> | 'all';
}

/** A commit heard, numbered so a read can drop what it has taken into account once its rows are shown. */
interface Heard {
  number: number;
  table: 'outbox' | 'answers';
  keys: ChangedKeys;
  seqs: ChangedKeys;
}

/** Past this many commits heard and not yet shown (reads that keep failing), they are folded into "read it all". */
const HEARD_MAX = 200;

/** The rows shown, with what a refresh looks them up by. */
class Shown {
  readonly byId: Map<string, QueryRow>;
  readonly seqs: Set<number>;
  constructor(readonly rows: QueryRow[]) {
    this.byId = new Map(rows.map((row) => [row.entry.id, row]));
    this.seqs = new Set(rows.map((row) => row.entry.seq));
  }

  /** The oldest entry in the list, below which nothing that changes can enter it while it is full. */
  get lowestSeq(): number | undefined {
    return this.rows.at(-1)?.entry.seq;
  }
}

function merge(heard: readonly Heard[]): Changed {
  const changed: Changed = { entries: new Set(), seqs: [], answers: new Set() };
  for (const { table, keys, seqs } of heard) {
    const field = table === 'outbox' ? 'entries' : 'answers';
    const set = changed[field];
    if (keys === 'all' || set === 'all') changed[field] = 'all';
    else keys.forEach((key) => set.add(key));
    if (table === 'outbox') changed.seqs = seqs === 'all' || changed.seqs === 'all' ? 'all' : [...changed.seqs, ...seqs];
  }
  return changed;
}

/** Whether a row may have come into the list (or gone from it) so that the top must be read again. */
function topMayHaveMoved(shown: Shown, changed: Changed, limit: number): boolean {
  if (changed.entries === 'all' || changed.seqs === 'all') return true;
  const outside = [...changed.entries].some((id) => typeof id !== 'string' || !shown.byId.has(id));
  if (!outside) return false;
  const lowest = shown.lowestSeq;
  if (lowest === undefined || shown.rows.length < limit) return true;
  // A row below the oldest shown stays below it: the order of entry never changes.
  return changed.seqs.some((seq) => cmp(seq, lowest) >= 0 && !(typeof seq === 'number' && shown.seqs.has(seq)));
}

function has(keys: Set<IndexableType> | 'all', id: string): boolean {
  return keys === 'all' || keys.has(id);
}

/** The row for `entry`, the shown one itself when neither its entry nor its answer was read again. */
function rowOf(entry: OutboxEntry, answer: StoredAnswer | undefined, before: QueryRow | undefined): QueryRow {
  if (before && before.entry === entry && before.answer === answer) return before;
  return answer ? { entry, answer } : { entry };
}

/**
 * The newest `limit` queries with their answers, read on top of the rows `shown` and what `changed` since:
 * only the changed rows when nothing can have entered or left the list, the top again otherwise (with the
 * answers of the rows it already had left unread unless they changed). Undefined `shown`: read everything.
 */
async function readRecentRows(db: OutriderDb, limit: number, shown: Shown | undefined, changed: Changed): Promise<QueryRow[]> {
  if (shown && !topMayHaveMoved(shown, changed, limit)) {
    const ids = shown.rows.map((row) => row.entry.id);
    const entryIds = ids.filter((id) => has(changed.entries, id));
    const answerIds = ids.filter((id) => has(changed.answers, id));
    if (entryIds.length === 0 && answerIds.length === 0) return shown.rows;
    const [entries, answers] = await Promise.all([db.outbox.bulkGet(entryIds), db.answers.bulkGet(answerIds)]);
    const entryOf = new Map(entryIds.map((id, i) => [id, entries[i]]));
    const answerOf = new Map(answerIds.map((id, i) => [id, answers[i]]));
    const rows: QueryRow[] = [];
    for (const row of shown.rows) {
      const id = row.entry.id;
      const entry = entryOf.has(id) ? entryOf.get(id) : row.entry;
      if (entry) rows.push(rowOf(entry, answerOf.has(id) ? answerOf.get(id) : row.answer, row));
    }
    // A row deleted from a full list leaves room for the one below it: read the top.
    if (rows.length === shown.rows.length || shown.rows.length < limit) return rows;
  }
  const entries = await db.outbox.orderBy('seq').reverse().limit(limit).toArray();
  const before = (id: string) => shown?.byId.get(id);
  const unread = entries.filter((entry) => !before(entry.id) || has(changed.answers, entry.id)).map((entry) => entry.id);
  const answers = await db.answers.bulkGet(unread);
  const answerOf = new Map(unread.map((id, i) => [id, answers[i]]));
  return entries.map((entry) => {
    const row = before(entry.id);
    // An entry no commit touched is the one shown: kept, so its row is not drawn again.
    const kept = row && !has(changed.entries, entry.id) ? row.entry : entry;
    return rowOf(kept, answerOf.has(entry.id) ? answerOf.get(entry.id) : row?.answer, row);
  });
}

/**
 * One subscriber's list: the rows it shows and the commits heard since they were read. Commits are dropped only
 * once a read that took them into account has been shown, so a read that fails, or is overtaken, loses nothing.
 */
export class RecentRows {
  #shown: Shown | undefined;
  #heard: Heard[] = [];
  #number = 0;
  readonly #stop: () => void;

  constructor(
    private readonly db: OutriderDb,
    private readonly limit: number,
  ) {
    const hear = (table: Heard['table']) => (keys: ChangedKeys, seqs: ChangedKeys) => this.#hear({ number: ++this.#number, table, keys, seqs });
    const stops = [onRowsChanged(db, 'outbox', 'seq', hear('outbox')), onRowsChanged(db, 'answers', '', hear('answers'))];
    this.#stop = () => stops.forEach((stop) => stop());
  }

  #hear(heard: Heard): void {
    this.#heard.push(heard);
    if (this.#heard.length > HEARD_MAX) {
      this.#heard = [{ number: heard.number, table: 'outbox', keys: 'all', seqs: 'all' }, { number: heard.number, table: 'answers', keys: 'all', seqs: [] }];
    }
  }

  /** Reads the rows; `upTo` is the last commit heard when the read began. */
  async read(): Promise<{ rows: QueryRow[]; upTo: number }> {
    const upTo = this.#number;
    const rows = await readRecentRows(this.db, this.limit, this.#shown, merge(this.#heard));
    return { rows, upTo };
  }

  /** The rows a read found are now shown; whether they differ from the ones shown before. */
  show({ rows, upTo }: { rows: QueryRow[]; upTo: number }): boolean {
    this.#heard = this.#heard.filter((heard) => heard.number > upTo);
    const changed = rows !== this.#shown?.rows;
    this.#shown = new Shown(rows);
    return changed;
  }

  stop(): void {
    this.#stop();
  }
}
