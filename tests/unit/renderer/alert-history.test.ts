// The alert history: every alert of the terminal, newest answer first, acknowledged or not.
import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { acknowledgeAlert, alertHistory, foldAcknowledgements } from '../../../src-renderer/alerts/alert-center.ts';
import { type AlertRecord, openDatabase, type OutriderDb } from '../../../src-renderer/db/database.ts';

let db: OutriderDb;
beforeEach(() => {
  db = openDatabase(`alert-history-test-${crypto.randomUUID()}`);
});
afterEach(async () => db.delete());

function alert(id: string, answeredAt: string, over: Partial<AlertRecord> = {}): AlertRecord {
  return {
    id,
    queryId: `query-${id}`,
    severity: 'hit',
    rank: 1,
    title: 'STOLEN VEHICLE',
    subject: `Plate ${id} (CA)`,
    detail: '',
    cautions: [],
    sources: ['State stolen vehicles'],
    askedAt: '2026-11-23T09:00:00.000Z',
    answeredAt,
    late: false,
    acknowledgedAt: 0,
    ...over,
  };
}

/** The first value the live query emits. */
function firstValue(db: OutriderDb): Promise<AlertRecord[]> {
  return new Promise((resolve, reject) => {
    const subscription = alertHistory(db).subscribe({
      next: (value) => {
        resolve(value);
        queueMicrotask(() => subscription.unsubscribe());
      },
      error: reject,
    });
  });
}

describe('the alert history', () => {
  it('lists every alert, acknowledged or not, newest answer first whatever the severity', async () => {
    await db.alerts.bulkAdd([
      alert('OLD', '2026-11-23T10:00:00.000Z', { acknowledgedAt: Date.parse('2026-11-23T10:01:00.000Z') }),
      alert('NEWEST', '2026-11-23T12:00:00.000Z'),
      alert('ARMED', '2026-11-23T11:00:00.000Z', { severity: 'officer_safety', rank: 0, late: true }),
    ]);
    const rows = await firstValue(db);
    expect(rows.map((row) => row.id)).toEqual(['NEWEST', 'ARMED', 'OLD']);
    expect(rows[1]).toMatchObject({ severity: 'officer_safety', late: true, acknowledgedAt: 0 });
  });

  it('shows when an alert was acknowledged once it is', async () => {
    await db.alerts.add(alert('A', '2026-11-23T10:00:00.000Z'));
    const at = new Date('2026-11-23T10:05:00.000Z');
    await acknowledgeAlert(db, (await db.alerts.get('A'))!, at);
    await foldAcknowledgements(db);
    expect((await firstValue(db))[0]!.acknowledgedAt).toBe(at.getTime());
  });

  it('is empty on a new terminal', async () => {
    expect(await firstValue(db)).toEqual([]);
  });
});
