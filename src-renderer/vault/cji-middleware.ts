// A Dexie middleware that seals CJI fields on the way into IndexedDB and opens them on the way out.
//
// The cipher is synchronous (AES-GCM from @noble/ciphers) on purpose: an IndexedDB transaction commits as
// soon as it has no request pending, so awaiting WebCrypto inside one would end it early. WebCrypto holds
// the key that protects this data key instead (see data-key.ts).
import { FIELD_CONFIG } from '../../src-shared/field-config.ts';
import type { DBCore, DBCoreCursor, DBCoreMutateRequest, DBCoreTable, Middleware } from 'dexie';
import { isSealed, open, openUnbound, type RowKey, type Sealed, seal } from './sealing.ts';

/** Fields that hold CJI, by table. Indexed fields are never among them: indexes hold no CJI. */
export const SEALED_FIELDS: Readonly<Record<string, readonly string[]>> = {
  // Where the car was (`where`) says where an officer ran whom: CJI like the query itself.
  outbox: ['query', 'where'],
  intake: ['query', 'enqueued', 'where'],
  answers: ['parts'],
  alerts: ['title', 'subject', 'detail', 'cautions', 'sources'],
  audit: ['subject', 'outcome', 'hash', 'where'],
  bolos: ['title', 'text', 'lic', 'lis', 'cautions'],
  confirmations: ['answer'],
  hotlist: ['plates', 'removed'],
  officers: ['session', 'verifier', 'holdKey', 'unlockFailures'],
};

/** Each sealed table's primary key path: a sealed value is bound to its row's key (database.ts holds the same schema). */
export const ROW_KEYS: Readonly<Record<string, string>> = {
  outbox: 'id',
  intake: 'id',
  answers: 'queryId',
  alerts: 'id',
  audit: 'seq',
  bolos: 'id',
  confirmations: 'id',
  hotlist: 'id',
  officers: 'id',
};

function rowKeyOf(table: string, row: Record<string, unknown>): RowKey {
  const key = row[ROW_KEYS[table] ?? ''];
  if (typeof key !== 'string' && typeof key !== 'number') throw new Error(`A ${table} row cannot be sealed before its key is known`);
  return key;
}

/** The data key, once loaded. Until then (a schema upgrade runs first) writes pass through and are sealed later. */
export interface KeyHolder {
  key: Uint8Array | undefined;
}

/** `row` with its CJI fields (by SEALED_FIELDS) sealed under `key`, as the middleware writes it: for writers outside Dexie. */
export function sealFields<T>(key: Uint8Array, table: string, row: T): T {
  return sealRow({ key }, table, SEALED_FIELDS[table] ?? [], row) as T;
}

/**
 * The sealed form of each value object opened or sealed lately, for its table, field, row and key. A row written
 * back unchanged (a query marked sending, then delivered, then answered) stores the ciphertext it already has:
 * the same bytes under the same nonce, not a second encryption, and no AES-GCM run for each state of a query.
 * Values are never changed in place once read or written (the opened-value cache below hands the same object
 * to every reader already); a new value is a new object and is sealed afresh.
 */
const sealedForms = new WeakMap<object, { key: Uint8Array; place: string; sealed: Sealed }>();

const placeOf = (table: string, field: string, row: RowKey) => `${table}.${field}:${JSON.stringify(row)}`;

function remember(value: unknown, key: Uint8Array, place: string, sealed: Sealed): void {
  if (typeof value === 'object' && value !== null) sealedForms.set(value, { key, place, sealed });
}

function sealField(key: Uint8Array, table: string, field: string, row: RowKey, value: unknown): Sealed {
  const place = placeOf(table, field, row);
  const known = typeof value === 'object' && value !== null ? sealedForms.get(value) : undefined;
  if (known && known.key === key && known.place === place) return known.sealed;
  const sealed = seal(key, table, field, row, value);
  remember(value, key, place, sealed);
  return sealed;
}

