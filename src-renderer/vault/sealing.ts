// Seals one stored field with AES-GCM 256: a fresh 96-bit nonce per value, bound to its table and field.
import { gcm } from '@noble/ciphers/aes.js';
import { bytesToUtf8, utf8ToBytes } from '@noble/ciphers/utils.js';

/** A field as it rests in IndexedDB: nothing of the value is readable without the data key. */
export interface Sealed {
  $sealed: 1;
  iv: Uint8Array;
  ct: Uint8Array;
}

export const DATA_KEY_BYTES = 32;

export function isSealed(value: unknown): value is Sealed {
  return typeof value === 'object' && value !== null && (value as { $sealed?: unknown }).$sealed === 1;
}

/** The additional data: a sealed value moved to another table or field does not open there. */
const aad = (table: string, field: string) => utf8ToBytes(`outrider:${table}.${field}`);

export function seal(key: Uint8Array, table: string, field: string, value: unknown): Sealed {
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const ct = gcm(key, iv, aad(table, field)).encrypt(utf8ToBytes(JSON.stringify(value)));
  return { $sealed: 1, iv, ct };
}

/** Opens a sealed field; a value tampered with, or sealed under another key, throws. */
export function open(key: Uint8Array, table: string, field: string, sealed: Sealed): unknown {
  return JSON.parse(bytesToUtf8(gcm(key, sealed.iv, aad(table, field)).decrypt(sealed.ct))) as unknown;
}
