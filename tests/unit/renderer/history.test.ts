// The results list's rows: read again after every change, handed out as the same objects when unchanged.
import 'fake-indexeddb/auto';
import { expect, it, vi } from 'vitest';
import { openDatabase } from '../../../src-renderer/db/database.ts';
import { Outbox } from '../../../src-renderer/outbox/outbox.ts';
import { type QueryRow, recentQueries } from '../../../src-renderer/results/history.ts';

it('keeps the row objects of queries that did not change, so only the changed row is re-drawn', async () => {
  const db = openDatabase(`history-${crypto.randomUUID()}`);
  const outbox = new Outbox(db);
  const first = await outbox.enqueue({ kind: 'plate', lic: 'SAME001', lis: 'CA' }, 'routine');
  const second = await outbox.enqueue({ kind: 'plate', lic: 'SAME002', lis: 'CA' }, 'routine');
  const seen: QueryRow[][] = [];
  const subscription = recentQueries(db).subscribe((rows) => seen.push(rows));
  await vi.waitFor(() => expect(seen).toHaveLength(1));
  await outbox.cancel(second.id);
  await vi.waitFor(() => expect(seen.at(-1)?.find((row) => row.entry.id === second.id)?.entry.status).toBe('cancelled'));
  const [before, after] = [seen[0]!, seen.at(-1)!];
  const row = (rows: QueryRow[], id: string) => rows.find((each) => each.entry.id === id);
  expect(row(after, first.id)).toBe(row(before, first.id));
  expect(row(after, second.id)).not.toBe(row(before, second.id));
  subscription.unsubscribe();
  db.close();
});
