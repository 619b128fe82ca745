// Queries held for an officer can be neither read nor planted by someone who can write the database: the
// hold key is sealed at rest, and a bundle without this officer's MAC is refused at release and audited.
import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Session } from '../../../src-shared/auth.ts';
import { openDatabase, type OutriderDb } from '../../../src-renderer/db/database.ts';
import { Outbox } from '../../../src-renderer/outbox/outbox.ts';
import { endShift, holdQueued, recordSignIn, releaseHeld } from '../../../src-renderer/session/officer-store.ts';
import { secretsAfterSignIn } from '../../../src-renderer/session/secrets.ts';
import { rawDatabaseText } from '../../support/raw-indexeddb.ts';

const now = new Date('2026-11-23T14:00:00Z');
const session: Session = { token: 'token-of-TRN101-0123456789', officer: { id: 'TRN101', name: 'Officer Rivera' }, signedInAt: now.toISOString(), expiresAt: new Date(now.getTime() + 12 * 3_600_000).toISOString() };
const b64 = (bytes: ArrayBuffer | Uint8Array) => btoa(String.fromCharCode(...new Uint8Array(bytes)));
const unb64 = (text: string) => Uint8Array.from(atob(text), (char) => char.charCodeAt(0));

let db: OutriderDb;
let name: string;
beforeEach(() => {
  name = `held-${crypto.randomUUID()}`;
  db = openDatabase(name, async () => crypto.getRandomValues(new Uint8Array(32)));
});
afterEach(async () => db.delete());

async function signIn() {
  const secrets = await secretsAfterSignIn('rivera-password', (await db.officers.get('TRN101'))?.holdKey);
  return { record: await recordSignIn(db, session, secrets, now), secrets };
}

/** What an attacker with the officer's public key makes: a bundle sealed to it exactly as Outrider seals one. */
async function plantedBundle(publicKey: string, entries: unknown[]) {
  const officer = await crypto.subtle.importKey('spki', unb64(publicKey), { name: 'ECDH', namedCurve: 'P-256' }, false, []);
  const once = (await crypto.subtle.generateKey({ name: 'ECDH', namedCurve: 'P-256' }, true, ['deriveKey'])) as CryptoKeyPair;
  const key = await crypto.subtle.deriveKey({ name: 'ECDH', public: officer }, once.privateKey, { name: 'AES-GCM', length: 256 }, false, ['encrypt']);
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const data = await crypto.subtle.encrypt({ name: 'AES-GCM', iv }, key, new TextEncoder().encode(JSON.stringify({ version: 1, entries })));
  return { ephemeralKey: b64(await crypto.subtle.exportKey('spki', once.publicKey)), iv: b64(iv), data: b64(data) };
}

const plantedQuery = { id: 'planted-1', query: { kind: 'person', nam: 'MAYOR, THE', dob: '1960-01-01', sex: 'M' }, priority: 'routine', lane: 2, seq: 1, status: 'queued', attempts: 0, askedAt: now.toISOString() };

describe('queries held for an officer', () => {
  it("keep the officer's hold key sealed at rest: no wrapped private key to test passwords against", async () => {
    const { record } = await signIn();
    const raw = await rawDatabaseText(name);
    expect(raw).not.toContain(record.holdKey!.wrappedPrivateKey);
    expect(raw).not.toContain(record.holdKey!.publicKey);
  });

  it('refuse a bundle planted in the database, send nothing of it, and audit the refusal', async () => {
    const { record } = await signIn();
    await endShift(db, 'TRN101', now, 'signed out');
    await db.held.put({ officerId: 'TRN101', count: 1, heldAt: now.toISOString(), bundles: [await plantedBundle(record.holdKey!.publicKey, [plantedQuery])] });

    const back = await signIn();
    expect(await releaseHeld(db, 'TRN101', back.secrets, now)).toEqual({ released: 0, refused: 1 });
    expect(await db.outbox.count()).toBe(0);
    expect((await db.audit.toArray()).at(-1)).toMatchObject({ action: 'query.hold_refused', subject: 'TRN101' });
  });

  it('refuse a held bundle altered at rest, or moved to another officer, and release the genuine ones', async () => {
    const { record } = await signIn();
    const outbox = new Outbox(db);
    await outbox.enqueue({ kind: 'plate', lic: '4TRN123', lis: 'CA' }, 'routine');
    await holdQueued(db, record, now);
    await outbox.enqueue({ kind: 'plate', lic: '4TRN124', lis: 'CA' }, 'routine');
    await holdQueued(db, record, now);
    const held = (await db.held.get('TRN101'))!;
    const [genuine, altered] = held.bundles as [(typeof held.bundles)[0], (typeof held.bundles)[0]];
    const flipped = unb64(altered.data);
    flipped[flipped.length - 1]! ^= 1;
    // The genuine bundle, copied to another officer's hold, does not authenticate there either.
    await db.held.bulkPut([
      { ...held, bundles: [genuine, { ...altered, data: b64(flipped) }] },
      { officerId: 'TRN102', count: 1, heldAt: held.heldAt, bundles: [genuine] },
    ]);

    const back = await signIn();
    expect(await releaseHeld(db, 'TRN101', back.secrets, now)).toEqual({ released: 1, refused: 1 });
    expect((await db.outbox.toArray()).map((entry) => entry.query)).toEqual([{ kind: 'plate', lic: '4TRN123', lis: 'CA' }]);
    expect(await releaseHeld(db, 'TRN102', back.secrets, now)).toEqual({ released: 0, refused: 1 });
  });
});
