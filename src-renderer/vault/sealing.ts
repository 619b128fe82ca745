// Seals one stored field with AES-GCM 256: a fresh 96-bit nonce per value, bound to its table, field and row.
import { gcm } from '@noble/ciphers/aes.js';
import { bytesToUtf8, utf8ToBytes } from '@noble/ciphers/utils.js';

/**
 * A field as it rests in IndexedDB: nothing of the value is readable without the data key. `$sealed: 2` is
 * bound to its row's key; `$sealed: 1` (schema 6 and before) only to table and field, and is re-sealed once.
 */
export interface Sealed {
  $sealed: 1 | 2;
  iv: Uint8Array;
  ct: Uint8Array;
}

/** A row's primary key as IndexedDB holds it: a string (UUIDs, setting names) or a number (seq, chunk ids). */
export type RowKey = string | number;

export const DATA_KEY_BYTES = 32;

export function isSealed(value: unknown): value is Sealed {
  const mark = typeof value === 'object' && value !== null ? (value as { $sealed?: unknown }).$sealed : undefined;
  return mark === 1 || mark === 2;
}

/** The additional data: a sealed value moved to another row, table or field does not open there. */
const aad = (table: string, field: string, row: RowKey) => utf8ToBytes(`outrider:${table}.${field}:${JSON.stringify(row)}`);

export function seal(key: Uint8Array, table: string, field: string, row: RowKey, value: unknown): Sealed {
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const ct = gcm(key, iv, aad(table, field, row)).encrypt(utf8ToBytes(JSON.stringify(value)));
  return { $sealed: 2, iv, ct };
}

/** Opens a sealed field of row `row`; a value tampered with, sealed under another key or moved from another row throws. */
export function open(key: Uint8Array, table: string, field: string, row: RowKey, sealed: Sealed): unknown {
  // An unbound value could have been copied from any row: only the one-time re-seal may read it.
  if (sealed.$sealed !== 2) throw new Error(`${table}.${field} of row ${JSON.stringify(row)} is sealed without its row: refused`);
  let plain: Uint8Array;
  try {
    plain = gcm(key, sealed.iv, aad(table, field, row)).decrypt(sealed.ct);
  } catch {
    throw new Error(`${table}.${field} of row ${JSON.stringify(row)} does not open: changed, moved from another row, or sealed under another key`);
  }
  return JSON.parse(bytesToUtf8(plain)) as unknown;
}

/** Opens a value sealed before values were bound to their row (`$sealed: 1`): for the one-time re-seal only. */
export function openUnbound(key: Uint8Array, table: string, field: string, sealed: Sealed): unknown {
  return JSON.parse(bytesToUtf8(gcm(key, sealed.iv, utf8ToBytes(`outrider:${table}.${field}`)).decrypt(sealed.ct))) as unknown;
}
