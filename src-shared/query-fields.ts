// One schema per NCIC field, each refusing bad input with a message that names the field and the rule it breaks.
import { z } from 'zod';
import { ARTICLE_TYPE_CODES, type CodeTable, PLATE_TYPE_CODES, RACE_CODES, SEX_CODES, STATE_CODES } from './code-tables/index.ts';
import { hasValidCheckDigit, VIN_LENGTH } from './vin.ts';

/** Field labels as an officer reads them: the plain name, then the NCIC field code. */
export const FIELD_LABELS = {
  lic: 'Plate (LIC)',
  lis: 'State (LIS)',
  liy: 'Plate year (LIY)',
  lit: 'Plate type (LIT)',
  vin: 'VIN (VIN)',
  nam: 'Name (NAM)',
  dob: 'Date of birth (DOB)',
  sex: 'Sex (SEX)',
  rac: 'Race (RAC)',
  oln: 'Licence number (OLN)',
  ols: 'Licence state (OLS)',
  ser: 'Serial number (SER)',
  mak: 'Make (MAK)',
  cal: 'Calibre (CAL)',
  mod: 'Model (MOD)',
  typ: 'Article type (TYP)',
} as const;
export type FieldName = keyof typeof FIELD_LABELS;

/** Field lengths, each with where it comes from; "unverified" ones should be checked against the NCIC Operating Manual. */
export const FIELD_LIMITS = {
  /** NCIC LIC: 1-10 characters. */
  plate: 10,
  /** NCIC NAM: at most 30 characters, punctuation included. */
  name: 30,
  /** NCIC VIN: 17 characters for model year 1981 on (49 CFR 565); older VINs are shorter. */
  vin: VIN_LENGTH,
  /** NCIC OLN: at most 20 characters (unverified). */
  licenceNumber: 20,
  /** NCIC SER (gun and article files): at most 20 characters (unverified). */
  serial: 20,
  /** NCIC gun MAK: a make code of at most 4 letters (unverified; the code manual lists hundreds). */
  gunMake: 4,
  /** NCIC CAL: at most 4 characters (unverified). */
  calibre: 4,
  /** NCIC gun MOD: at most 20 characters (unverified). */
  gunModel: 20,
} as const;

const ALPHANUMERIC = /^[A-Z0-9]+$/;
// NCIC: a plate or serial number is never entered as NONE or UNK: it must be read from the plate or the item.
const PLACEHOLDERS = new Set(['NONE', 'UNK', 'UNKNOWN']);
const NAME_PATTERN = /^[A-Z][A-Z' -]*, [A-Z][A-Z' -]*$/;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
// NCIC LIY: the year the registration expires, or NX for a non-expiring plate.
const PLATE_YEAR = /^(?:(?:19|20)\d{2}|NX)$/;
const GUN_MAKE = new RegExp(`^[A-Z]{1,${FIELD_LIMITS.gunMake}}$`);
const CALIBRE = new RegExp(`^[A-Z0-9]{1,${FIELD_LIMITS.calibre}}$`);
const GUN_MODEL = /^[A-Z0-9][A-Z0-9 -]*$/;

const upper = (value: unknown) => (typeof value === 'string' ? value.trim().toUpperCase() : value);
const blankToAbsent = (value: unknown) => (value === null || (typeof value === 'string' && value.trim() === '') ? undefined : value);
const label = (field: FieldName) => FIELD_LABELS[field];

/** A text field: "is required" when empty or missing, "must be text" for anything that is not a string. */
function text(field: FieldName) {
  return z
    .string({
      error: (issue: { input: unknown }) =>
        issue.input === undefined || issue.input === '' ? `${label(field)} is required` : `${label(field)} must be text`,
    })
    .min(1, { error: `${label(field)} is required` });
}

/** An optional field: left empty in the form (or null in JSON) it is simply absent. */
export function optional<T extends z.ZodType>(schema: T) {
  return z.preprocess(blankToAbsent, schema.optional()).optional();
}

export function codeField(field: FieldName, table: CodeTable, rule: string) {
  return z.preprocess(
    upper,
    text(field).refine((code) => Object.hasOwn(table.codes, code), { error: `${label(field)} ${rule}` }),
  );
}

const codeList = (table: CodeTable) => Object.keys(table.codes).join(', ');

/** Letters and digits only (NCIC: spaces, hyphens and symbols are left out), with a length limit. */
function identifier(field: FieldName, max: number, placeholderRule?: string) {
  const base = text(field)
    .max(max, { error: `${label(field)} must be at most ${max} characters` })
    .regex(ALPHANUMERIC, { error: `${label(field)} must be letters and digits only, no spaces or hyphens` });
  if (placeholderRule === undefined) return z.preprocess(upper, base);
  return z.preprocess(upper, base.refine((value) => !PLACEHOLDERS.has(value), { error: `${label(field)} ${placeholderRule}` }));
}

