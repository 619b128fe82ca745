// The deterministic synthetic record set: the same seed and size always give the same people, vehicles and hits.
import { base, en, Faker } from '@faker-js/faker';
import { ARTICLE_TYPE_CODES, GUN_MAKE_CODES, STATE_CODES } from '../../../src-shared/code-tables/index.ts';
import type { Caution } from '../../../src-shared/protocol.ts';
import { withCheckDigit } from '../../../src-shared/vin.ts';
import catalogueJson from './catalogue.json' with { type: 'json' };
import type { Dataset, DriverLicence, Entry, LicenceStatus, Person, Vehicle } from './dataset.ts';
import { plateMaker } from './plates.ts';
import { type Proportions, REALISTIC_PROPORTIONS } from './proportions.ts';

export interface DatasetOptions {
  /** The day the data describes (ISO date). Fixed by default so the data does not drift with the clock. */
  asOf?: string;
  /** The agency's state: most plates and licences come from it. */
  homeState?: string;
  proportions?: Partial<Proportions>;
}

export const DEFAULT_AS_OF = '2026-11-01';
const DAY_MS = 24 * 60 * 60 * 1000;
// VIN position 10 encodes the model year in a 30-year cycle from 1980 (49 CFR 565.15).
const YEAR_CODES = 'ABCDEFGHJKLMNPRSTVWXY123456789';
const VIN_ALPHABET = 'ABCDEFGHJKLMNPRSTUVWXYZ0123456789';
// Training OLNs are T0000001 and up; generated ones never start like that.
const TRAINING_OLN_PREFIX = 'T000';
// Assumed, unverified: the average US vehicle is about 12.6 years old (S&P Global Mobility, 2023), so ages 0-25 evenly.
const OLDEST_VEHICLE_AGE = 25;

type Weighted<T> = ReadonlyArray<readonly [T, number]>;

/** catalogue.json as the generator reads it (JSON imports type tuples as loose arrays). */
interface Catalogue {
  makes: ReadonlyArray<{ vma: string; name: string; wmi: string[]; weight: number; models: ReadonlyArray<readonly [string, string]> }>;
  colours: ReadonlyArray<readonly [string, string, number]>;
  plateTypes: Weighted<string>;
  races: Weighted<string>;
  offences: Record<'FELONY' | 'MISDEMEANOR', string[]>;
  cautions: Weighted<Caution>;
  missingCategories: Weighted<string>;
  licenceStatuses: Weighted<LicenceStatus>;
  gunTypes: ReadonlyArray<readonly [string, string, number]>;
  calibres: string[];
}
const catalogue = catalogueJson as unknown as Catalogue;
const isoDate = (date: Date) => date.toISOString().slice(0, 10);