function sealRow(holder: KeyHolder, table: string, fields: readonly string[], row: unknown): unknown {
  const key = holder.key;
  if (!key || typeof row !== 'object' || row === null) return row;
  const copy: Record<string, unknown> = { ...(row as Record<string, unknown>) };
  const fieldsToSeal = fields.filter((field) => copy[field] !== undefined && !isSealed(copy[field]));
  if (fieldsToSeal.length === 0) return copy;
  const rowKey = rowKeyOf(table, copy);
  for (const field of fieldsToSeal) copy[field] = sealField(key, table, field, rowKey, copy[field]);
  return copy;
}

/**
 * Values opened recently, by row and nonce. Live queries read the same recent rows after every write; opening
 * each again would cost more than the write. A nonce is random and used once, so with the row it names one
 * sealed value; a value tampered with under a known nonce gets the original back, never forged text, and a
 * value moved to another row misses the cache and fails to open there. Bounded by FIELD_CONFIG.openedValuesKept.
 */
const opened = new Map<string, unknown>();

/** Drops every value opened so far: at the end of a shift, what was erased from storage goes from memory too. */
export function forgetOpenedValues(): void {
  opened.clear();
}

/** How many opened values are kept in memory now (for tests of the end of a shift). */
export function openedValueCount(): number {
  return opened.size;
}

function openCached(key: Uint8Array, table: string, field: string, row: RowKey, sealed: Sealed): unknown {
  const place = placeOf(table, field, row);
  const id = `${place}:${sealed.iv.join(',')}:${sealed.ct.length}`;
  if (opened.has(id)) return opened.get(id);
  const value = open(key, table, field, row, sealed);
  remember(value, key, place, sealed);
  opened.set(id, value);
  if (opened.size > FIELD_CONFIG.openedValuesKept) opened.delete(opened.keys().next().value!);
  return value;
}

function openRow(holder: KeyHolder, table: string, fields: readonly string[], row: unknown): unknown {
  if (typeof row !== 'object' || row === null) return row;
  let copy: Record<string, unknown> | undefined;
  for (const field of fields) {
    const value = (row as Record<string, unknown>)[field];
    if (!isSealed(value)) continue;
    if (!holder.key) throw new Error('The terminal data key is not loaded; stored queries cannot be read yet');
    copy ??= { ...(row as Record<string, unknown>) };
    const rowKey = rowKeyOf(table, copy);
    // The hotlist's chunks are large and read once at start: not worth keeping twice.
    copy[field] = table === 'hotlist' ? open(holder.key, table, field, rowKey, value) : openCached(holder.key, table, field, rowKey, value);
  }
  return copy ?? row;
}

/** True when a CJI field of the row is in plain text (written before the key was loaded) or sealed without its row. */
export function needsSealing(table: string, row: unknown): boolean {
  const fields = SEALED_FIELDS[table] ?? [];
  if (typeof row !== 'object' || row === null) return false;
  return fields.some((field) => {
    const value = (row as Record<string, unknown>)[field];
    return value !== undefined && (!isSealed(value) || value.$sealed !== 2);
  });
}

/** `row` with every CJI field plain or sealed without its row sealed again, bound to the row. */
function resealRow(key: Uint8Array, table: string, row: Record<string, unknown>): Record<string, unknown> {
  const copy = { ...row };
  for (const field of SEALED_FIELDS[table] ?? []) {
    const value = copy[field];
    if (!isSealed(value) || value.$sealed !== 1) continue;
    // A value that does not open (tampered with) stays as it is: it is refused when read, not at every start.
    try {
      copy[field] = openUnbound(key, table, field, value);
    } catch {
      continue;
    }
  }
  return sealRow({ key }, table, SEALED_FIELDS[table] ?? [], copy) as Record<string, unknown>;
}