export const plateNumber = z.preprocess(
  upper,
  text('lic')
    .max(FIELD_LIMITS.plate, { error: `${label('lic')} must be at most ${FIELD_LIMITS.plate} characters` })
    .regex(ALPHANUMERIC, { error: `${label('lic')} must be letters and digits only, no spaces or hyphens` })
    .refine((plate) => plate !== 'NONE' && plate !== 'UNK', { error: `${label('lic')} cannot be NONE or UNK: run the VIN instead` }),
);

export const stateCode = (field: 'lis' | 'ols') => codeField(field, STATE_CODES, 'must be a 2-letter NCIC state code, such as CA');

export const plateYear = z.preprocess(
  upper,
  text('liy').regex(PLATE_YEAR, { error: `${label('liy')} must be a 4-digit year of expiry (19xx or 20xx), or NX for a plate that never expires` }),
);

export const plateType = codeField('lit', PLATE_TYPE_CODES, 'must be a code from the plate type table, such as PC');

/** The first VIN rule broken, in the order an officer would fix them; undefined when the VIN is acceptable. */
export function vinProblem(vin: string): string | undefined {
  if (!ALPHANUMERIC.test(vin)) return `${label('vin')} must be letters and digits only, no spaces or hyphens`;
  if (/[IOQ]/.test(vin)) return `${label('vin')} never contains I, O or Q: read them as 1 and 0`;
  if (vin.length > FIELD_LIMITS.vin) return `${label('vin')} must be at most ${FIELD_LIMITS.vin} characters`;
  // Only a 17-character (1981 and later) VIN carries a check digit; shorter, older VINs are taken as read.
  if (vin.length === FIELD_LIMITS.vin && !hasValidCheckDigit(vin)) {
    return `${label('vin')} check digit does not match: re-read the VIN`;
  }
  return undefined;
}

export const vinNumber = z.preprocess(
  upper,
  text('vin').superRefine((vin, ctx) => {
    const problem = vinProblem(vin);
    if (problem !== undefined) ctx.addIssue({ code: 'custom', message: problem });
  }),
);

export const personName = z.preprocess(
  (value) => (typeof value === 'string' ? value.trim().toUpperCase().replace(/\s*,\s*/, ', ').replace(/\s+/g, ' ') : value),
  text('nam')
    .max(FIELD_LIMITS.name, { error: `${label('nam')} must be at most ${FIELD_LIMITS.name} characters` })
    .regex(NAME_PATTERN, { error: `${label('nam')} must read LAST, FIRST MIDDLE (letters only)` }),
);

/** A calendar date that exists (no 31 February) and is not after today (UTC). */
export function isRealPastDate(value: string, now: Date = new Date()): 'ok' | 'invalid' | 'future' {
  const match = ISO_DATE.exec(value);
  if (!match) return 'invalid';
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  if (year < 1900 || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return 'invalid';
  return date.getTime() > now.getTime() ? 'future' : 'ok';
}

export const dateOfBirth = z.preprocess(
  upper,
  text('dob').superRefine((value, ctx) => {
    const verdict = isRealPastDate(value);
    if (verdict === 'invalid') ctx.addIssue({ code: 'custom', message: `${label('dob')} must be a real date, YYYY-MM-DD` });
    if (verdict === 'future') ctx.addIssue({ code: 'custom', message: `${label('dob')} cannot be in the future` });
  }),
);

export const sexCode = codeField('sex', SEX_CODES, `must be one of ${codeList(SEX_CODES)}`);
export const raceCode = codeField('rac', RACE_CODES, `must be one of ${codeList(RACE_CODES)}`);

export const licenceNumber = identifier('oln', FIELD_LIMITS.licenceNumber);

export const serialNumber = identifier('ser', FIELD_LIMITS.serial, 'cannot be NONE or UNK: read the number from the item');

export const gunMake = z.preprocess(
  upper,
  text('mak').regex(GUN_MAKE, { error: `${label('mak')} must be the NCIC make code, 1 to ${FIELD_LIMITS.gunMake} letters (ZZZ when unknown)` }),
);

export const calibre = z.preprocess(
  upper,
  text('cal').regex(CALIBRE, { error: `${label('cal')} must be 1 to ${FIELD_LIMITS.calibre} letters and digits, such as 38` }),
);

export const gunModel = z.preprocess(
  (value) => (typeof value === 'string' ? value.trim().toUpperCase().replace(/\s+/g, ' ') : value),
  text('mod')
    .max(FIELD_LIMITS.gunModel, { error: `${label('mod')} must be at most ${FIELD_LIMITS.gunModel} characters` })
    .regex(GUN_MODEL, { error: `${label('mod')} must be letters, digits, spaces and hyphens only` }),
);

export const articleType = codeField('typ', ARTICLE_TYPE_CODES, 'must be a code from the article type table, such as OCOMPUT');
