// Who owns the queue: holding an officer's queued queries at sign-out, releasing them only to that officer's
// password, discarding them on their word, and what the end of a shift erases. fake-indexeddb and Node's WebCrypto.
import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Session } from '../../../src-shared/auth.ts';
import { openDatabase, type OutriderDb } from '../../../src-renderer/db/database.ts';
import { Outbox } from '../../../src-renderer/outbox/outbox.ts';
import { countUnlockFailure, discardQueued, endShift, holdQueued, recordSignIn, releaseHeld, sessionHolder } from '../../../src-renderer/session/officer-store.ts';
import { bundleAuthentic, openBundle, secretsAfterSignIn, unlockWith } from '../../../src-renderer/session/secrets.ts';
import { openedValueCount } from '../../../src-renderer/vault/cji-middleware.ts';
import { rawDatabaseText } from '../../support/raw-indexeddb.ts';

const plate = { kind: 'plate', lic: '4TRN000', lis: 'CA' } as const;
const now = new Date('2026-11-23T14:00:00Z');

function session(id: string): Session {
  return { token: `token-of-${id}-0123456789`, officer: { id, name: `Officer ${id}` }, signedInAt: now.toISOString(), expiresAt: new Date(now.getTime() + 12 * 3_600_000).toISOString() };
}

let db: OutriderDb;
let name: string;
beforeEach(() => {
  name = `officer-store-${crypto.randomUUID()}`;
  db = openDatabase(name, async () => crypto.getRandomValues(new Uint8Array(32)));
});
afterEach(async () => db.delete());

async function signIn(id: string, password: string) {
  const previous = await db.officers.get(id);
  const secrets = await secretsAfterSignIn(password, previous?.holdKey);
  return { record: await recordSignIn(db, session(id), secrets, now), secrets };
}

describe('queries held at sign-out', () => {
  it('leave the outbox sealed to their officer, and come back with the same ids only to that officer', async () => {
    const { record } = await signIn('TRN101', 'rivera-password');
    const outbox = new Outbox(db);
    const first = await outbox.enqueue(plate, 'routine');
    const second = await outbox.enqueue({ ...plate, lic: '4TRN001' }, 'officer_safety');

    expect(await holdQueued(db, record, now)).toBe(2);
    expect(await db.outbox.count()).toBe(0);
    expect(await rawDatabaseText(name)).not.toContain('4TRN00');
    await endShift(db, 'TRN101', now, 'signed out');

    // Another officer's password opens nothing of it, and nothing of it is in their queue.
    const chen = await signIn('TRN102', 'chen-password');
    const bundle = (await db.held.get('TRN101'))!.bundles[0]!;
    await expect(openBundle(chen.secrets.privateKey!, bundle)).rejects.toThrow();
    expect(await bundleAuthentic(chen.secrets.holdKey.macKey!, 'TRN101', bundle)).toBe(false);
    expect(await db.outbox.count()).toBe(0);
    await endShift(db, 'TRN102', now, 'signed out');

    const back = await signIn('TRN101', 'rivera-password');
    expect(await releaseHeld(db, 'TRN101', back.secrets, now)).toEqual({ released: 2, refused: 0 });
    const entries = await db.outbox.orderBy('seq').toArray();
    expect(entries.map((entry) => [entry.id, entry.status, entry.query])).toEqual([
      [first.id, 'queued', plate],
      [second.id, 'queued', { ...plate, lic: '4TRN001' }],
    ]);
    expect(await db.held.count()).toBe(0);
    expect((await db.audit.toArray()).filter((line) => line.action === 'query.released').map((line) => line.subject)).toEqual([first.id, second.id]);
  });

  it('include a query still in the intake (entered just before sign-out, or left there by a crash)', async () => {
    const { record } = await signIn('TRN101', 'rivera-password');
    const queued = await new Outbox(db).enqueue(plate, 'routine');
    // A query committed to the intake by a window that crashed before the outbox took it in.
    const id = crypto.randomUUID();
    const at = now.toISOString();
    await db.intake.add({ id, query: { ...plate, lic: '4TRN009' }, priority: 'routine', lane: 2, seq: 1, status: 'queued', attempts: 0, askedAt: at, enqueued: { at, action: 'query.enqueued', subject: id, outcome: 'queued plate query, routine' } });
    expect(await holdQueued(db, record, now)).toBe(2);
    expect(await db.intake.count()).toBe(0);
    expect(await db.outbox.count()).toBe(0);
    const held = (await db.audit.toArray()).filter((line) => line.action === 'query.held').map((line) => line.subject);
    expect(held.sort()).toEqual([id, queued.id].sort());
  });

  it('a second hold for the same officer adds to the first', async () => {
    const { record } = await signIn('TRN101', 'rivera-password');
    const outbox = new Outbox(db);
    await outbox.enqueue(plate, 'routine');
    await holdQueued(db, record, now);
    await outbox.enqueue({ ...plate, lic: '4TRN001' }, 'routine');
    await holdQueued(db, record, now);
    expect((await db.held.get('TRN101'))?.count).toBe(2);
    const back = await signIn('TRN101', 'rivera-password');
    expect(await releaseHeld(db, 'TRN101', back.secrets, now)).toEqual({ released: 2, refused: 0 });
  });

  it('are discarded only as a whole, each discard audited with who chose it', async () => {
    await signIn('TRN101', 'rivera-password');
    const outbox = new Outbox(db);
    const entries = [await outbox.enqueue(plate, 'routine'), await outbox.enqueue(plate, 'routine')];
    expect(await discardQueued(db, 'TRN101', now)).toBe(2);
    const lines = (await db.audit.toArray()).filter((line) => line.action === 'query.discarded');
    expect(lines.map((line) => line.subject).sort()).toEqual(entries.map((entry) => entry.id).sort());
    expect(lines[0]!.outcome).toContain('TRN101');
  });
});

