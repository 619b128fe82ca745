// Signing out: sending stops first, queued queries are held for the officer or discarded at their word, the
// token is revoked, and a step that fails erases nothing.
import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Session } from '../../../src-shared/auth.ts';
import { acknowledgementsFor, allAcknowledgements } from '../../../src-renderer/alerts/acknowledgement-store.ts';
import { acknowledgeAlert } from '../../../src-renderer/alerts/alert-center.ts';
import { type AlertRecord, openDatabase, type OfficerRecord, type OutriderDb } from '../../../src-renderer/db/database.ts';
import { Outbox } from '../../../src-renderer/outbox/outbox.ts';
import { recordSignIn, sessionHolder } from '../../../src-renderer/session/officer-store.ts';
import { secretsAfterSignIn } from '../../../src-renderer/session/secrets.ts';
import { endShiftHere, type ShiftEndDeps } from '../../../src-renderer/session/shift-end.ts';

const now = new Date('2026-11-23T14:00:00Z');
const session: Session = { token: 'token-of-TRN101-0123456789', officer: { id: 'TRN101', name: 'Officer TRN101' }, signedInAt: now.toISOString(), expiresAt: new Date(now.getTime() + 12 * 3_600_000).toISOString() };

let db: OutriderDb;
let officer: OfficerRecord;
let steps: string[];
let deps: ShiftEndDeps;
beforeEach(async () => {
  db = openDatabase(`shift-end-${crypto.randomUUID()}`, async () => crypto.getRandomValues(new Uint8Array(32)));
  officer = await recordSignIn(db, session, await secretsAfterSignIn('rivera-password', undefined), now);
  steps = [];
  deps = {
    db,
    auth: { signOut: async (token) => void steps.push(`revoke ${token}`) },
    now: () => now,
    beforeShiftEnds: async () => void steps.push('stop sending'),
  };
  const outbox = new Outbox(db);
  await outbox.enqueue({ kind: 'plate', lic: '4TRN000', lis: 'CA' }, 'routine');
  await outbox.enqueue({ kind: 'plate', lic: '4TRN001', lis: 'CA' }, 'routine');
});
afterEach(async () => db.delete());

const lastLine = async () => (await db.audit.orderBy('seq').last())?.outcome;

describe('the end of a shift', () => {
  it('stops sending, holds the queued queries for the officer, revokes the token and ends the shift', async () => {
    await endShiftHere(deps, officer, 'hold', 'signed out');
    expect(steps).toEqual(['stop sending', `revoke ${session.token}`]);
    expect(await db.outbox.count()).toBe(0);
    expect((await db.held.get('TRN101'))?.bundles).toHaveLength(1);
    expect(await sessionHolder(db)).toBeUndefined();
    expect(await lastLine()).toContain('2 queued held');
  });

  it('discards the queued queries when the officer says so, and holds nothing', async () => {
    await endShiftHere(deps, officer, 'discard', 'signed out');
    expect(await db.outbox.where('status').equals('queued').count()).toBe(0);
    expect(await db.held.get('TRN101')).toBeUndefined();
    expect(await lastLine()).toContain('2 queued discarded');
  });

  it('writes an acknowledgement not yet folded into its alert to the trail before the alert is erased', async () => {
    const alert: AlertRecord = {
      id: 'alert-q1',
      queryId: 'q1',
      severity: 'hit',
      rank: 1,
      title: 'STOLEN VEHICLE',
      subject: 'Plate 4TRN123 (CA)',
      detail: '',
      cautions: [],
      sources: ['State stolen vehicles'],
      askedAt: now.toISOString(),
      answeredAt: now.toISOString(),
      late: false,
      acknowledgedAt: 0,
    };
    await db.alerts.put(alert);
    // Acknowledged, and the page closed before the acknowledgement was folded in: sign-out is the last chance.
    await acknowledgeAlert(db, alert, now);
    await endShiftHere(deps, officer, 'hold', 'signed out');
    expect(await allAcknowledgements(await acknowledgementsFor(db.name))).toEqual([]);
    expect(await db.alerts.count()).toBe(0);
    const lines = await db.audit.orderBy('seq').toArray();
    const acknowledged = lines.findIndex((line) => line.action === 'alert.acknowledged' && line.subject === alert.id);
    expect(lines[acknowledged]?.outcome).toBe('hit: STOLEN VEHICLE');
    expect(acknowledged).toBeLessThan(lines.findIndex((line) => line.action === 'session.signout'));
  });

  it('erases nothing when the switch cannot revoke the token', async () => {
    const refused = { ...deps, auth: { signOut: async () => Promise.reject(new Error('The switch cannot be reached')) } };
    await expect(endShiftHere(refused, officer, 'hold', 'signed out')).rejects.toThrow('cannot be reached');
    expect((await sessionHolder(db))?.id).toBe('TRN101');
  });
});
