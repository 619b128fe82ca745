// Tells a listener that a table changed, without reading it.
//
// A liveQuery re-runs its query after every commit it could be affected by: right for a view, wasteful for a
// worker that only needs to be woken and reads for itself. Each of those reads is a transaction, and a
// read-only transaction already open holds up the next read-write one on the same table, which is the
// officer's next query being queued. Dexie fires 'storagemutated' for this window's commits and relays other
// windows' (BroadcastChannel), naming the parts that changed as `idb://<database>/<table>/<index>`.
import { cmp, Dexie, type IndexableType, type ObservabilitySet, RangeSet } from 'dexie';

export function onTablesChanged(db: Pick<Dexie, 'name'>, tables: readonly string[], listener: () => void): () => void {
  const prefixes = tables.map((table) => `idb://${db.name}/${table}/`);
  const onMutation = (parts: ObservabilitySet) => {
    if (Object.keys(parts).some((part) => prefixes.some((prefix) => part.startsWith(prefix)))) listener();
  };
  Dexie.on('storagemutated', onMutation);
  return () => Dexie.on.storagemutated.unsubscribe(onMutation);
}

/** The keys (or index values) a commit changed, or 'all' where Dexie recorded a range: a clear, a bulk write of 50 or more. */
export type ChangedKeys = IndexableType[] | 'all';

/** The single keys in a part Dexie reported, or 'all' if it holds a range. A part relayed from another window is a plain tree. */
function keysIn(part: ObservabilitySet[string] | undefined): ChangedKeys {
  if (!part) return [];
  const keys: IndexableType[] = [];
  for (const node of RangeSet(part)) {
    if (cmp(node.from, node.to) !== 0) return 'all';
    keys.push(node.from);
  }
  return keys;
}

/**
 * Tells a listener which rows of a table a commit changed (their primary keys), and which values of `index` they
 * had or took, without reading: a view that keeps its rows can then read only those. The index values are the
 * new rows' and, where Dexie still held them, the old ones'; a row deleted may come with none.
 */
export function onRowsChanged(db: Pick<Dexie, 'name'>, table: string, index: string, listener: (keys: ChangedKeys, indexValues: ChangedKeys) => void): () => void {
  const prefix = `idb://${db.name}/${table}/`;
  const onMutation = (parts: ObservabilitySet) => {
    if (!(prefix in parts)) return;
    listener(keysIn(parts[prefix]), index ? keysIn(parts[prefix + index]) : []);
  };
  Dexie.on('storagemutated', onMutation);
  return () => Dexie.on.storagemutated.unsubscribe(onMutation);
}
