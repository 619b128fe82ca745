// Two windows of one terminal: the second follows the first's sign-in, lock and sign-out, as the phase machine
// hears them on the session channel. fake-indexeddb, Node's BroadcastChannel, a stand-in for the switch.
import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Session } from '../../../src-shared/auth.ts';
import { openDatabase, type OutriderDb } from '../../../src-renderer/db/database.ts';
import type { AuthClient } from '../../../src-renderer/session/auth-client.ts';
import { SessionController } from '../../../src-renderer/session/session.svelte.ts';

const signedInAt = new Date();
const session: Session = { token: 'token-of-TRN101-0123456789', officer: { id: 'TRN101', name: 'Officer TRN101' }, signedInAt: signedInAt.toISOString(), expiresAt: new Date(signedInAt.getTime() + 12 * 3_600_000).toISOString() };
const auth = {
  signIn: async () => ({ kind: 'session', session }),
  renew: async () => ({ kind: 'session', session }),
  signOut: async () => undefined,
} as unknown as AuthClient;

let db: OutriderDb;
let windows: SessionController[];
beforeEach(() => {
  const key = crypto.getRandomValues(new Uint8Array(32));
  db = openDatabase(`session-windows-${crypto.randomUUID()}`, async () => key);
  windows = [];
});
afterEach(async () => {
  windows.forEach((window) => window.stop());
  await db.delete();
});

async function openWindow(): Promise<SessionController> {
  const window = new SessionController({ db, auth, terminal: Promise.resolve('terminal-test-0001'), lockAfterMs: 60_000 });
  windows.push(window);
  await window.start(new EventTarget());
  window.acknowledgeBanner();
  return window;
}

describe('a second window of the terminal', () => {
  it("follows the first's sign-in, lock and sign-out", async () => {
    const first = await openWindow();
    const second = await openWindow();
    expect(await first.signIn({ officerId: 'trn101', password: 'rivera-password', code: '123456' })).toBe(true);
    expect(first.phase).toBe('active');

    // Another window's sign-in: this one shows the notice again, then the lock of the officer's shift.
    await vi.waitFor(() => expect(second.phase).toBe('banner'));
    second.acknowledgeBanner();
    expect(second.phase).toBe('locked');
    expect(await second.unlock('rivera-password')).toBe(true);

    first.lock('key');
    await vi.waitFor(() => expect(second).toMatchObject({ phase: 'locked', lockReason: 'window' }));

    await first.signOut('hold');
    await vi.waitFor(() => expect(second.phase).toBe('banner'));
    expect(second.officer).toBeUndefined();
    expect(second.token()).toBeUndefined();
    // Three slow password derivations (FIELD_CONFIG.verifierIterations) on a shared machine.
  }, 60_000);
});
