// Query schemas (NCIC/Nlets field rules): the one definition the form, the outbox and the switch all parse with.
import { z } from 'zod';
import {
  articleType,
  calibre,
  dateOfBirth,
  type FieldName,
  gunMake,
  gunModel,
  licenceNumber,
  optional,
  personName,
  plateNumber,
  plateType,
  plateYear,
  raceCode,
  serialNumber,
  sexCode,
  stateCode,
  vinNumber,
} from './query-fields.ts';

export { FIELD_LABELS, FIELD_LIMITS, type FieldName, isRealPastDate } from './query-fields.ts';

/** Vehicle by plate (QV/RQ): LIC and LIS, optionally the expiry year and plate type to narrow the match. */
export const PlateQuery = z.object({
  kind: z.literal('plate'),
  lic: plateNumber,
  lis: stateCode('lis'),
  liy: optional(plateYear),
  lit: optional(plateType),
});

/** Vehicle by VIN (QV/RQ): the way to run a car with no plate, or a plate that does not match. */
export const VinQuery = z.object({
  kind: z.literal('vin'),
  vin: vinNumber,
});

/** Wanted person by name (QW): NAM, DOB and SEX, race optional. */
export const PersonQuery = z.object({
  kind: z.literal('person'),
  nam: personName,
  dob: dateOfBirth,
  sex: sexCode,
  rac: optional(raceCode),
});

/** Wanted person by the licence they hand over (QW with OLN + OLS). A kind of its own, so each kind has fixed fields. */
export const PersonByLicenceQuery = z.object({
  kind: z.literal('person_oln'),
  oln: licenceNumber,
  ols: stateCode('ols'),
});

/** Driver licence status by number (DQ with OLN + OLS). */
export const LicenceQuery = z.object({
  kind: z.literal('licence'),
  oln: licenceNumber,
  ols: stateCode('ols'),
});

/** Driver licence status by name (DQ with NAM + DOB + SEX), for a driver with no licence on them. */
export const LicenceByNameQuery = z.object({
  kind: z.literal('licence_name'),
  nam: personName,
  dob: dateOfBirth,
  sex: sexCode,
});

/** Gun (QG): SER and MAK, calibre and model optional. */
export const GunQuery = z.object({
  kind: z.literal('gun'),
  ser: serialNumber,
  mak: gunMake,
  cal: optional(calibre),
  mod: optional(gunModel),
});

/** Article (QA): SER and an article type code. */
export const ArticleQuery = z.object({
  kind: z.literal('article'),
  ser: serialNumber,
  typ: articleType,
});

export const Query = z.discriminatedUnion('kind', [
  PlateQuery,
  VinQuery,
  PersonQuery,
  PersonByLicenceQuery,
  LicenceQuery,
  LicenceByNameQuery,
  GunQuery,
  ArticleQuery,
]);
export type PlateQuery = z.infer<typeof PlateQuery>;
export type VinQuery = z.infer<typeof VinQuery>;
export type PersonQuery = z.infer<typeof PersonQuery>;
export type PersonByLicenceQuery = z.infer<typeof PersonByLicenceQuery>;
export type LicenceQuery = z.infer<typeof LicenceQuery>;
export type LicenceByNameQuery = z.infer<typeof LicenceByNameQuery>;
export type GunQuery = z.infer<typeof GunQuery>;
export type ArticleQuery = z.infer<typeof ArticleQuery>;
export type Query = z.infer<typeof Query>;
export type QueryKind = Query['kind'];

/** Every kind with the name an officer knows it by and its NCIC message key, in the order a form lists them. */
export const QUERY_KINDS = {
  plate: { label: 'Vehicle by plate', mke: 'QV' },
  vin: { label: 'Vehicle by VIN', mke: 'QV' },
  person: { label: 'Wanted person by name', mke: 'QW' },
  person_oln: { label: 'Wanted person by licence', mke: 'QW' },
  licence: { label: 'Driver licence by number', mke: 'DQ' },
  licence_name: { label: 'Driver licence by name', mke: 'DQ' },
  gun: { label: 'Gun', mke: 'QG' },
  article: { label: 'Article', mke: 'QA' },
} as const satisfies Record<QueryKind, { label: string; mke: string }>;

export type FieldErrors = Partial<Record<FieldName | 'kind', string>>;
export type Validation = { ok: true; value: Query } | { ok: false; errors: FieldErrors };

const KIND_MESSAGE = `Query kind must be one of ${Object.keys(QUERY_KINDS).join(', ')}`;

/** Parses raw form input; on failure, one message per bad field, the first rule it breaks. */
export function validateQuery(input: unknown): Validation {
  const result = Query.safeParse(input);
  if (result.success) {
    // An optional field left blank parses to undefined; drop it so stored and sent queries carry only what was asked.
    const value = Object.fromEntries(Object.entries(result.data).filter(([, field]) => field !== undefined)) as Query;
    return { ok: true, value };
  }
  const errors: FieldErrors = {};
  for (const issue of result.error.issues) {
    const field = (issue.path[0] ?? 'kind') as FieldName | 'kind';
    errors[field] ??= field === 'kind' ? KIND_MESSAGE : issue.message;
  }
  return { ok: false, errors };
}

const person = (q: { nam: string; dob: string; sex: string }) => `${q.nam}, DOB ${q.dob}, sex ${q.sex}`;
const extras = (...parts: Array<string | undefined>) => parts.filter((part) => part !== undefined).map((part) => `, ${part}`).join('');

/** One line that names what was asked, for the results list and alerts (CJI: shown, never logged). */
export function describeQuery(query: Query): string {
  switch (query.kind) {
    case 'plate':
      return query.liy === undefined && query.lit === undefined
        ? `Plate ${query.lic} (${query.lis})`
        : `Plate ${query.lic} (${query.lis}${extras(query.liy, query.lit && `type ${query.lit}`)})`;
    case 'vin':
      return `VIN ${query.vin}`;
    case 'person':
      return person(query) + extras(query.rac && `race ${query.rac}`);
    case 'person_oln':
      return `Person with licence ${query.oln} (${query.ols})`;
    case 'licence':
      return `Driver licence ${query.oln} (${query.ols})`;
    case 'licence_name':
      return `Driver licence of ${person(query)}`;
    case 'gun':
      return `Gun ${query.ser}, make ${query.mak}${extras(query.cal && `calibre ${query.cal}`, query.mod && `model ${query.mod}`)}`;
    case 'article':
      return `Article ${query.ser}, type ${query.typ}`;
  }
}
