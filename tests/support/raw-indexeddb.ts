// Every row of every store of one IndexedDB database, as IndexedDB itself holds them, bypassing Outrider's reader.
// Self-contained on purpose: the end-to-end tests hand this very function to page.evaluate, the unit tests call it.

export function rawDatabaseText(name: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(name);
    request.onerror = () => reject(request.error);
    request.onsuccess = () => {
      const idb = request.result;
      const stores = [...idb.objectStoreNames];
      const tx = idb.transaction(stores, 'readonly');
      const rows: unknown[] = [];
      for (const store of stores) {
        const all = tx.objectStore(store).getAll();
        all.onsuccess = () => rows.push(...(all.result as unknown[]));
      }
      tx.oncomplete = () => {
        idb.close();
        // Bytes rendered as text too, so a plate inside an unsealed byte array would still be found.
        resolve(JSON.stringify(rows, (_key, value: unknown) => (value instanceof Uint8Array ? new TextDecoder().decode(value) : value)));
      };
    };
  });
}
