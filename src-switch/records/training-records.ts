// Training records that always exist, one for each kind of hit (documented in the README for drill instructors).
import type { QueryKind } from '../../src-shared/queries.ts';
import { type HeldRecord, record } from './held-records.ts';

type RecordIndex = Readonly<Record<string, readonly HeldRecord[]>>;

const civic = { LIC: '4TRN123', LIS: 'CA', LIY: '2027', VMA: 'HOND', VMO: 'CIV', VYR: '2016', VCO: 'BLK' };
// A stolen pickup, run by its VIN or its plate: the VIN check digit (X) is valid.
const pickup = { LIC: '4TRN789', LIS: 'CA', LIY: '2027', VIN: '1FTEW1E5XJFA78900', VMA: 'FORD', VMO: 'F15', VYR: '2018', VCO: 'WHI' };
const pickupRecords: readonly HeldRecord[] = [
  { source: 'DMV', record: record('registration', 'Registered owner TRAINING, OWNER; 2018 FORD F-150, white', pickup) },
  {
    source: 'SVS',
    record: record('stolen_vehicle', 'STOLEN VEHICLE: 2018 FORD F-150, white, stolen 2026-11-10', { ...pickup, ORI: 'CA0349400', OCA: 'TR-26-0003' }, [], 'V123450789'),
  },
];

export const TRAINING_PLATES: RecordIndex = {
  'CA:4TRN123': [
    { source: 'DMV', record: record('registration', 'Registered owner TRAINING, OWNER; 2016 HONDA CIVIC, black', civic) },
    {
      source: 'SVS',
      record: record('stolen_vehicle', 'STOLEN VEHICLE: 2016 HONDA CIVIC, black, stolen 2026-11-01', { ...civic, ORI: 'CA0349400', OCA: 'TR-26-0001' }, [], 'V123456789'),
    },
  ],
  'CA:4TRN000': [
    { source: 'DMV', record: record('registration', 'Registered owner TRAINING, CLEAN; 2019 TOYOTA CAMRY, silver', { LIC: '4TRN000', LIS: 'CA', LIY: '2027', VMA: 'TOYT', VMO: 'CAM', VYR: '2019', VCO: 'SIL' }) },
  ],
  // The plate alone was stolen: it is now on another car, so the registration and the car do not match.
  'CA:4TRN456': [
    { source: 'DMV', record: record('registration', 'Registered owner TRAINING, PLATE; 2012 FORD FOCUS, blue', { LIC: '4TRN456', LIS: 'CA', LIY: '2027', LIT: 'PC', VMA: 'FORD', VMO: 'FOC', VYR: '2012', VCO: 'BLU' }) },
    {
      source: 'SVS',
      record: record('stolen_plate', 'STOLEN PLATE: CA 4TRN456 (one plate), stolen 2026-10-20', { LIC: '4TRN456', LIS: 'CA', LIY: '2027', LIT: 'PC', ORI: 'CA0349400', OCA: 'TR-26-0002' }, [], 'L123456789'),
    },
  ],
  'CA:4TRN789': pickupRecords,
};

export const TRAINING_VINS: RecordIndex = {
  '1FTEW1E5XJFA78900': pickupRecords,
  '4T1B11HK4KU100000': [
    {
      source: 'DMV',
      record: record('registration', 'Registered owner TRAINING, CLEAN; 2019 TOYOTA CAMRY, silver', { LIC: '4TRN000', LIS: 'CA', VIN: '4T1B11HK4KU100000', VMA: 'TOYT', VMO: 'CAM', VYR: '2019', VCO: 'SIL' }),
    },
  ],
  // Before 1981 a VIN was shorter and had no check digit.
  '124379N500001': [
    { source: 'DMV', record: record('registration', 'Registered owner TRAINING, CLASSIC; 1969 CHEVROLET CAMARO, red', { VIN: '124379N500001', VMA: 'CHEV', VMO: 'CAM', VYR: '1969', VCO: 'RED' }) },
  ],
};

const armed: HeldRecord = {
  source: 'WPS',
  record: record(
    'wanted_person',
    'WANTED: felony warrant, assault with a deadly weapon. CAUTION: ARMED AND DANGEROUS',
    { NAM: 'TRAINING, ARMED', DOB: '1980-01-01', SEX: 'M', OFF: 'ASSAULT WITH DEADLY WEAPON', WAR: 'FELONY', ORI: 'CA0349400' },
    ['armed_and_dangerous'],
    'W987654321',
  ),
};

