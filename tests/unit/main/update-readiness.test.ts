// The renderer half of the update gate: it reports what is still pending whenever the outbox or alerts change.
import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { UpdateReadiness } from '../../../src-shared/ipc.ts';
import { ok } from '../../../src-shared/result.ts';
import { type AlertRecord, openDatabase, type OutboxEntry, type OutboxStatus, type OutriderDb } from '../../../src-renderer/db/database.ts';
import type { Platform } from '../../../src-renderer/platform/platform.ts';
import { reportUpdateReadiness } from '../../../src-renderer/platform/update-readiness.ts';
import { webPlatform } from '../../../src-renderer/platform/web-platform.ts';

/** Only the indexed fields matter to the count; the rest of a row is not this test's business. */
const outboxRow = (id: string, status: OutboxStatus) => ({ id, status, seq: 1, lane: 2 }) as unknown as OutboxEntry;
const alertRow = (id: string, acknowledgedAt: number) => ({ id, acknowledgedAt, rank: 1 }) as unknown as AlertRecord;

/** A platform that records every report and lets a test wait for one that matches, never for time. */
function recordingPlatform() {
  const reports: UpdateReadiness[] = [];
  const waiters: Array<{ wanted: UpdateReadiness; resolve: () => void }> = [];
  const same = (a: UpdateReadiness, b: UpdateReadiness) => a.queuedQueries === b.queuedQueries && a.unacknowledgedAlerts === b.unacknowledgedAlerts;
  const platform: Platform = {
    ...webPlatform,
    reportUpdateReadiness: async (readiness) => {
      reports.push(readiness);
      for (const waiter of waiters.filter((w) => same(w.wanted, readiness))) waiter.resolve();
      return ok(undefined);
    },
  };
  const reported = (wanted: UpdateReadiness) =>
    new Promise<void>((resolve) => {
      if (reports.some((r) => same(r, wanted))) resolve();
      else waiters.push({ wanted, resolve });
    });
  return { platform, reports, reported };
}

let db: OutriderDb;
beforeEach(() => {
  db = openDatabase(`update-readiness-${crypto.randomUUID()}`);
});
afterEach(async () => db.delete());

describe('reportUpdateReadiness', () => {
  it('reports zero and zero for an empty terminal', async () => {
    const { platform, reported } = recordingPlatform();
    const stop = reportUpdateReadiness(db, platform);
    await reported({ queuedQueries: 0, unacknowledgedAlerts: 0 });
    stop();
  });

  it('counts queued, sending and delivered queries, not answered, failed or cancelled ones', async () => {
    await db.outbox.bulkAdd([
      outboxRow('a', 'queued'),
      outboxRow('b', 'sending'),
      outboxRow('c', 'delivered'),
      outboxRow('d', 'answered'),
      outboxRow('e', 'failed'),
      outboxRow('f', 'cancelled'),
    ]);
    const { platform, reports, reported } = recordingPlatform();
    const stop = reportUpdateReadiness(db, platform);
    await reported({ queuedQueries: 3, unacknowledgedAlerts: 0 });
    expect(reports[0]).toEqual({ queuedQueries: 3, unacknowledgedAlerts: 0 });
    stop();
  });

  it('counts only alerts not yet acknowledged', async () => {
    await db.alerts.bulkAdd([alertRow('open', 0), alertRow('seen', 1_700_000_000_000)]);
    const { platform, reported } = recordingPlatform();
    const stop = reportUpdateReadiness(db, platform);
    await reported({ queuedQueries: 0, unacknowledgedAlerts: 1 });
    stop();
  });

  it('reports again when a query is answered and its hit acknowledged', async () => {
    const { platform, reported } = recordingPlatform();
    const stop = reportUpdateReadiness(db, platform);
    await reported({ queuedQueries: 0, unacknowledgedAlerts: 0 });
    await db.outbox.add(outboxRow('q', 'queued'));
    await reported({ queuedQueries: 1, unacknowledgedAlerts: 0 });
    await db.transaction('rw', db.outbox, db.alerts, async () => {
      await db.outbox.update('q', { status: 'answered' });
      await db.alerts.add(alertRow('hit', 0));
    });
    await reported({ queuedQueries: 0, unacknowledgedAlerts: 1 });
    await db.alerts.update('hit', { acknowledgedAt: Date.now() });
    await reported({ queuedQueries: 0, unacknowledgedAlerts: 0 });
    stop();
  });

  it('stops reporting once unsubscribed', async () => {
    const { platform, reports, reported } = recordingPlatform();
    // A reporter subscribed alongside, and left running, shows when the change has reached subscribers.
    const witness = recordingPlatform();
    const stop = reportUpdateReadiness(db, platform);
    const stopWitness = reportUpdateReadiness(db, witness.platform);
    await Promise.all([reported({ queuedQueries: 0, unacknowledgedAlerts: 0 }), witness.reported({ queuedQueries: 0, unacknowledgedAlerts: 0 })]);
    stop();
    const before = reports.length;
    await db.outbox.add(outboxRow('late', 'queued'));
    await witness.reported({ queuedQueries: 1, unacknowledgedAlerts: 0 });
    // A second full change cycle: by its end a reporter still subscribed would have answered the first.
    await db.outbox.add(outboxRow('later', 'queued'));
    await witness.reported({ queuedQueries: 2, unacknowledgedAlerts: 0 });
    stopWitness();
    expect(reports).toHaveLength(before);
  });
});

describe('the web platform', () => {
  it('accepts a readiness report and does nothing with it', async () => {
    await expect(webPlatform.reportUpdateReadiness({ queuedQueries: 4, unacknowledgedAlerts: 2 })).resolves.toEqual({ ok: true, value: undefined });
  });
});
