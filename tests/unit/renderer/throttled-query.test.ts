// A throttled view follows the database, but re-reads at most once per interval however many writes land.
import 'fake-indexeddb/auto';
import { afterEach, expect, it, vi } from 'vitest';
import { openDatabase } from '../../../src-renderer/db/database.ts';
import { throttledQuery } from '../../../src-renderer/db/throttled-query.ts';
import { Outbox } from '../../../src-renderer/outbox/outbox.ts';

const db = openDatabase(`throttled-${crypto.randomUUID()}`);
afterEach(() => vi.useRealTimers());

it('shows the first answer at once, then a burst of writes in one re-read', async () => {
  const outbox = new Outbox(db);
  let reads = 0;
  const seen: number[] = [];
  const subscription = throttledQuery(async () => (reads++, db.outbox.count()), 1_000).subscribe((count) => seen.push(count));
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
