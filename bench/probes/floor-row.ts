// The floor's database and row, shared by the baseline page and its floor worker: a row the size of an
// outbox entry, put in a read-write transaction of its own and left to commit itself, relaxed (Chromium's
// default: done once the write is handed to the OS) or strict (done once it is flushed to disk).

export function openFloor(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open('bench-floor', 1);
    request.onupgradeneeded = () => request.result.createObjectStore('queue', { keyPath: 'id' });
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

/** One put of the plate `lic` in its own read-write transaction of the given durability; resolves on 'complete'. */
export function putRow(db: IDBDatabase, lic: string, i: number, durability: IDBTransactionDurability = 'relaxed'): Promise<void> {
  const tx = db.transaction('queue', 'readwrite', { durability });
  tx.objectStore('queue').put({
    id: crypto.randomUUID(),
    query: { kind: 'plate', lic, lis: 'CA' },
    priority: 'routine',
    lane: 2,
    seq: Date.now() * 1000 + i,
    status: 'queued',
    attempts: 0,
    askedAt: new Date().toISOString(),
  });
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error ?? new Error('The floor put was aborted'));
  });
}
