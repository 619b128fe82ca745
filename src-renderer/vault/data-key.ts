// The terminal's data key: 256 random bits made once, kept wrapped. In Electron the OS keychain
// (safeStorage, through the platform bridge) wraps it; where the host cannot (a drill, the browser build),
// a non-extractable WebCrypto key held by the browser does. An agency terminal never falls back. The queue
// journal keeps a copy of its own (the keychain's wrapping; in a drill the key itself, which the profile alone
// protects either way) to take up should the browser delete the database this one is in.
import { Dexie } from 'dexie';
import type { Result } from '../../src-shared/result.ts';
import type { JournalKey } from '../outbox/queue-journal.ts';
import { fromBase64, toBase64 } from './base64.ts';
import { DATA_KEY_BYTES } from './sealing.ts';

export const KEY_DATABASE = 'outrider-keys';

/** What the platform offers to protect a key: Electron's safeStorage; the web platform declines. */
export interface KeyProtection {
  protectKey(raw: string): Promise<Result<string>>;
  unprotectKey(sealed: string): Promise<Result<string>>;
}

type WrappedKey =
  | { id: 'data'; by: 'platform'; sealed: string }
  | { id: 'data'; by: 'device'; kek: CryptoKey; iv: Uint8Array<ArrayBuffer>; ct: ArrayBuffer };


async function wrap(raw: Uint8Array<ArrayBuffer>, protection: KeyProtection): Promise<WrappedKey> {
  const byPlatform = await protection.protectKey(toBase64(raw)).catch(() => undefined);
  if (byPlatform?.ok) return { id: 'data', by: 'platform', sealed: byPlatform.value };
  // Non-extractable: script can use this key to open the data key, never read it out.
  const kek = await crypto.subtle.generateKey({ name: 'AES-GCM', length: 256 }, false, ['encrypt', 'decrypt']);
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const ct = await crypto.subtle.encrypt({ name: 'AES-GCM', iv }, kek, raw);
  return { id: 'data', by: 'device', kek, iv, ct };
}

async function unwrap(wrapped: WrappedKey, protection: KeyProtection): Promise<Uint8Array> {
  if (wrapped.by === 'device') return new Uint8Array(await crypto.subtle.decrypt({ name: 'AES-GCM', iv: wrapped.iv }, wrapped.kek, wrapped.ct));
  const opened = await protection.unprotectKey(wrapped.sealed);
  if (!opened.ok) throw new Error(`The terminal's data key could not be unlocked: ${opened.error}`);
  const raw = fromBase64(opened.value);
  if (raw.length !== DATA_KEY_BYTES) throw new Error("The terminal's data key is damaged");
  return raw;
}

/** What protects the data key: the OS keychain, or only this browser profile (beside the data it protects). */
export type KeyProtectedBy = 'keychain' | 'browser';

/** An agency terminal without a usable OS keychain: no CJI is opened, and the screen says what IT must install. */
export class KeychainRequired extends Error {
  constructor(readonly reason: string) {
    super(`The OS keychain is required to protect stored CJI and cannot be used: ${reason}`);
    this.name = 'KeychainRequired';
  }
}

export interface KeyPolicy {
  /** Agency mode: no key without the OS keychain; a key a drill left wrapped by the browser is re-wrapped or refused. */
  requireKeychain?: boolean;
  /** Told what protects the key, for the status area. */
  protectedBy?(by: KeyProtectedBy): void;
  /**
   * The key as the queue journal kept it (outbox/queue-journal.ts), taken up when this profile holds none: the
   * browser deleted the key's database with the terminal's, and the journal's queries open only under this key.
   */
  recovered?: JournalKey;
  /** Told the key in the form the queue journal keeps, once it is loaded. */
  kept?(key: JournalKey): void;
}

/** The key as the queue journal keeps it: the keychain's wrapping, or where only the browser protects it, itself. */
function journalForm(wrapped: WrappedKey, raw: Uint8Array): JournalKey {
  return wrapped.by === 'platform' ? { by: 'keychain', sealed: wrapped.sealed } : { by: 'browser', raw: toBase64(raw) };
}

/** The journal's key opened, or undefined when it no longer opens (another keychain, or damaged): a new key is made. */
async function recover(kept: JournalKey | undefined, protection: KeyProtection): Promise<Uint8Array<ArrayBuffer> | undefined> {
  if (!kept) return undefined;
  const raw = await (kept.by === 'keychain' ? unwrap({ id: 'data', by: 'platform', sealed: kept.sealed }, protection) : Promise.resolve(fromBase64(kept.raw))).catch(() => undefined);
  return raw?.length === DATA_KEY_BYTES ? new Uint8Array(raw) : undefined;
}

async function keychainWrap(raw: Uint8Array<ArrayBuffer>, protection: KeyProtection): Promise<WrappedKey> {
  const byPlatform = await protection.protectKey(toBase64(raw)).catch((error: unknown) => ({ ok: false as const, error: (error as Error).message }));
  if (!byPlatform.ok) throw new KeychainRequired(byPlatform.error);
  return { id: 'data', by: 'platform', sealed: byPlatform.value };
}

/** The data key, made and stored wrapped on first use. Two windows starting together agree on one key. */
export async function loadDataKey(protection: KeyProtection, name: string = KEY_DATABASE, policy: KeyPolicy = {}): Promise<Uint8Array> {
  const store = new Dexie(name);
  store.version(1).stores({ keys: 'id' });
  const keys = store.table<WrappedKey, 'data'>('keys');
  const report = (wrapped: WrappedKey, raw: Uint8Array) => {
    policy.protectedBy?.(wrapped.by === 'platform' ? 'keychain' : 'browser');
    policy.kept?.(journalForm(wrapped, raw));
    return raw;
  };
  try {
    const held = await keys.get('data');
    if (held?.by === 'device' && policy.requireKeychain) {
      const raw = new Uint8Array(await unwrap(held, protection));
      const rewrapped = await keychainWrap(raw, protection);
      await keys.put(rewrapped);
      return report(rewrapped, raw);
    }
    if (held) return report(held, await unwrap(held, protection));
    const recovered = await recover(policy.recovered, protection);
    const raw = recovered ?? crypto.getRandomValues(new Uint8Array(DATA_KEY_BYTES));
    const wrapped =
      recovered && policy.recovered?.by === 'keychain'
        ? { id: 'data' as const, by: 'platform' as const, sealed: policy.recovered.sealed }
        : policy.requireKeychain
          ? await keychainWrap(raw, protection)
          : await wrap(raw, protection);
    const kept = await store.transaction('rw', keys, async () => (await keys.get('data')) ?? (await keys.add(wrapped), wrapped));
    return report(kept, kept === wrapped ? raw : await unwrap(kept, protection));
  } finally {
    store.close();
  }
}
