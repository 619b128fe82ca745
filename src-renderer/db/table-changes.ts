// Tells a listener that a table changed, without reading it.
//
// A liveQuery re-runs its query after every commit it could be affected by: right for a view, wasteful for a
// worker that only needs to be woken and reads for itself. Each of those reads is a transaction, and a
// read-only transaction already open holds up the next read-write one on the same table, which is the
// officer's next query being queued. Dexie fires 'storagemutated' for this window's commits and relays other
// windows' (BroadcastChannel), naming the parts that changed as `idb://<database>/<table>/<index>`.
import { Dexie, type IndexableType, type ObservabilitySet, RangeSet, rangesOverlap } from 'dexie';

export function onTablesChanged(db: Pick<Dexie, 'name'>, tables: readonly string[], listener: () => void): () => void {
  const prefixes = tables.map((table) => `idb://${db.name}/${table}/`);
  const onMutation = (parts: ObservabilitySet) => {
    if (Object.keys(parts).some((part) => prefixes.some((prefix) => part.startsWith(prefix)))) listener();
  };
  Dexie.on('storagemutated', onMutation);
  return () => Dexie.on.storagemutated.unsubscribe(onMutation);
}

/**
 * Tells a listener that a row was written with this value in this index (a query queued, or put back in the
 * queue), without reading. A row leaving the value is not reported: Dexie knows a put's new values, not the
 * old ones it replaced, and nobody waiting for queued rows needs to hear that one was taken.
 */
export function onIndexValueChanged(db: Pick<Dexie, 'name'>, table: string, index: string, value: IndexableType, listener: () => void): () => void {
  const part = `idb://${db.name}/${table}/${index}`;
  const wanted = new RangeSet(value);
  const onMutation = (parts: ObservabilitySet) => {
    const changed = parts[part];
    if (changed && rangesOverlap(changed, wanted)) listener();
  };
  Dexie.on('storagemutated', onMutation);
  return () => Dexie.on.storagemutated.unsubscribe(onMutation);
}
