// A throttled view follows the database, but re-reads at most once per interval however many writes land.
import 'fake-indexeddb/auto';
import { afterEach, expect, it, vi } from 'vitest';
import { openDatabase } from '../../../src-renderer/db/database.ts';
import { type ChangedKeys, onRowsChanged } from '../../../src-renderer/db/table-changes.ts';
import { throttledQuery } from '../../../src-renderer/db/throttled-query.ts';
import { Outbox } from '../../../src-renderer/outbox/outbox.ts';
import { AWAITING_ANSWER, countStatuses } from '../../../src-renderer/outbox/status-count.ts';

const db = openDatabase(`throttled-${crypto.randomUUID()}`);
afterEach(() => vi.useRealTimers());

it('shows the first answer at once, then a burst of writes in one re-read', async () => {
  const outbox = new Outbox(db);
  let reads = 0;
  const seen: number[] = [];
  const subscription = throttledQuery(db, ['outbox'], async () => (reads++, db.outbox.count()), 1_000).subscribe((count) => seen.push(count));
  await vi.waitFor(() => expect(seen).toEqual([0]));
  for (let i = 0; i < 20; i++) await outbox.enqueue({ kind: 'plate', lic: `BURST${i}`, lis: 'CA' }, 'routine');
  await vi.waitFor(() => expect(seen.at(-1)).toBe(20), { timeout: 8_000 });
  // Twenty writes, far fewer reads: the burst was coalesced, and the last value is the true one.
  expect(reads).toBeLessThan(10);
  subscription.unsubscribe();
  const settled = reads;
  await outbox.enqueue({ kind: 'plate', lic: 'AFTER', lis: 'CA' }, 'routine');
  await new Promise((resolve) => setTimeout(resolve, 1_500));
  expect(reads).toBe(settled);
});

it('is not re-read for writes to tables it does not read', async () => {
  let reads = 0;
  const seen: number[] = [];
  const subscription = throttledQuery(db, ['alerts'], async () => (reads++, db.alerts.count()), 20).subscribe((count) => seen.push(count));
  await vi.waitFor(() => expect(seen).toHaveLength(1));
  // A query queued touches the outbox and the audit trail, not the alerts: no read, so no read-only
  // transaction stands in the way of the next query being queued.
  await new Outbox(db).enqueue({ kind: 'plate', lic: 'ELSEWHERE', lis: 'CA' }, 'routine');
  await new Promise((resolve) => setTimeout(resolve, 200));
  expect(reads).toBe(1);
  await db.settings.put({ key: 'retentionPurgedAt', value: new Date().toISOString() });
  await new Promise((resolve) => setTimeout(resolve, 200));
  expect(reads).toBe(1);
  subscription.unsubscribe();
});

it('tells a watcher of the queue which rows a commit changed and the statuses they had or took, and nothing of other tables', async () => {
  const watched = openDatabase(`rows-watch-${crypto.randomUUID()}`);
  const outbox = new Outbox(watched);
  // Opening tells every watcher that anything may have changed: that notice is over before listening starts.
  await watched.open();
  await new Promise((resolve) => setTimeout(resolve, 50));
  const heard: Array<{ keys: ChangedKeys; statuses: ChangedKeys }> = [];
  const stop = onRowsChanged(watched, 'outbox', 'status', (keys, statuses) => heard.push({ keys, statuses }));
  const last = async (count: number) => {
    await vi.waitFor(() => expect(heard).toHaveLength(count));
    return heard.at(-1)!;
  };
  const entry = await outbox.enqueue({ kind: 'plate', lic: 'WATCH1', lis: 'CA' }, 'routine');
  // Queued: the row and the status it took, which is what wakes the sync engine (terminal.ts).
  expect(await last(1)).toEqual({ keys: [entry.id], statuses: ['queued'] });
  // Claimed, then delivered: the same row, and 'queued' no longer among what it took.
  await outbox.claim(1);
  expect((await last(2)).keys).toEqual([entry.id]);
  expect(heard[1]!.statuses).toContain('sending');
  await outbox.markDelivered(entry.id);
  expect((await last(3)).statuses).not.toContain('queued');
  // A write to another table is not the queue's.
  await watched.settings.put({ key: 'retentionPurgedAt', value: new Date().toISOString() });
  await new Promise((resolve) => setTimeout(resolve, 100));
  expect(heard).toHaveLength(3);
  // The link dropped the answer: back in the queue, to be sent again.
  await outbox.requeue(entry.id, 'lost');
  expect(await last(4)).toMatchObject({ keys: [entry.id] });
  expect(heard[3]!.statuses).toContain('queued');
  stop();
  watched.close();
});

