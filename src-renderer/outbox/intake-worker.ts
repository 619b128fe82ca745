// The intake's writer, in a worker of its own: a query entered, sealed and stamped by the page, is committed
// here, off the page's main thread. On the main thread the request's result waits behind whatever runs
// there (a frame being drawn, a garbage collection): 10-20 ms on a busy two-core car computer. Here nothing
// else runs. The worker never holds the data key: what it is handed is sealed already.
import type { IntakeReply, IntakeRequest } from './intake-writer.ts';

const connections = new Map<string, Promise<IDBDatabase>>();

/** One connection per database, opened at whatever version the page made it; let go when the page upgrades it. */
function connect(name: string): Promise<IDBDatabase> {
  const held = connections.get(name);
  if (held) return held;
  const opening = new Promise<IDBDatabase>((resolve, reject) => {
    const request = indexedDB.open(name);
    request.onsuccess = () => {
      const db = request.result;
      const forget = () => {
        db.close();
        connections.delete(name);
      };
      db.onversionchange = forget;
      db.onclose = forget;
      resolve(db);
    };
    request.onerror = () => reject(request.error);
  });
  connections.set(name, opening);
  opening.catch(() => connections.delete(name));
  return opening;
}

async function write(request: IntakeRequest): Promise<number> {
  const db = await connect(request.database);
  const tx = db.transaction('intake', 'readwrite');
  tx.objectStore('intake').put(request.row);
  // Committed now, not when the put's result has come back here and the transaction been found idle:
  // that is a round trip between this thread and the browser's IndexedDB thread saved, about a millisecond.
  tx.commit();
  return new Promise((resolve, reject) => {
    // The moment the query is durable, on the clock every page of this browser shares.
    tx.oncomplete = () => resolve(performance.timeOrigin + performance.now());
    tx.onabort = () => reject(tx.error ?? new Error('The write was aborted'));
  });
}

self.onmessage = (event: MessageEvent<IntakeRequest>) => {
  const { n } = event.data;
  write(event.data).then(
    (committedAt): void => postMessage({ n, ok: true, committedAt } satisfies IntakeReply),
    (error: unknown): void => {
      const { name, message } = error instanceof Error || error instanceof DOMException ? error : new Error(String(error));
      postMessage({ n, ok: false, name, message } satisfies IntakeReply);
    },
  );
};
