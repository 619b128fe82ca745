// NCIC codes in an answer or a query, each with its meaning from the shared code tables, so no officer has to remember them.
import {
  ARTICLE_TYPE_CODES,
  type CodeTable,
  describeCode,
  GUN_MAKE_CODES,
  PLATE_TYPE_CODES,
  RACE_CODES,
  SEX_CODES,
  STATE_CODES,
} from '../../src-shared/code-tables/index.ts';
import type { FoundRecord } from '../../src-shared/protocol.ts';
import type { Query } from '../../src-shared/queries.ts';

export interface CodedFact {
  /** The NCIC field, as it is on the record. */
  readonly field: string;
  readonly label: string;
  readonly value: string;
  /** What a coded value means, when a code table knows it. */
  readonly meaning?: string;
}

/** Record fields in the order an officer reads them, with their names; fields not listed follow under their own code. */
const FIELD_NAMES: Readonly<Record<string, string>> = {
  NAM: 'Name',
  DOB: 'Born',
  SEX: 'Sex',
  RAC: 'Race',
  LIC: 'Plate',
  LIS: 'State',
  LIY: 'Plate year',
  LIT: 'Plate type',
  VIN: 'VIN',
  VYR: 'Year',
  VMA: 'Make',
  VMO: 'Model',
  VCO: 'Colour',
  OLN: 'Licence',
  OLS: 'Licence state',
  SER: 'Serial',
  MAK: 'Make',
  CAL: 'Calibre',
  MOD: 'Model',
  TYP: 'Type',
  OFF: 'Offence',
  WAR: 'Warrant',
  ORI: 'Entering agency',
  OCA: 'Case number',
};

const TABLES: Readonly<Record<string, CodeTable>> = {
  LIS: STATE_CODES,
  OLS: STATE_CODES,
  LIT: PLATE_TYPE_CODES,
  SEX: SEX_CODES,
  RAC: RACE_CODES,
  MAK: GUN_MAKE_CODES,
  TYP: ARTICLE_TYPE_CODES,
};

const ORDER = Object.keys(FIELD_NAMES);
const rank = (field: string) => (ORDER.includes(field) ? ORDER.indexOf(field) : ORDER.length);

export function codedFact(field: string, value: string): CodedFact {
  const table = TABLES[field];
  const meaning = table ? describeCode(table, value) : undefined;
  const label = FIELD_NAMES[field] ?? field;
  return meaning === undefined ? { field, label, value } : { field, label, value, meaning };
}

/** A record's fields, most telling first, codes explained. */
export function recordFacts(record: FoundRecord): CodedFact[] {
  return Object.entries(record.fields)
    .sort(([a], [b]) => rank(a) - rank(b))
    .map(([field, value]) => codedFact(field, value));
}

/** The coded fields of what was asked (state, plate type, sex, race, make, type), explained. */
export function queryCodes(query: Query): CodedFact[] {
  return Object.entries(query)
    .filter((entry): entry is [string, string] => entry[0] !== 'kind' && typeof entry[1] === 'string')
    .map(([name, value]) => codedFact(name.toUpperCase(), value))
    .filter((fact) => fact.meaning !== undefined);
}