it('reads every view that is due in one read-only transaction, and hands the values out after it', async () => {
  const shared = openDatabase(`shared-${crypto.randomUUID()}`);
  await shared.open();
  await new Promise((resolve) => setTimeout(resolve, 50));
  const modes: string[] = [];
  // The database as the views see it, counting the transactions their refresh opens.
  const counted = { name: shared.name, transaction: ((mode: 'r', tables: string[], scope: () => Promise<unknown>) => (modes.push(`${mode} ${tables.join('+')}`), shared.transaction(mode, tables, scope))) as typeof shared.transaction };
  const queued: number[] = [];
  const answers: number[] = [];
  const first = throttledQuery(counted, ['outbox'], () => shared.outbox.count(), 30).subscribe((count) => queued.push(count));
  const second = throttledQuery(counted, ['outbox', 'answers'], async () => (await shared.outbox.count()) + (await shared.answers.count()), 30).subscribe((count) => answers.push(count));
  await vi.waitFor(() => expect([queued, answers]).toEqual([[0], [0]]));
  await new Outbox(shared).enqueue({ kind: 'plate', lic: 'TOGETHER', lis: 'CA' }, 'routine');
  await vi.waitFor(() => expect([queued.at(-1), answers.at(-1)]).toEqual([1, 1]));
  // Every refresh read both views, in one transaction over the tables of both.
  expect(modes.length).toBeGreaterThan(0);
  expect(new Set(modes)).toEqual(new Set(['r outbox+answers']));
  first.unsubscribe();
  second.unsubscribe();
  shared.close();
});

/** Queues `count` plates as fast as storage takes them. */
async function burst(outbox: Outbox, prefix: string, count: number): Promise<void> {
  for (let i = 0; i < count; i++) await outbox.enqueue({ kind: 'plate', lic: `${prefix}${i}`, lis: 'CA' }, 'routine');
}

it('reads a view again after a read that failed, so the last write of a burst shows with no write after it', async () => {
  const failed = openDatabase(`read-failed-${crypto.randomUUID()}`);
  const outbox = new Outbox(failed);
  let burstDone = false;
  let failedOnce = false;
  const seen: number[] = [];
  const errors: unknown[] = [];
  // Storage refuses the one read that follows the burst's last write (a transaction aborted), then answers again.
  const subscription = throttledQuery(failed, ['outbox'], async () => {
    if (burstDone && !failedOnce) {
      failedOnce = true;
      throw new Error('The read was aborted');
    }
    return countStatuses(failed, AWAITING_ANSWER);
  }, 50).subscribe({ next: (count) => seen.push(count), error: (error) => errors.push(error) });
  await vi.waitFor(() => expect(seen).toContain(0));
  await burst(outbox, 'FAILED', 12);
  // The last query has joined the outbox; the refresh that would show it is still ahead.
  await outbox.settle();
  burstDone = true;
  await vi.waitFor(() => expect(errors).toHaveLength(1));
  // Nothing more is written: the view must still come to the twelve stored, within a second.
  await vi.waitFor(() => expect(seen.at(-1)).toBe(12), { timeout: 1_000 });
  subscription.unsubscribe();
  failed.close();
});

it('a view whose read throws at once does not take the values of the views read with it', async () => {
  const shared = openDatabase(`read-throws-${crypto.randomUUID()}`);
  const outbox = new Outbox(shared);
  const counts: number[] = [];
  let reads = 0;
  // Read once, then broken: it throws before it has a promise to reject.
  const broken = throttledQuery(shared, ['outbox'], (() => {
    if (reads++ > 0) throw new Error('This view cannot be read');
    return shared.outbox.count();
  }) as () => Promise<number>, 30).subscribe({ error: () => undefined });
  const count = throttledQuery(shared, ['outbox'], () => countStatuses(shared, AWAITING_ANSWER), 30).subscribe((n) => counts.push(n));
  await burst(outbox, 'THROWS', 8);
  await vi.waitFor(() => expect(counts.at(-1)).toBe(8), { timeout: 1_000 });
  broken.unsubscribe();
  count.unsubscribe();
  shared.close();
});

it('a subscriber that throws does not keep the next view from its value', async () => {
  const shared = openDatabase(`subscriber-throws-${crypto.randomUUID()}`);
  const outbox = new Outbox(shared);
  const counts: number[] = [];
  const thrown: unknown[] = [];
  const onUncaught = (error: unknown) => thrown.push(error);
  process.on('uncaughtException', onUncaught);
  const loud = throttledQuery(shared, ['outbox'], () => shared.outbox.count(), 30).subscribe((n) => {
    if (n > 0) throw new Error('A view could not draw this');
  });
  const count = throttledQuery(shared, ['outbox'], () => countStatuses(shared, AWAITING_ANSWER), 30).subscribe((n) => counts.push(n));
  await burst(outbox, 'LOUD', 6);
  await vi.waitFor(() => expect(counts.at(-1)).toBe(6), { timeout: 1_000 });
  loud.unsubscribe();
  count.unsubscribe();
  process.off('uncaughtException', onUncaught);
  shared.close();
});

it('a first value read before a newer refresh does not replace the newer one', async () => {
  const late = openDatabase(`first-late-${crypto.randomUUID()}`);
  await late.open();
  const outbox = new Outbox(late);
  let calls = 0;
  const seen: number[] = [];
  // The first read is held up after it has read (a busy main thread): it comes back after the refresh's.
  const subscription = throttledQuery(late, ['outbox'], async () => {
    const count = await countStatuses(late, AWAITING_ANSWER);
    if (calls++ === 0) await new Promise((resolve) => setTimeout(resolve, 400));
    return count;
  }, 30).subscribe((n) => seen.push(n));
  await burst(outbox, 'LATE', 3);
  await new Promise((resolve) => setTimeout(resolve, 800));
  expect(seen.at(-1)).toBe(3);
  subscription.unsubscribe();
  late.close();
});
