// IndexedDB connections kept open for reuse, one per database name, by whoever opens databases outside Dexie (the
// intake's worker, the acknowledgements' store).

/** Connections by database name, each opened on first use and let go when the database is upgraded or closed under it. */
export class HeldConnections {
  readonly #held = new Map<string, Promise<IDBDatabase>>();

  /** The connection to `name`, opened with `open` if none is held; a failed open is not kept, so the next call tries again. */
  get(name: string, open: (name: string) => Promise<IDBDatabase>): Promise<IDBDatabase> {
    const held = this.#held.get(name);
    if (held) return held;
    const opening = open(name).then((db) => {
      // Another connection's upgrade, or the browser closing it (the profile deleted): let go, reopen next time.
      const forget = () => {
        db.close();
        if (this.#held.get(name) === opening) this.#held.delete(name);
      };
      db.onversionchange = forget;
      db.onclose = forget;
      return db;
    });
    this.#held.set(name, opening);
    opening.catch(() => {
      if (this.#held.get(name) === opening) this.#held.delete(name);
    });
    return opening;
  }
}