describe('the end of a shift', () => {
  it("erases the cached CJI and the officer's authenticators, and keeps the audit", async () => {
    await signIn('TRN101', 'rivera-password');
    await new Outbox(db).enqueue(plate, 'routine');
    await db.hotlist.put({ id: 1, plates: ['CA:4TRN123'] });
    await db.settings.put({ key: 'hotlistVersion', value: '7' });
    await endShift(db, 'TRN101', now, 'signed out');
    expect(await db.outbox.count()).toBe(0);
    expect(await db.hotlist.count()).toBe(0);
    expect(await db.settings.get('hotlistVersion')).toBeUndefined();
    expect(await db.officers.count()).toBe(0);
    expect(await sessionHolder(db)).toBeUndefined();
    expect((await db.audit.toArray()).at(-1)).toMatchObject({ action: 'session.signout', subject: 'TRN101' });
  });

  it('keeps only the key pair of an officer whose queries are held, never the verifier or token', async () => {
    const { record } = await signIn('TRN101', 'rivera-password');
    await new Outbox(db).enqueue(plate, 'routine');
    await holdQueued(db, record, now);
    await endShift(db, 'TRN101', now, 'signed out');
    const kept = await db.officers.get('TRN101');
    expect(kept?.holdKey).toBeDefined();
    expect(kept?.verifier).toBeUndefined();
    expect(kept?.session).toBeUndefined();
    expect(await sessionHolder(db)).toBeUndefined();
  });
});

describe('the offline verifier', () => {
  it('unlocks with the right password only, and is sealed at rest', async () => {
    const { record } = await signIn('TRN101', 'rivera-password');
    expect((await unlockWith('rivera-password', record.verifier!, record.holdKey)).ok).toBe(true);
    expect((await unlockWith('Rivera-password', record.verifier!, record.holdKey)).ok).toBe(false);
    const raw = await rawDatabaseText(name);
    expect(raw).not.toContain(record.verifier!.hash);
    expect(raw).not.toContain('token-of-TRN101');
  });
});

describe('the end of a shift, in memory', () => {
  it('drops the values opened from storage during the shift from memory as well', async () => {
    await signIn('TRN101', 'rivera-password');
    const outbox = new Outbox(db);
    await outbox.enqueue(plate, 'routine');
    await outbox.settle();
    expect((await db.outbox.toArray())[0]!.query).toEqual(plate);
    expect(openedValueCount()).toBeGreaterThan(0);
    await endShift(db, 'TRN101', now, 'signed out');
    expect(openedValueCount()).toBe(0);
  });
});

describe('wrong passwords at the lock screen', () => {
  it('are counted sealed in storage, and the fifth erases the offline verifier but keeps the shift', async () => {
    await signIn('TRN101', 'rivera-password');
    for (let attempt = 1; attempt <= 4; attempt++) expect(await countUnlockFailure(db, 'TRN101', 5)).toMatchObject({ unlockFailures: attempt, verifier: expect.any(Object) });
    const raw = await rawDatabaseText(name);
    expect(raw).not.toMatch(/"unlockFailures":\d/);
    expect(await countUnlockFailure(db, 'TRN101', 5)).toMatchObject({ unlockFailures: 5 });
    const officer = await db.officers.get('TRN101');
    expect(officer?.verifier).toBeUndefined();
    expect(officer?.session).toBeDefined();
    expect((await sessionHolder(db))?.id).toBe('TRN101');
  });
});
