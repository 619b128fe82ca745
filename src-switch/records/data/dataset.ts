// The shape of the switch's synthetic record set: plain data, indexed by position, so it stays small and comparable.
import type { Caution } from '../../../src-shared/protocol.ts';

export type LicenceStatus = 'VALID' | 'SUSPENDED' | 'EXPIRED' | 'REVOKED';

export interface DriverLicence {
  readonly oln: string;
  readonly ols: string;
  readonly status: LicenceStatus;
  /** Licence class (C: ordinary car; A/B: commercial). */
  readonly class: string;
  readonly expires: string;
}

export interface Person {
  /** NCIC NAM: "LAST, FIRST MIDDLE", at most 30 characters. */
  readonly nam: string;
  readonly dob: string;
  readonly sex: string;
  readonly rac: string;
  readonly licence?: DriverLicence;
}

export interface Vehicle {
  readonly lic: string;
  readonly lis: string;
  readonly liy: string;
  readonly lit: string;
  /** 17 characters with a valid check digit. */
  readonly vin: string;
  readonly vyr: string;
  readonly vma: string;
  readonly vmo: string;
  readonly vco: string;
  /** Index into `people`. */
  readonly owner: number;
}

/** Who entered a record and under which case: what a hit confirmation (YQ) is sent to. */
export interface Entry {
  readonly nic: string;
  readonly ori: string;
  readonly oca: string;
}

export interface StolenVehicle extends Entry {
  readonly vehicle: number;
  /** Only the plate was stolen (a stolen plate record), not the vehicle it belongs to. */
  readonly plateOnly: boolean;
  /** Date of theft. */
  readonly dot: string;
}

export interface Warrant extends Entry {
  readonly person: number;
  readonly level: 'FELONY' | 'MISDEMEANOR';
  readonly offence: string;
  readonly cautions: readonly Caution[];
  readonly issued: string;
}

export interface MissingPerson extends Entry {
  readonly person: number;
  readonly category: string;
  /** Date of last contact. */
  readonly dlc: string;
  readonly cautions: readonly Caution[];
}

export interface ProtectionOrder extends Entry {
  /** The person the order restrains. */
  readonly person: number;
  readonly protectedName: string;
  readonly expires: string;
}

export interface StolenGun extends Entry {
  readonly ser: string;
  readonly mak: string;
  readonly cal: string;
  readonly mod: string;
  readonly typ: string;
  readonly dot: string;
}

export interface StolenArticle extends Entry {
  readonly ser: string;
  readonly typ: string;
  readonly brand: string;
  readonly dot: string;
}

export interface Dataset {
  readonly seed: number;
  /** How many people; every other count follows from the proportions. */
  readonly size: number;
  /** The day the data set describes; all its dates are on or before it. */
  readonly asOf: string;
  readonly homeState: string;
  readonly people: readonly Person[];
  readonly vehicles: readonly Vehicle[];
  readonly stolenVehicles: readonly StolenVehicle[];
  readonly warrants: readonly Warrant[];
  readonly missingPersons: readonly MissingPerson[];
  readonly protectionOrders: readonly ProtectionOrder[];
  readonly stolenGuns: readonly StolenGun[];
  readonly stolenArticles: readonly StolenArticle[];
}