/** Generates `size` people and everything that hangs off them, in the proportions given (REALISTIC_PROPORTIONS by default). */
export function generateDataset(seed: number, size: number, options: DatasetOptions = {}): Dataset {
  const asOf = options.asOf ?? DEFAULT_AS_OF;
  const homeState = options.homeState ?? 'CA';
  const share = { ...REALISTIC_PROPORTIONS, ...options.proportions };
  const faker = new Faker({ locale: [en, base] });
  faker.seed(seed);
  // faker's dates default to "now"; pinning the reference date is what makes a seed reproduce the same data.
  const refDate = new Date(`${asOf}T12:00:00Z`);
  faker.setDefaultRefDate(refDate);
  const draw = new Draw(faker, refDate, homeState, share.homeStateShare);

  const people = Array.from({ length: size }, () => draw.person(share.licensedShare));
  const vehicles = draw.vehicles(Math.round(size * share.vehiclesPerPerson), people.length);
  // Every kind of hit appears at least once, so even a small drill data set can show each one.
  const atLeastOne = (count: number) => Math.max(1, Math.round(count));
  const adults = people.flatMap((person, index) => (draw.age(person.dob) >= 18 ? [index] : []));

  const stolenCount = atLeastOne(vehicles.length * share.stolenVehicleShare);
  const plateOnlyCount = atLeastOne(vehicles.length * share.stolenPlateShare);
  const stolenVehicles = draw.distinct(vehicles.length, stolenCount + plateOnlyCount).map((vehicle, i) => ({
    ...draw.entry('V', vehicles[vehicle]!.lis),
    vehicle,
    plateOnly: i >= stolenCount,
    dot: draw.recentDate(180),
  }));

  const warrants = draw.pick(adults, atLeastOne(size * share.warrantShare)).map((person) => {
    const level = faker.number.float() < share.felonyShare ? ('FELONY' as const) : ('MISDEMEANOR' as const);
    return {
      ...draw.entry('W', homeState),
      person,
      level,
      offence: faker.helpers.arrayElement(catalogue.offences[level]),
      cautions: faker.number.float() < share.cautionShare ? [draw.weighted(catalogue.cautions)] : [],
      issued: draw.recentDate(3 * 365),
    };
  });

  const missingPersons = draw.distinct(people.length, atLeastOne(size * share.missingShare)).map((person) => {
    const juvenile = draw.age(people[person]!.dob) < 18;
    return {
      ...draw.entry('M', homeState),
      person,
      category: juvenile ? 'JUVENILE' : draw.weighted(catalogue.missingCategories),
      dlc: draw.recentDate(365),
      cautions: [] as Caution[],
    };
  });

  const protectionOrders = draw.pick(adults, atLeastOne(size * share.protectionOrderShare)).map((person) => ({
    ...draw.entry('H', homeState),
    person,
    protectedName: draw.name(faker.helpers.arrayElement(['female', 'male'] as const)),
    expires: isoDate(faker.date.soon({ days: 2 * 365 })),
  }));

  const stolenGuns = Array.from({ length: atLeastOne(size * share.stolenGunsPerPerson) }, () => ({
    ...draw.entry('G', homeState),
    ser: faker.helpers.replaceSymbols(faker.helpers.arrayElement(['??######', '#######', '???####'])),
    mak: faker.helpers.arrayElement(Object.keys(GUN_MAKE_CODES.codes).filter((code) => code !== 'ZZZ')),
    cal: faker.helpers.arrayElement(catalogue.calibres),
    mod: faker.helpers.replaceSymbols(faker.helpers.arrayElement(['?##', '??###', '###'])),
    typ: draw.weighted(catalogue.gunTypes.map(([code, , weight]) => [code, weight] as const)),
    dot: draw.recentDate(2 * 365),
  }));

  const stolenArticles = Array.from({ length: atLeastOne(size * share.stolenArticlesPerPerson) }, () => ({
    ...draw.entry('A', homeState),
    ser: faker.string.alphanumeric({ length: { min: 8, max: 12 }, casing: 'upper' }),
    typ: faker.helpers.arrayElement(Object.keys(ARTICLE_TYPE_CODES.codes)),
    brand: faker.company.name().toUpperCase().replace(/[^A-Z0-9 ]/g, '').replace(/\s+/g, ' ').slice(0, 20).trim(),
    dot: draw.recentDate(365),
  }));

  return { seed, size, asOf, homeState, people, vehicles, stolenVehicles, warrants, missingPersons, protectionOrders, stolenGuns, stolenArticles };
}

/** The drawing helpers, all from one seeded faker, so the order of calls is the whole of the determinism. */
class Draw {
  readonly #plates;
  readonly #usedPlates = new Set<string>();
  readonly #usedOlns = new Set<string>();
  readonly #usedVins = new Set<string>();
  readonly #otherStates: string[];

  constructor(
    private readonly faker: Faker,
    private readonly refDate: Date,
    private readonly homeState: string,
    private readonly homeShare: number,
  ) {
    this.#plates = plateMaker(faker, homeState, homeShare);
    this.#otherStates = Object.keys(STATE_CODES.codes).filter((code) => code !== homeState);
  }

  weighted<T>(pairs: Weighted<T>): T {
    return this.faker.helpers.weightedArrayElement(pairs.map(([value, weight]) => ({ value, weight })));
  }

  /** `count` different numbers below `limit` (all of them when count >= limit). */
  distinct(limit: number, count: number): number[] {
    const chosen = new Set<number>();
    while (chosen.size < Math.min(count, limit)) chosen.add(this.faker.number.int(limit - 1));
    return [...chosen];
  }

  pick(from: readonly number[], count: number): number[] {
    return this.distinct(from.length, count).map((i) => from[i]!);
  }

  age(dob: string): number {
    return Math.floor((this.refDate.getTime() - Date.parse(dob)) / (365.25 * DAY_MS));
  }

  recentDate(days: number): string {
    return isoDate(this.faker.date.recent({ days }));
  }