export const TRAINING_PEOPLE: RecordIndex = {
  'TRAINING, ARMED|1980-01-01|M': [armed],
  'TRAINING, CLEAN|1990-06-15|F': [],
  'TRAINING, VIOLENT|1985-04-04|M': [
    {
      source: 'WPS',
      record: record(
        'wanted_person',
        'WANTED: misdemeanor warrant, failure to appear. CAUTION: VIOLENT TENDENCIES',
        { NAM: 'TRAINING, VIOLENT', DOB: '1985-04-04', SEX: 'M', OFF: 'FAILURE TO APPEAR', WAR: 'MISDEMEANOR', ORI: 'CA0349400' },
        ['violent'],
        'W987654322',
      ),
    },
  ],
  'TRAINING, MISSING|2010-03-14|F': [
    {
      source: 'NCIC',
      record: record(
        'missing_person',
        'MISSING PERSON: juvenile, last seen 2026-11-15',
        { NAM: 'TRAINING, MISSING', DOB: '2010-03-14', SEX: 'F', MNP: 'JUVENILE', DLC: '2026-11-15', ORI: 'CA0349400', OCA: 'TR-26-0004' },
        [],
        'M123456789',
      ),
    },
  ],
  'TRAINING, ORDER|1975-09-30|M': [
    {
      source: 'NCIC',
      record: record(
        'protection_order',
        'PROTECTION ORDER: no contact with TRAINING, PROTECTED within 100 yards; expires 2027-06-30',
        { NAM: 'TRAINING, ORDER', DOB: '1975-09-30', SEX: 'M', PPN: 'TRAINING, PROTECTED', EXP: '2027-06-30', ORI: 'CA0349400', OCA: 'TR-26-0005' },
        [],
        'H123456789',
      ),
    },
  ],
};

/** Wanted-person checks by the licence handed over: the armed training person carries CA T0000001. */
export const TRAINING_PERSON_OLNS: RecordIndex = {
  'CA:T0000001': [armed],
  'CA:T0000002': [],
};

const suspended: HeldRecord = {
  source: 'DMV',
  record: record('driver_licence', 'DRIVER LICENCE SUSPENDED: TRAINING, ARMED, class C', { NAM: 'TRAINING, ARMED', DOB: '1980-01-01', SEX: 'M', OLN: 'T0000001', OLS: 'CA', STATUS: 'SUSPENDED', CLASS: 'C', EXP: '2028-01-01' }),
};
const valid: HeldRecord = {
  source: 'DMV',
  record: record('driver_licence', 'DRIVER LICENCE VALID: TRAINING, CLEAN, class C', { NAM: 'TRAINING, CLEAN', DOB: '1990-06-15', SEX: 'F', OLN: 'T0000002', OLS: 'CA', STATUS: 'VALID', CLASS: 'C', EXP: '2029-06-15' }),
};

export const TRAINING_LICENCES: RecordIndex = { 'CA:T0000001': [suspended], 'CA:T0000002': [valid] };
export const TRAINING_LICENCES_BY_NAME: RecordIndex = { 'TRAINING, ARMED|1980-01-01|M': [suspended], 'TRAINING, CLEAN|1990-06-15|F': [valid] };

export const TRAINING_GUNS: RecordIndex = {
  'TRN1911|COL': [
    {
      source: 'NCIC',
      record: record('stolen_gun', 'STOLEN GUN: COLT pistol, .45 calibre, model 1911, stolen 2026-09-12', { SER: 'TRN1911', MAK: 'COL', CAL: '45', MOD: '1911', TYP: 'PI', ORI: 'CA0349400', OCA: 'TR-26-0006' }, [], 'G123456789'),
    },
  ],
};

export const TRAINING_ARTICLES: RecordIndex = {
  'TRN5550001|OCOMPUT': [
    {
      source: 'NCIC',
      record: record('stolen_article', 'STOLEN ARTICLE: laptop computer, brand TRAINING, stolen 2026-11-02', { SER: 'TRN5550001', TYP: 'OCOMPUT', BRA: 'TRAINING', ORI: 'CA0349400', OCA: 'TR-26-0007' }, [], 'A123456789'),
    },
  ],
};

/** Every training index, by the query kind that reaches it; lookups try these before any generated record. */
export const TRAINING: Readonly<Record<QueryKind, RecordIndex>> = {
  plate: TRAINING_PLATES,
  vin: TRAINING_VINS,
  person: TRAINING_PEOPLE,
  person_oln: TRAINING_PERSON_OLNS,
  licence: TRAINING_LICENCES,
  licence_name: TRAINING_LICENCES_BY_NAME,
  gun: TRAINING_GUNS,
  article: TRAINING_ARTICLES,
};
