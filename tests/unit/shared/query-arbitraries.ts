// Generators for the property tests: valid values of every field in canonical form, and values that break one rule.
import fc from 'fast-check';
import { isDeepStrictEqual } from 'node:util';
import { ARTICLE_TYPE_CODES, PLATE_TYPE_CODES, RACE_CODES, SEX_CODES, STATE_CODES } from '../../../src-shared/code-tables/index.ts';
import { FIELD_LABELS, type FieldName, type QueryKind, validateQuery } from '../../../src-shared/queries.ts';
import { withCheckDigit } from '../../../src-shared/vin.ts';

/** The issue asks for at least 10,000 generated inputs at each validator. */
export const RUNS = { numRuns: 10_000 };
const DAY = 24 * 60 * 60 * 1000;
const codes = (table: { codes: Readonly<Record<string, string>> }) => Object.keys(table.codes);
const notIn = (table: { codes: Readonly<Record<string, string>> }) => (code: string) => !Object.hasOwn(table.codes, code);
const PLACEHOLDERS = ['NONE', 'UNK', 'UNKNOWN'];

// ---- valid values, in the canonical form the schemas return ----
// fc.string over an alphabet is several times cheaper than fc.stringMatching, and 30,000 runs a kind add up.
const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
const alnum = (min: number, max: number) => fc.string({ unit: fc.constantFrom(...ALNUM), minLength: min, maxLength: max });
const plate = alnum(1, 10).filter((p) => p !== 'NONE' && p !== 'UNK');
const state = fc.constantFrom(...codes(STATE_CODES));
const vinChar = fc.constantFrom(...'ABCDEFGHJKLMNPRSTUVWXYZ0123456789');
const vin17 = fc.array(vinChar, { minLength: 17, maxLength: 17 }).map((chars) => withCheckDigit(chars.join('')));
const vin = fc.oneof(vin17, fc.array(vinChar, { minLength: 1, maxLength: 16 }).map((chars) => chars.join('')));
const letters = (min: number, max: number) => fc.string({ unit: fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZ'), minLength: min, maxLength: max });
// A surname or given name as NCIC takes it: letters, perhaps joined by an apostrophe, hyphen or space (O'NEIL, SMITH-JONES, DE LA).
const namePart = fc.tuple(letters(1, 10), fc.constantFrom('', "'", '-', ' '), letters(1, 8)).map(([a, join, b]) => (join === '' ? a : `${a}${join}${b}`));
const name = fc.tuple(namePart, namePart).map(([last, first]) => `${last}, ${first}`).filter((n) => n.length <= 30);
export const pastDate = fc
  .date({ min: new Date('1900-01-01T00:00:00Z'), max: new Date(Date.now() - DAY), noInvalidDate: true })
  .map((d) => d.toISOString().slice(0, 10));
const serial = alnum(1, 20).filter((s) => !PLACEHOLDERS.includes(s));

/** Valid fields of every kind; optional ones may be absent. */
export const VALID: Record<QueryKind, Record<string, fc.Arbitrary<string | undefined>>> = {
  plate: {
    lic: plate,
    lis: state,
    liy: fc.option(fc.oneof(fc.integer({ min: 1900, max: 2099 }).map(String), fc.constant('NX')), { nil: undefined }),
    lit: fc.option(fc.constantFrom(...codes(PLATE_TYPE_CODES)), { nil: undefined }),
  },
  vin: { vin },
  person: { nam: name, dob: pastDate, sex: fc.constantFrom(...codes(SEX_CODES)), rac: fc.option(fc.constantFrom(...codes(RACE_CODES)), { nil: undefined }) },
  person_oln: { oln: alnum(1, 20), ols: state },
  licence: { oln: alnum(1, 20), ols: state },
  licence_name: { nam: name, dob: pastDate, sex: fc.constantFrom(...codes(SEX_CODES)) },
  gun: {
    ser: serial,
    mak: fc.stringMatching(/^[A-Z]{1,4}$/),
    cal: fc.option(fc.stringMatching(/^[A-Z0-9]{1,4}$/), { nil: undefined }),
    mod: fc.option(fc.stringMatching(/^[A-Z0-9][A-Z0-9-]{0,8}(?: [A-Z0-9-]{1,9})?$/), { nil: undefined }),
  },
  article: { ser: serial, typ: fc.constantFrom(...codes(ARTICLE_TYPE_CODES)) },
};

// ---- bad values for each field; each breaks exactly one rule of that field and no other field ----
// fc.object() would cost ~50 µs a value; a small dictionary is as good a non-string and ten times cheaper.
const notText = fc.oneof(fc.integer(), fc.boolean(), fc.array(fc.string({ maxLength: 4 }), { maxLength: 2 }), fc.dictionary(fc.string({ maxLength: 3 }), fc.nat(), { maxKeys: 2 }));
const missing = fc.constantFrom('', '   ', undefined);
const withSymbol = (valid: fc.Arbitrary<string>) =>
  fc.tuple(valid, fc.constantFrom(' ', '-', '.', '/', '#', '&', '*'), valid).map(([a, symbol, b]) => `${a}${symbol}${b}`);
const tooLong = (max: number) => alnum(max + 1, max + 10);
const badState = fc.oneof(fc.stringMatching(/^[A-Z]{2}$/).filter(notIn(STATE_CODES)), fc.stringMatching(/^[A-Z]{3,4}$/), fc.stringMatching(/^\d{2}$/));

const BAD: Record<FieldName, fc.Arbitrary<unknown>> = {
  lic: fc.oneof(missing, notText, withSymbol(fc.stringMatching(/^[A-Z0-9]{1,4}$/)), tooLong(10), fc.constantFrom('NONE', 'unk')),
  lis: fc.oneof(missing, notText, badState),
  ols: fc.oneof(missing, notText, badState),
  liy: fc.oneof(notText, fc.stringMatching(/^\d{1,3}$/), fc.integer({ min: 2100, max: 9999 }).map(String), fc.integer({ min: 1000, max: 1899 }).map(String), fc.constantFrom('NA', 'N X', '2O27')),
  lit: fc.oneof(notText, fc.stringMatching(/^[A-Z0-9]{1,3}$/).filter(notIn(PLATE_TYPE_CODES))),
  vin: fc.oneof(
    missing,
    notText,
    vin17.map((v) => `${v.slice(0, 8)}${v[8] === '0' ? '1' : '0'}${v.slice(9)}`).filter((v) => withCheckDigit(v) !== v),
    fc.tuple(vin, fc.constantFrom('I', 'O', 'Q')).map(([v, letter]) => `${letter}${v}`.slice(0, 17)),
    fc.array(vinChar, { minLength: 18, maxLength: 30 }).map((chars) => chars.join('')),
    withSymbol(fc.array(vinChar, { minLength: 1, maxLength: 8 }).map((chars) => chars.join(''))),
  ),
  nam: fc.oneof(missing, notText, fc.stringMatching(/^[A-Z]{1,20}$/), fc.constantFrom('SMITH, JOHN 3RD', 'SMITH,', ', JOHN'), fc.tuple(namePart, namePart).map(([a, b]) => `${a}${'X'.repeat(30)}, ${b}`)),
  dob: fc.oneof(
    missing,
    notText,
    fc.date({ min: new Date(Date.now() + 2 * DAY), max: new Date('2999-12-31T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10)),
    fc.constantFrom('1980-02-30', '1981-02-29', '1899-12-31', '01/01/1980', '1980-1-1', '19800101', '1980-13-01'),
  ),
  sex: fc.oneof(missing, notText, fc.stringMatching(/^[A-Z]{1,2}$/).filter(notIn(SEX_CODES))),
  rac: fc.oneof(notText, fc.stringMatching(/^[A-Z]{1,2}$/).filter(notIn(RACE_CODES))),
  oln: fc.oneof(missing, notText, tooLong(20), withSymbol(fc.stringMatching(/^[A-Z0-9]{1,8}$/))),
  ser: fc.oneof(missing, notText, tooLong(20), withSymbol(fc.stringMatching(/^[A-Z0-9]{1,8}$/)), fc.constantFrom(...PLACEHOLDERS, 'none')),
  mak: fc.oneof(missing, notText, fc.stringMatching(/^[A-Z]{5,8}$/), fc.stringMatching(/^[A-Z]{0,2}[0-9&.][A-Z]{0,1}$/)),
  cal: fc.oneof(notText, tooLong(4), fc.constantFrom('.38', '9 MM', '.357')),
  mod: fc.oneof(notText, fc.stringMatching(/^[A-Z0-9]{21,30}$/), fc.stringMatching(/^[A-Z0-9]{1,5}[./#&][A-Z0-9]{0,5}$/), fc.stringMatching(/^-[A-Z0-9]{1,5}$/)),
  typ: fc.oneof(missing, notText, fc.stringMatching(/^[A-Z]{1,7}$/).filter(notIn(ARTICLE_TYPE_CODES))),
};

/** How an officer might type a valid value: any case, stray spaces around it (three bits of `style` per field). */
const typed = (value: string | undefined, style: number) => {
  if (value === undefined) return undefined;
  const pad = ['', ' ', '  ', ''][style & 3]!;
  return `${pad}${style & 4 ? value.toLowerCase() : value}${pad}`;
};

const validInput = (kind: QueryKind) => {
  const names = Object.keys(VALID[kind]);
  return fc.tuple(fc.record(VALID[kind]), fc.nat()).map(([fields, style]) => ({
    fields,
    input: Object.fromEntries(names.map((name, i) => [name, typed(fields[name], style >>> (3 * i))])),
  }));
};

const canonical = (kind: QueryKind, fields: Record<string, string | undefined>) => ({
  kind,
  ...Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined)),
});

/** Cheap junk for a field: text in any script, numbers, null, nothing, a small array. */
const junk = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.string({ unit: 'grapheme', maxLength: 8 }),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constantFrom(null, undefined),
  fc.array(fc.nat(), { maxLength: 2 }),
);
export const namesOnlyRealFields = (result: ReturnType<typeof validateQuery>) =>
  result.ok || Object.keys(result.errors).every((field) => field === 'kind' || Object.hasOwn(FIELD_LABELS, field));

/**
 * One property per kind checks all three, so each run pays fast-check's bookkeeping once: 10,000 junk inputs never
 * throw, 10,000 valid inputs pass however they are typed, 10,000 with one bad field are refused naming that field.
 */
export function assertQueryKind(kind: QueryKind): void {
  const fields = Object.keys(VALID[kind]) as FieldName[];
  const garbage = fc.record(Object.fromEntries([...fields, 'extra'].map((field) => [field, junk])), { requiredKeys: [] });
  const bad = fc.oneof(...fields.map((field) => BAD[field].map((value) => ({ field, value }))));
  fc.assert(
    fc.property(garbage, validInput(kind), bad, (junkInput, { fields: valid, input }, { field, value }) => {
      if (!namesOnlyRealFields(validateQuery({ ...junkInput, kind }))) return false;
      const good = validateQuery({ kind, ...input });
      if (!good.ok || !isDeepStrictEqual(good.value, canonical(kind, valid))) return false;
      const result = validateQuery({ kind, ...input, [field]: value });
      if (result.ok) return false;
      const named = Object.keys(result.errors);
      return named.length === 1 && named[0] === field && result.errors[field]!.startsWith(`${FIELD_LABELS[field]} `);
    }),
    RUNS,
  );
}
