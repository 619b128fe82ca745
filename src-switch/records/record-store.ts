// Answers a query from what the switch holds: training records first, then the generated data set and the hotlist.
import type { Query } from '../../src-shared/queries.ts';
import type { RecordIndexes } from './data/dataset-records.ts';
import { olnKey, personKey, serialKey } from './data/dataset-records.ts';
import type { Hotlist } from './data/hotlist.ts';
import { plateKey } from './data/plates.ts';
import { type HeldRecord, syntheticPlate, syntheticStolenPlate } from './held-records.ts';
import { TRAINING } from './training-records.ts';

/** What a query matches on, as the record indexes and the training tables key it. */
export function lookupKey(query: Query): string {
  switch (query.kind) {
    case 'plate':
      return plateKey(query.lis, query.lic);
    case 'vin':
      return query.vin;
    case 'person':
    case 'licence_name':
      return personKey(query);
    case 'person_oln':
    case 'licence':
      return olnKey(query.ols, query.oln);
    case 'gun':
      return serialKey(query.ser, query.mak);
    case 'article':
      return serialKey(query.ser, query.typ);
  }
}

export class RecordStore {
  constructor(
    private readonly indexes: RecordIndexes,
    /** The list of stolen plates: a stolen vehicle or plate record is live while, and only while, its plate is on it. */
    private readonly hotlist: Hotlist | undefined,
    private readonly homeState: string,
  ) {}

  lookup(query: Query): readonly HeldRecord[] {
    const key = lookupKey(query);
    const training = TRAINING[query.kind];
    // Training records answer the same whatever the data set or the hotlist say: instructors rely on them.
    if (Object.hasOwn(training, key)) return training[key]!;
    const held = this.indexes[query.kind].get(key) ?? [];
    const live = held.filter((h) => h.hotlistKey === undefined || this.#onHotlist(h.hotlistKey));
    if (query.kind !== 'plate') return live;
    const answer = held.length > 0 ? live : syntheticPlate(query.lic, query.lis);
    // A plate a drill put on the hotlist (or one padding a large list) is stolen live too, so the two never disagree.
    const stolenOnFile = live.some((h) => h.hotlistKey !== undefined);
    return this.hotlist?.has(key) && !stolenOnFile ? [...answer, syntheticStolenPlate(query.lic, query.lis, this.homeState)] : answer;
  }

  #onHotlist(key: string): boolean {
    return this.hotlist === undefined || this.hotlist.has(key);
  }
}
