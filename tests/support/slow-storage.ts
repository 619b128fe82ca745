// Slow storage, as on a loaded car computer: a read-only transaction kept open on one store by a chain of
// reads, so every write to that store waits until it is released. Reads of the store are not held up.

export function holdReading(idb: IDBDatabase, store: string): { release(): Promise<void> } {
  const reader = idb.transaction(store, 'readonly');
  let reading = true;
  const readAgain = () => {
    if (reading) reader.objectStore(store).count().onsuccess = readAgain;
  };
  readAgain();
  const done = new Promise<void>((resolve) => (reader.oncomplete = () => resolve()));
  return {
    release() {
      reading = false;
      return done;
    },
  };
}
