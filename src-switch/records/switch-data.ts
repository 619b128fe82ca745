// Everything the switch answers from, built once from a seed: the data set, its hotlist and the record store.
import { indexDataset } from './data/dataset-records.ts';
import type { Dataset } from './data/dataset.ts';
import { type DatasetOptions, generateDataset } from './data/generate.ts';
import { generateHotlistPlates, Hotlist, type HotlistOptions } from './data/hotlist.ts';
import { PackedKeys } from './data/packed-keys.ts';
import { plateKey } from './data/plates.ts';
import { RecordStore } from './record-store.ts';
import { TRAINING_PLATES } from './training-records.ts';

export interface SwitchDataOptions extends DatasetOptions, HotlistOptions {
  /** Seed of the data set (and of the hotlist's padding). */
  seed?: number;
  /** People in the data set; vehicles and records follow from the proportions. */
  size?: number;
  /** Extra synthetic stolen plates on the hotlist beyond the data set's own (an ALPR list can hold a million). */
  hotlistExtra?: number;
}

export interface SwitchData {
  readonly dataset: Dataset;
  readonly hotlist: Hotlist;
  readonly store: RecordStore;
}

/** 10,000 people: about 8,500 vehicles and every kind of hit, built in well under a second. */
export const DEFAULT_DATA_SIZE = 10_000;
export const DEFAULT_DATA_SEED = 1;

/** Plates of training records that hold a stolen vehicle or stolen plate: always on the hotlist. */
export function trainingHotlistKeys(): string[] {
  return Object.entries(TRAINING_PLATES)
    .filter(([, held]) => held.some(({ record }) => record.type === 'stolen_vehicle' || record.type === 'stolen_plate'))
    .map(([key]) => key);
}

/** The stolen plates of a data set, the training ones, and `extra` synthetic ones (for a full-size ALPR list). */
export function hotlistKeys(dataset: Dataset, extra = 0, seed = dataset.seed): PackedKeys {
  const own = dataset.stolenVehicles.map(({ vehicle }) => plateKey(dataset.vehicles[vehicle]!.lis, dataset.vehicles[vehicle]!.lic));
  const keys = [...own, ...trainingHotlistKeys()];
  if (extra === 0) return PackedKeys.from(keys);
  const padding = generateHotlistPlates(seed + 1, extra, dataset.homeState);
  return padding.merge(new Set(), new Set(keys.filter((key) => padding.indexOf(key) < 0)));
}

export function createSwitchData(options: SwitchDataOptions = {}): SwitchData {
  const dataset = generateDataset(options.seed ?? DEFAULT_DATA_SEED, options.size ?? DEFAULT_DATA_SIZE, options);
  const hotlist = new Hotlist(hotlistKeys(dataset, options.hotlistExtra ?? 0), options);
  return { dataset, hotlist, store: new RecordStore(indexDataset(dataset), hotlist, dataset.homeState) };
}

let shared: SwitchData | undefined;

/** The default data, built on first use (not at import) and shared by every switch in the process. */
export function defaultSwitchData(): SwitchData {
  shared ??= createSwitchData();
  return shared;
}
