// The officer's acknowledgements of alerts, in an IndexedDB database of their own beside the terminal's, until
// each is folded into its alert (alert-center.ts).
//
// Chromium commits the read-write transactions of one database one after another, whatever tables they take: in
// the alert bench (200 hits), a put into a table of the terminal's database that nothing else writes waited
// 31.9 ms at the median (p99 140 ms) behind the answer batches being stored, and the same put into a database of
// its own 2.0 ms (p99 10 ms). An acknowledgement is the officer's answer to an alarm, and it is stored here, where
// nothing else writes. No CJI: the alert's id, its query's id, its rank and severity and the time of the key.
//
// Plain IndexedDB, no Dexie: the intake's worker, which commits acknowledgements, opens this database too. Both
// open it through `openAcknowledgements`, so whichever comes first creates its table.
import type { AcknowledgementRecord } from '../db/database.ts';
import { HeldConnections } from '../db/held-connections.ts';

const STORE = 'acknowledgements';
const VERSION = 1;

/** The name of the acknowledgements' database that goes with the terminal's database `terminal`. */
export const acknowledgementsDatabase = (terminal: string): string => `${terminal}-acknowledgements`;

/** Opens (and at first creates) the acknowledgements' database `name`. */
export async function openAcknowledgements(name: string, version = VERSION): Promise<IDBDatabase> {
  const idb = await new Promise<IDBDatabase>((resolve, reject) => {
    const request = indexedDB.open(name, version);
    request.onupgradeneeded = () => {
      if (!request.result.objectStoreNames.contains(STORE)) request.result.createObjectStore(STORE, { keyPath: 'id' });
    };
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error ?? new Error(`The database ${name} could not be opened`));
    request.onblocked = () => reject(new Error(`The database ${name} is held open at an older version`));
  });
  if (idb.objectStoreNames.contains(STORE)) return idb;
  // Made without its table (opened by something that did not know it): upgraded once more to add it.
  idb.close();
  return openAcknowledgements(name, idb.version + 1);
}

/** Runs `work` in a transaction on the acknowledgements, committed as soon as it has made its requests. */
function run<T>(idb: IDBDatabase, mode: IDBTransactionMode, work: (store: IDBObjectStore) => () => T, durability?: IDBTransactionDurability): Promise<{ result: T; committedAt: number }> {
  return new Promise((resolve, reject) => {
    const tx = idb.transaction(STORE, mode, durability ? { durability } : undefined);
    const result = work(tx.objectStore(STORE));
    // Committed now, not once this thread has heard the results: a busy page would hold the table meanwhile.
    tx.commit();
    // The moment it is stored, on the clock every page and worker of this browser shares.
    tx.oncomplete = () => resolve({ result: result(), committedAt: performance.timeOrigin + performance.now() });
    tx.onabort = () => reject(tx.error ?? new Error('The acknowledgements could not be written'));
  });
}

/** Stores `row` (replacing an earlier acknowledgement of the same alert); resolves with the epoch time it committed at. */
export async function putAcknowledgement(idb: IDBDatabase, row: AcknowledgementRecord, durability: IDBTransactionDurability): Promise<number> {
  const put = (store: IDBObjectStore) => {
    store.put(row);
    return () => undefined;
  };
  return (await run(idb, 'readwrite', put, durability)).committedAt;
}

/** The acknowledgements of the alerts `ids`, undefined where there is none. */
export async function acknowledgementsOf(idb: IDBDatabase, ids: readonly string[]): Promise<(AcknowledgementRecord | undefined)[]> {
  if (ids.length === 0) return [];
  const { result } = await run(idb, 'readonly', (store) => {
    const requests = ids.map((id) => store.get(id) as IDBRequest<AcknowledgementRecord | undefined>);
    return () => requests.map((request) => request.result);
  });
  return result;
}

/** Every acknowledgement stored. */
export async function allAcknowledgements(idb: IDBDatabase): Promise<AcknowledgementRecord[]> {
  const { result } = await run(idb, 'readonly', (store) => {
    const request = store.getAll() as IDBRequest<AcknowledgementRecord[]>;
    return () => request.result;
  });
  return result;
}

/**
 * Lets go of the acknowledgements in `folded`, each only if it is still the one folded: an alert raised and
 * acknowledged again meanwhile has a newer acknowledgement here, which stays to be folded in turn.
 */
export async function forgetAcknowledgements(idb: IDBDatabase, folded: readonly AcknowledgementRecord[]): Promise<void> {
  if (folded.length === 0) return;
  await new Promise<void>((resolve, reject) => {
    const tx = idb.transaction(STORE, 'readwrite');
    const store = tx.objectStore(STORE);
    for (const row of folded) {
      const request = store.get(row.id) as IDBRequest<AcknowledgementRecord | undefined>;
      request.onsuccess = () => {
        const held = request.result;
        if (held && held.at === row.at && held.rank === row.rank) store.delete(row.id);
      };
    }
    tx.oncomplete = () => resolve();
    tx.onabort = () => reject(tx.error ?? new Error('The acknowledgements could not be let go'));
  });
}

/** Erases every acknowledgement (end of shift). */
export async function clearAcknowledgements(idb: IDBDatabase): Promise<void> {
  await run(idb, 'readwrite', (store) => {
    store.clear();
    return () => undefined;
  });
}

// The page's own connection to each terminal database's acknowledgements, opened on first use.
const connections = new HeldConnections();

/** The page's connection to the acknowledgements that go with the terminal's database `terminal`. */
export function acknowledgementsFor(terminal: string): Promise<IDBDatabase> {
  return connections.get(acknowledgementsDatabase(terminal), openAcknowledgements);
}
