// An acknowledgement is stored on its own, at once, whatever holds the alerts; then folded into its alert with
// its audit line, once, timed at the key.
import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { acknowledgeAlert, foldAcknowledgements, pendingAlerts } from '../../../src-renderer/alerts/alert-center.ts';
import { type AlertRecord, openDatabase, type OutriderDb } from '../../../src-renderer/db/database.ts';

let db: OutriderDb;
beforeEach(() => {
  db = openDatabase(`alert-acknowledgement-test-${crypto.randomUUID()}`);
});
afterEach(async () => db.delete());

const stolen: AlertRecord = {
  id: 'alert-q1',
  queryId: 'q1',
  severity: 'hit',
  rank: 1,
  title: 'STOLEN VEHICLE',
  subject: 'Plate 4TRN123 (CA)',
  detail: '',
  cautions: [],
  sources: ['State stolen vehicles'],
  askedAt: '2026-11-23T10:00:00.000Z',
  answeredAt: '2026-11-23T10:00:01.000Z',
  late: false,
  acknowledgedAt: 0,
};
const at = new Date('2026-11-23T10:00:05.000Z');

/** The pending alerts as the dialog next reads them. */
function pending(): Promise<AlertRecord[]> {
  return new Promise((resolve, reject) => {
    const subscription = pendingAlerts(db).subscribe({
      next: (value) => {
        resolve(value);
        queueMicrotask(() => subscription.unsubscribe());
      },
      error: reject,
    });
  });
}

const acknowledgedLines = async () => (await db.audit.toArray()).filter((line) => line.action === 'alert.acknowledged');

describe('an acknowledgement', () => {
  it('is stored while an answer batch holds the alerts and the audit trail', async () => {
    await db.alerts.add(stolen);
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let holding = true;
    void released.then(() => (holding = false));
    // An answer batch that keeps the alerts and the audit trail until released.
    const batch = db.transaction('rw', db.alerts, db.audit, async () => {
      while (holding) await db.alerts.get(stolen.id);
    });
    const order: string[] = [];
    const stored = acknowledgeAlert(db, stolen, at).then(() => void order.push('acknowledgement stored'));
    await new Promise((resolve) => setTimeout(resolve, 50));
    order.push('batch released');
    release();
    await Promise.all([stored, batch]);
    expect(order).toEqual(['acknowledgement stored', 'batch released']);
  });

  it('hides its alert from the moment it is stored, before it is folded into the alert, as after a reload', async () => {
    await db.alerts.add(stolen);
    await acknowledgeAlert(db, stolen, at);
    expect(await pending()).toEqual([]);
    expect((await db.alerts.get(stolen.id))!.acknowledgedAt).toBe(0);
  });

  it('is folded into its alert with one audit line timed at the key, however often folding runs', async () => {
    await db.alerts.add(stolen);
    await acknowledgeAlert(db, stolen, at);
    await foldAcknowledgements(db);
    await foldAcknowledgements(db);
    expect((await db.alerts.get(stolen.id))!.acknowledgedAt).toBe(at.getTime());
    expect(await db.acknowledgements.count()).toBe(0);
    expect(await acknowledgedLines()).toMatchObject([{ subject: stolen.id, outcome: 'hit: STOLEN VEHICLE', at: '2026-11-23T10:00:05.00Z' }]);
  });

  it('does not hide its alert once raised to a higher severity, and the audit line says what was acknowledged', async () => {
    await db.alerts.add(stolen);
    await acknowledgeAlert(db, stolen, at);
    const raised: AlertRecord = { ...stolen, severity: 'officer_safety', rank: 0, title: 'ARMED AND DANGEROUS' };
    await db.alerts.put(raised);
    expect(await pending()).toEqual([raised]);
    await foldAcknowledgements(db);
    expect((await db.alerts.get(stolen.id))!.acknowledgedAt).toBe(0);
    expect(await acknowledgedLines()).toMatchObject([{ outcome: 'hit: since raised to officer_safety: ARMED AND DANGEROUS' }]);
  });

  it('of an alert another window acknowledged already adds no second line', async () => {
    await db.alerts.add({ ...stolen, acknowledgedAt: at.getTime() - 1_000 });
    await acknowledgeAlert(db, stolen, at);
    await foldAcknowledgements(db);
    expect(await acknowledgedLines()).toEqual([]);
    expect((await db.alerts.get(stolen.id))!.acknowledgedAt).toBe(at.getTime() - 1_000);
  });
});