function sealedTable(holder: KeyHolder, table: DBCoreTable, fields: readonly string[]): DBCoreTable {
  const openOne = (row: unknown) => openRow(holder, table.name, fields, row);
  // A delegate, not Object.create(cursor): Dexie's cursor is the native IDBCursor, whose getters refuse any other `this`.
  const wrapCursor = (cursor: DBCoreCursor): DBCoreCursor => {
    let openedFor: unknown;
    let opened: unknown;
    const wrapped: DBCoreCursor = {
      get trans() {
        return cursor.trans;
      },
      get key() {
        return cursor.key as unknown;
      },
      get primaryKey() {
        return cursor.primaryKey as unknown;
      },
      get done() {
        return cursor.done;
      },
      get value() {
        // Opened once per position, however often the caller reads it.
        if (cursor.value !== openedFor) {
          openedFor = cursor.value;
          opened = openOne(cursor.value);
        }
        return opened;
      },
      continue: (key?: unknown) => cursor.continue(key),
      continuePrimaryKey: (key: unknown, primaryKey: unknown) => cursor.continuePrimaryKey(key, primaryKey),
      advance: (count: number) => cursor.advance(count),
      start: (onNext: () => void) => cursor.start(onNext),
      stop: (value?: unknown) => cursor.stop(value),
      next: () => cursor.next().then(() => wrapped),
      fail: (error: Error) => cursor.fail(error),
    };
    return wrapped;
  };
  return {
    ...table,
    mutate(req: DBCoreMutateRequest) {
      if (req.type !== 'add' && req.type !== 'put') return table.mutate(req);
      return table.mutate({ ...req, values: req.values.map((row) => sealRow(holder, table.name, fields, row)) } as DBCoreMutateRequest);
    },
    get: (req) => table.get(req).then(openOne),
    getMany: (req) => table.getMany(req).then((rows) => rows.map(openOne)),
    query: (req) => table.query(req).then((response) => (req.values ? { ...response, result: response.result.map(openOne) } : response)),
    openCursor: (req) => table.openCursor(req).then((cursor) => (cursor && req.values ? wrapCursor(cursor) : cursor)),
  };
}

export function cjiMiddleware(holder: KeyHolder): Middleware<DBCore> {
  return {
    stack: 'dbcore',
    name: 'outrider-cji-sealing',
    create: (down) => ({
      ...down,
      table(name) {
        const table = down.table(name);
        const fields = SEALED_FIELDS[name];
        return fields ? sealedTable(holder, table, fields) : table;
      },
    }),
  };
}

/** The settings row that says which schema version's rows have all been sealed (a plain value: no CJI). */
const ROWS_SEALED_KEY = 'rowsSealedAtVersion';

/**
 * Seals rows written in plain text before the key was loaded (an upgrade from a version that did not
 * seal, or a schema upgrade's own writes), and re-seals values sealed before they were bound to their row
 * (schema 6 and before). Raw IndexedDB, one transaction: sealing is synchronous.
 *
 * It walks every row of every sealed table, so it runs once per schema version, not at every start: the
 * walk held a write lock on every table for seconds when a shift's answers were stored, and nothing the
 * terminal writes after the key is loaded is ever plain. Which version was swept is kept in settings,
 * written in the same transaction as the sealing, so an interrupted sweep runs again.
 */
export function sealStoredRows(idb: IDBDatabase, holder: KeyHolder): Promise<number> {
  const key = holder.key;
  const tables = Object.keys(SEALED_FIELDS).filter((name) => idb.objectStoreNames.contains(name));
  if (!key || tables.length === 0) return Promise.resolve(0);
  const marked = idb.objectStoreNames.contains('settings');
  return new Promise((resolve, reject) => {
    let sealed = 0;
    const tx = idb.transaction(marked ? [...tables, 'settings'] : tables, 'readwrite');
    const sweep = () => {
      for (const name of tables) {
        const request = tx.objectStore(name).openCursor();
        request.onsuccess = () => {
          const cursor = request.result;
          if (!cursor) return;
          if (needsSealing(name, cursor.value)) {
            cursor.update(resealRow(key, name, cursor.value as Record<string, unknown>));
            sealed++;
          }
          cursor.continue();
        };
      }
      if (marked) tx.objectStore('settings').put({ key: ROWS_SEALED_KEY, value: String(idb.version) });
    };
    if (marked) {
      const swept = tx.objectStore('settings').get(ROWS_SEALED_KEY);
      swept.onsuccess = () => {
        if ((swept.result as { value?: string } | undefined)?.value !== String(idb.version)) sweep();
      };
    } else sweep();
    tx.oncomplete = () => resolve(sealed);
    tx.onerror = () => reject(tx.error ?? new Error('Sealing stored rows failed'));
    tx.onabort = () => reject(tx.error ?? new Error('Sealing stored rows was aborted'));
  });
}
