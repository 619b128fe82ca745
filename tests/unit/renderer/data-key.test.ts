// An agency terminal keeps its data key only under the OS keychain; a drill or the browser build may use the
// browser profile's WebCrypto key, and each says which protects it.
import 'fake-indexeddb/auto';
import { Dexie } from 'dexie';
import { describe, expect, it } from 'vitest';
import { fail, ok } from '../../../src-shared/result.ts';
import type { JournalKey } from '../../../src-renderer/outbox/queue-journal.ts';
import { type KeyProtectedBy, KeychainRequired, type KeyProtection, loadDataKey } from '../../../src-renderer/vault/data-key.ts';

const NO_KEYRING = 'No keyring is running (basic_text would store the key unprotected)';
const noKeychain: KeyProtection = { protectKey: async () => fail(NO_KEYRING), unprotectKey: async () => fail(NO_KEYRING) };
/** A keychain stand-in: reversible, as safeStorage is for the account that wrapped the key. */
const keychain: KeyProtection = { protectKey: async (raw) => ok(`kc:${raw}`), unprotectKey: async (sealed) => ok(sealed.slice(3)) };

async function storedKeys(name: string): Promise<unknown[]> {
  const store = new Dexie(name);
  store.version(1).stores({ keys: 'id' });
  const rows = await store.table('keys').toArray();
  store.close();
  return rows;
}

describe('the data key', () => {
  it('is refused in agency mode without the OS keychain, naming the cause, and none is stored', async () => {
    const name = `keys-${crypto.randomUUID()}`;
    const refusal = loadDataKey(noKeychain, name, { requireKeychain: true });
    await expect(refusal).rejects.toBeInstanceOf(KeychainRequired);
    await expect(refusal).rejects.toMatchObject({ reason: NO_KEYRING });
    expect(await storedKeys(name)).toEqual([]);
  });

  it('is wrapped by the browser profile in a drill, and says so', async () => {
    const told: KeyProtectedBy[] = [];
    const name = `keys-${crypto.randomUUID()}`;
    const key = await loadDataKey(noKeychain, name, { protectedBy: (by) => told.push(by) });
    expect(await loadDataKey(noKeychain, name, { protectedBy: (by) => told.push(by) })).toEqual(key);
    expect(told).toEqual(['browser', 'browser']);
  });

  it('is wrapped by the OS keychain in agency mode, and says so', async () => {
    const told: KeyProtectedBy[] = [];
    const name = `keys-${crypto.randomUUID()}`;
    const key = await loadDataKey(keychain, name, { requireKeychain: true, protectedBy: (by) => told.push(by) });
    expect(await loadDataKey(keychain, name, { requireKeychain: true })).toEqual(key);
    expect(told).toEqual(['keychain']);
    expect(await storedKeys(name)).toMatchObject([{ by: 'platform' }]);
  });

  it('left wrapped by the browser by a drill, is moved under the keychain once a profile is installed, or refused without one', async () => {
    const name = `keys-${crypto.randomUUID()}`;
    const key = await loadDataKey(noKeychain, name);
    await expect(loadDataKey(noKeychain, name, { requireKeychain: true })).rejects.toBeInstanceOf(KeychainRequired);
    expect(await storedKeys(name)).toMatchObject([{ by: 'device' }]);
    const told: KeyProtectedBy[] = [];
    expect(await loadDataKey(keychain, name, { requireKeychain: true, protectedBy: (by) => told.push(by) })).toEqual(key);
    expect(told).toEqual(['keychain']);
    expect(await storedKeys(name)).toMatchObject([{ by: 'platform' }]);
  });

  describe('carried over a deleted database by the queue journal', () => {
    it('is taken up from the keychain form the journal kept, still under the keychain', async () => {
      const kept: JournalKey[] = [];
      const key = await loadDataKey(keychain, `keys-${crypto.randomUUID()}`, { requireKeychain: true, kept: (form) => kept.push(form) });
      expect(kept).toEqual([{ by: 'keychain', sealed: expect.stringMatching(/^kc:/) }]);
      // A new profile's key database (the browser deleted the old one): the journal's form gives the same key back.
      const name = `keys-${crypto.randomUUID()}`;
      expect(await loadDataKey(keychain, name, { requireKeychain: true, recovered: kept[0] })).toEqual(key);
      expect(await storedKeys(name)).toEqual([{ id: 'data', by: 'platform', sealed: (kept[0] as { sealed: string }).sealed }]);
    });

    it('is taken up from the browser form in a drill, and wrapped by the new profile', async () => {
      const kept: JournalKey[] = [];
      const key = await loadDataKey(noKeychain, `keys-${crypto.randomUUID()}`, { kept: (form) => kept.push(form) });
      expect(kept).toEqual([{ by: 'browser', raw: expect.any(String) }]);
      const name = `keys-${crypto.randomUUID()}`;
      expect(await loadDataKey(noKeychain, name, { recovered: kept[0] })).toEqual(key);
      expect(await storedKeys(name)).toMatchObject([{ by: 'device' }]);
    });

    it('is made anew when the journal\'s form no longer opens, and the key the profile holds wins over the journal\'s', async () => {
      const foreign: JournalKey = { by: 'keychain', sealed: 'another account' };
      const refusing: KeyProtection = { ...keychain, unprotectKey: async () => fail('The keychain belongs to another account') };
      const fresh = await loadDataKey(refusing, `keys-${crypto.randomUUID()}`, { recovered: foreign });
      expect(fresh).toHaveLength(32);
      const name = `keys-${crypto.randomUUID()}`;
      const held = await loadDataKey(noKeychain, name);
      const other: JournalKey = { by: 'browser', raw: btoa(String.fromCharCode(...new Uint8Array(32).fill(7))) };
      expect(await loadDataKey(noKeychain, name, { recovered: other })).toEqual(held);
    });
  });
});
