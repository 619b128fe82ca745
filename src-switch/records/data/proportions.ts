// How often each kind of record occurs in the synthetic population, and where each number comes from.

/**
 * Shares of the population (or of its vehicles) that carry each kind of record. ALL UNVERIFIED: they are
 * rounded orders of magnitude from public US figures, good enough for a drill to feel right, not statistics.
 * Change them here (or pass others to `generateDataset`) rather than in the generator.
 */
export interface Proportions {
  /** People aged 16 and over who hold a driver licence. FHWA Highway Statistics 2022: ~233 M drivers / ~270 M aged 16+. */
  licensedShare: number;
  /** Registered vehicles per person. FHWA 2022: ~283 M registered vehicles / ~333 M residents. */
  vehiclesPerPerson: number;
  /** Vehicles with an active stolen record. NICB 2023: ~1.0 M thefts a year of ~283 M vehicles (0.36 %), about half recovered within weeks. */
  stolenVehicleShare: number;
  /** Vehicles whose plate alone is reported stolen; assumed about a quarter as common as stolen vehicles. */
  stolenPlateShare: number;
  /** People with an active warrant. NCIC holds ~2 M wanted person records (~0.6 %), state-only warrants add to that. */
  warrantShare: number;
  /** Warrants that are felonies (the rest misdemeanours, which are mostly failures to appear). */
  felonyShare: number;
  /** Warrants that carry a caution flag (armed and dangerous, violent...). */
  cautionShare: number;
  /** People with an active missing person record. NCIC: ~94,000 active records at the end of 2022 / ~333 M. */
  missingShare: number;
  /** People restrained by an active protection order. NCIC Protection Order File: on the order of 1-2 M records. */
  protectionOrderShare: number;
  /** Stolen guns with an NCIC record, per person. Surveys estimate ~250,000-380,000 guns stolen a year. */
  stolenGunsPerPerson: number;
  /** Stolen serialised articles with an NCIC record, per person (no public figure found: a guess). */
  stolenArticlesPerPerson: number;
  /** Plates and licences issued by the agency's own state; the rest come from all other states. */
  homeStateShare: number;
}

export const REALISTIC_PROPORTIONS: Readonly<Proportions> = {
  licensedShare: 0.86,
  vehiclesPerPerson: 0.85,
  stolenVehicleShare: 0.002,
  stolenPlateShare: 0.0005,
  warrantShare: 0.01,
  felonyShare: 0.4,
  cautionShare: 0.08,
  missingShare: 0.0003,
  protectionOrderShare: 0.004,
  stolenGunsPerPerson: 0.003,
  stolenArticlesPerPerson: 0.003,
  homeStateShare: 0.9,
};
