// The status counts the status bar, the drain bar, the update gate and sign-out read: one native count per status.
import 'fake-indexeddb/auto';
import { expect, it } from 'vitest';
import { openDatabase } from '../../../src-renderer/db/database.ts';
import { AlertRaiser } from '../../../src-renderer/alerts/alert-raiser.ts';
import { wholeAnswer } from '../../../src-renderer/answers/answer-store.ts';
import { Outbox } from '../../../src-renderer/outbox/outbox.ts';
import { AWAITING_ANSWER, countStatuses } from '../../../src-renderer/outbox/status-count.ts';

it('counts entries in any of the statuses asked for, and none in the others', async () => {
  const db = openDatabase(`status-count-${crypto.randomUUID()}`);
  const outbox = new Outbox(db);
  for (let i = 0; i < 5; i++) await outbox.enqueue({ kind: 'plate', lic: `COUNT${i}`, lis: 'CA' }, 'routine');
  const [sending, delivered, answered] = await outbox.claim(3);
  await outbox.markDelivered(delivered!.id);
  await outbox.markDelivered(answered!.id);
  await new AlertRaiser({ db, show: () => undefined }).deliver(wholeAnswer(answered!.id, { queryId: 'q', idempotencyKey: answered!.id, receivedAt: new Date().toISOString(), parts: [] }));
  expect(sending?.status).toBe('sending');
  expect(await countStatuses(db, AWAITING_ANSWER)).toBe(4);
  expect(await countStatuses(db, ['queued', 'sending'])).toBe(3);
  expect(await countStatuses(db, ['answered'])).toBe(1);
  expect(await countStatuses(db, ['failed', 'cancelled'])).toBe(0);
  // The same as the row-by-row count it replaces.
  expect(await db.outbox.where('status').anyOf([...AWAITING_ANSWER]).count()).toBe(4);
  db.close();
});
