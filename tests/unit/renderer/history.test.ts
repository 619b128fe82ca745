// The results list's rows: only the rows a commit touched are read again, handed out as the same objects when unchanged.
import 'fake-indexeddb/auto';
import { afterEach, expect, it, vi } from 'vitest';
import { openDatabase, type StoredAnswer } from '../../../src-renderer/db/database.ts';
import { Outbox } from '../../../src-renderer/outbox/outbox.ts';
import { type QueryRow, recentQueries } from '../../../src-renderer/results/history.ts';
import { VIEW_REFRESH_MS } from '../../../src-renderer/db/throttled-query.ts';

afterEach(() => vi.restoreAllMocks());

const row = (rows: QueryRow[] | undefined, id: string) => rows?.find((each) => each.entry.id === id);
const ids = (rows: QueryRow[] | undefined) => rows?.map((each) => each.entry.id);

async function queued(count: number) {
  const db = openDatabase(`history-${crypto.randomUUID()}`);
  const outbox = new Outbox(db);
  const entries = [];
  for (let i = 0; i < count; i++) entries.push(await outbox.enqueue({ kind: 'plate', lic: `ROW${i}`, lis: 'CA' }, 'routine'));
  await outbox.settle();
  return { db, outbox, entries };
}

/** Every read the list could make of a query or an answer: gets by store and key, and cursors over the entry order. */
function watchReads() {
  const gets: string[] = [];
  let topReads = 0;
  const get = IDBObjectStore.prototype.get;
  vi.spyOn(IDBObjectStore.prototype, 'get').mockImplementation(function (this: IDBObjectStore, key) {
    gets.push(`${this.name}:${String(key)}`);
    return get.call(this, key);
  });
  const openCursor = IDBIndex.prototype.openCursor;
  vi.spyOn(IDBIndex.prototype, 'openCursor').mockImplementation(function (this: IDBIndex, ...args) {
    if (this.name === 'seq') topReads++;
    return openCursor.apply(this, args);
  });
  return { gets, topReads: () => topReads };
}

const answerTo = (queryId: string): StoredAnswer => {
  const now = new Date().toISOString();
  return { queryId, switchQueryId: `sw-${queryId}`, receivedAt: now, parts: [], complete: true, askedAt: now, sentAt: now, answeredAt: now, late: false };
};

it('keeps the row objects of queries that did not change, so only the changed row is re-drawn', async () => {
  const { db, outbox, entries } = await queued(2);
  const [first, second] = entries as [(typeof entries)[0], (typeof entries)[0]];
  const seen: QueryRow[][] = [];
  const subscription = recentQueries(db).subscribe((rows) => seen.push(rows));
  await vi.waitFor(() => expect(seen).toHaveLength(1));
  await outbox.cancel(second.id);
  await vi.waitFor(() => expect(row(seen.at(-1), second.id)?.entry.status).toBe('cancelled'));
  const [before, after] = [seen[0]!, seen.at(-1)!];
  expect(row(after, first.id)).toBe(row(before, first.id));
  expect(row(after, second.id)).not.toBe(row(before, second.id));
  subscription.unsubscribe();
  db.close();
});

it('reads again only the rows a commit changed, and nothing for queries below the list', async () => {
  const { db, outbox, entries } = await queued(5);
  const seen: QueryRow[][] = [];
  const subscription = recentQueries(db, 3).subscribe((rows) => seen.push(rows));
  await vi.waitFor(() => expect(seen).toHaveLength(1));
  const shown = ids(seen[0])!;
  expect(shown).toEqual(entries.slice(2).map((entry) => entry.id).reverse());
  const reads = watchReads();
  // A drain sends the oldest first: queries the list does not show.
  const [oldest] = await outbox.claim(1);
  await outbox.accept(oldest!.id, ['NCIC']);
  await new Promise((resolve) => setTimeout(resolve, VIEW_REFRESH_MS * 3));
  expect(seen).toHaveLength(1);
  expect(reads.topReads()).toBe(0);
  expect(reads.gets.filter((get) => shown.some((id) => get.endsWith(id)))).toEqual([]);
  // One shown query answered: its row shows the answer within a refresh, and only its answer is read.
  await db.answers.put(answerTo(shown[1]!));
  await vi.waitFor(() => expect(row(seen.at(-1), shown[1]!)?.answer?.complete).toBe(true));
  expect(reads.topReads()).toBe(0);
  expect(reads.gets.filter((get) => get.startsWith('answers:'))).toEqual([`answers:${shown[1]}`]);
  expect(row(seen.at(-1), shown[0]!)).toBe(row(seen[0], shown[0]!));
  subscription.unsubscribe();
  db.close();
});

it('shows a new query on top, and fills the place of a deleted one from below', async () => {
  const { db, outbox, entries } = await queued(4);
  const seen: QueryRow[][] = [];
  const subscription = recentQueries(db, 3).subscribe((rows) => seen.push(rows));
  await vi.waitFor(() => expect(seen).toHaveLength(1));
  const newest = await outbox.enqueue({ kind: 'plate', lic: 'NEWTOP', lis: 'CA' }, 'routine');
  await vi.waitFor(() => expect(ids(seen.at(-1))).toEqual([newest.id, entries[3]!.id, entries[2]!.id]));
  await db.outbox.delete(entries[3]!.id);
  await vi.waitFor(() => expect(ids(seen.at(-1))).toEqual([newest.id, entries[2]!.id, entries[1]!.id]));
  subscription.unsubscribe();
  db.close();
});