  /** Who entered the record: an ORI in the record's state, an NCIC number with the file's letter, a case number. */
  entry(file: string, state: string): Entry {
    return {
      nic: `${file}${this.faker.string.numeric(9)}`,
      ori: `${state}${this.faker.string.numeric(5)}00`,
      oca: `${this.refDate.getUTCFullYear() % 100}-${this.faker.string.numeric(6)}`,
    };
  }

  /** "LAST, FIRST MIDDLE" in NCIC form: letters, spaces, hyphens and apostrophes, at most 30 characters. */
  name(sex: 'female' | 'male' | undefined): string {
    const clean = (part: string) =>
      part.normalize('NFD').toUpperCase().replace(/[^A-Z' -]/g, '').replace(/\s+/g, ' ').replace(/^[^A-Z]+|[^A-Z]+$/g, '') || 'X';
    const last = clean(this.faker.person.lastName()).slice(0, 20).replace(/[^A-Z]+$/, '');
    const first = clean(this.faker.person.firstName(sex));
    const middle = clean(this.faker.person.middleName(sex));
    const full = `${last}, ${first} ${middle}`;
    return full.length <= 30 ? full : `${last}, ${first}`.slice(0, 30).replace(/[^A-Z]+$/, '');
  }

  person(licensedShare: number): Person {
    const sex = this.weighted([['M', 49.9], ['F', 49.9], ['X', 0.2]] as const);
    const nam = this.name(sex === 'F' ? 'female' : sex === 'M' ? 'male' : undefined);
    const dob = isoDate(this.faker.date.birthdate({ mode: 'age', min: 10, max: 90 }));
    const rac = this.weighted(catalogue.races);
    const licensed = this.age(dob) >= 16 && this.faker.number.float() < licensedShare;
    return licensed ? { nam, dob, sex, rac, licence: this.licence() } : { nam, dob, sex, rac };
  }

  /** The home state `homeShare` of the time, otherwise any other state. */
  state(): string {
    return this.faker.number.float() < this.homeShare ? this.homeState : this.faker.helpers.arrayElement(this.#otherStates);
  }

  licence(): DriverLicence {
    const ols = this.state();
    let oln: string;
    do oln = this.faker.helpers.replaceSymbols('?#######');
    while (oln.startsWith(TRAINING_OLN_PREFIX) || this.#usedOlns.has(`${ols}:${oln}`));
    this.#usedOlns.add(`${ols}:${oln}`);
    const status = this.weighted(catalogue.licenceStatuses);
    const expires = status === 'EXPIRED' ? this.recentDate(365) : isoDate(this.faker.date.soon({ days: 5 * 365 }));
    return { oln, ols, status, class: this.faker.number.float() < 0.03 ? 'A' : 'C', expires };
  }

  vehicles(count: number, owners: number): Vehicle[] {
    return Array.from({ length: count }, () => this.vehicle(owners));
  }

  vehicle(owners: number): Vehicle {
    let key: string;
    do key = this.#plates.next();
    while (this.#usedPlates.has(key));
    this.#usedPlates.add(key);
    const make = this.weighted(catalogue.makes.map((m) => [m, m.weight] as const));
    const [vmo] = this.faker.helpers.arrayElement(make.models);
    const year = this.refDate.getUTCFullYear() - this.faker.number.int(OLDEST_VEHICLE_AGE);
    const expired = this.faker.number.float() < 0.05;
    return {
      lic: key.slice(3),
      lis: key.slice(0, 2),
      liy: String(this.refDate.getUTCFullYear() + (expired ? -1 : this.faker.number.int(1))),
      lit: this.weighted(catalogue.plateTypes),
      vin: this.vin(this.faker.helpers.arrayElement(make.wmi), year),
      vyr: String(year),
      vma: make.vma,
      vmo: vmo!,
      vco: this.weighted(catalogue.colours.map(([code, , weight]) => [code, weight] as const)),
      owner: this.faker.number.int(owners - 1),
    };
  }

  /** A 17-character VIN: maker (WMI), vehicle attributes, check digit, model year, plant, serial. */
  vin(wmi: string, year: number): string {
    for (;;) {
      const vds = this.faker.string.fromCharacters(VIN_ALPHABET, 5);
      const plant = this.faker.string.fromCharacters(VIN_ALPHABET, 1);
      const vin = withCheckDigit(`${wmi}${vds}0${YEAR_CODES[(year - 1980) % 30]}${plant}${this.faker.string.numeric(6)}`);
      if (!this.#usedVins.has(vin)) {
        this.#usedVins.add(vin);
        return vin;
      }
    }
  }
}
