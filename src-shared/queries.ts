// Query schemas (NCIC/Nlets field rules): the one definition the form, the outbox and the switch all parse with.
import { z } from 'zod';
import { SEX_CODES, STATE_CODES } from './code-tables/index.ts';

/** Field labels as an officer reads them: the plain name, then the NCIC field code. */
export const FIELD_LABELS = {
  lic: 'Plate (LIC)',
  lis: 'State (LIS)',
  nam: 'Name (NAM)',
  dob: 'Date of birth (DOB)',
  sex: 'Sex (SEX)',
} as const;
export type FieldName = keyof typeof FIELD_LABELS;

// NCIC: LIC is 1-10 letters/digits, no spaces or hyphens, never partial, never NONE or UNK.
const PLATE_PATTERN = /^[A-Z0-9]{1,10}$/;
const FORBIDDEN_PLATES = new Set(['NONE', 'UNK']);
// NCIC NAM: "LAST, FIRST MIDDLE SUFFIX", at most 30 characters including punctuation.
const NAME_MAX = 30;
const NAME_PATTERN = /^[A-Z][A-Z' -]*, [A-Z][A-Z' -]*$/;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

const upper = (value: unknown) => (typeof value === 'string' ? value.trim().toUpperCase() : value);
const required = (field: FieldName) => ({
  error: (issue: { input: unknown }) =>
    issue.input === undefined || issue.input === '' ? `${FIELD_LABELS[field]} is required` : `${FIELD_LABELS[field]} must be text`,
});

function codeField(field: FieldName, codes: Readonly<Record<string, string>>, rule: string) {
  return z.preprocess(
    upper,
    z.string(required(field))
      .min(1, { error: `${FIELD_LABELS[field]} is required` })
      .refine((code) => Object.hasOwn(codes, code), { error: `${FIELD_LABELS[field]} ${rule}` }),
  );
}

const plateNumber = z.preprocess(
  upper,
  z.string(required('lic'))
    .min(1, { error: `${FIELD_LABELS.lic} is required` })
    .max(10, { error: `${FIELD_LABELS.lic} must be at most 10 characters` })
    .regex(PLATE_PATTERN, { error: `${FIELD_LABELS.lic} must be letters and digits only, no spaces or hyphens` })
    .refine((plate) => !FORBIDDEN_PLATES.has(plate), {
      error: `${FIELD_LABELS.lic} cannot be NONE or UNK: run the VIN instead`,
    }),
);

const personName = z.preprocess(
  (value) => (typeof value === 'string' ? value.trim().toUpperCase().replace(/\s*,\s*/, ', ').replace(/\s+/g, ' ') : value),
  z.string(required('nam'))
    .min(1, { error: `${FIELD_LABELS.nam} is required` })
    .max(NAME_MAX, { error: `${FIELD_LABELS.nam} must be at most ${NAME_MAX} characters` })
    .regex(NAME_PATTERN, { error: `${FIELD_LABELS.nam} must read LAST, FIRST MIDDLE (letters only)` }),
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

const dateOfBirth = z.preprocess(
  upper,
  z.string(required('dob'))
    .min(1, { error: `${FIELD_LABELS.dob} is required` })
    .superRefine((value, ctx) => {
      const verdict = isRealPastDate(value);
      if (verdict === 'invalid') ctx.addIssue({ code: 'custom', message: `${FIELD_LABELS.dob} must be a real date, YYYY-MM-DD` });
      if (verdict === 'future') ctx.addIssue({ code: 'custom', message: `${FIELD_LABELS.dob} cannot be in the future` });
    }),
);

export const PlateQuery = z.object({
  kind: z.literal('plate'),
  lic: plateNumber,
  lis: codeField('lis', STATE_CODES.codes, 'must be a 2-letter NCIC state code, such as CA'),
});

export const PersonQuery = z.object({
  kind: z.literal('person'),
  nam: personName,
  dob: dateOfBirth,
  sex: codeField('sex', SEX_CODES.codes, `must be one of ${Object.keys(SEX_CODES.codes).join(', ')}`),
});

export const Query = z.discriminatedUnion('kind', [PlateQuery, PersonQuery]);
export type PlateQuery = z.infer<typeof PlateQuery>;
export type PersonQuery = z.infer<typeof PersonQuery>;
export type Query = z.infer<typeof Query>;
export type QueryKind = Query['kind'];

export type FieldErrors = Partial<Record<FieldName | 'kind', string>>;
export type Validation = { ok: true; value: Query } | { ok: false; errors: FieldErrors };

/** Parses raw form input; on failure, one message per bad field, the first rule it breaks. */
export function validateQuery(input: unknown): Validation {
  const result = Query.safeParse(input);
  if (result.success) return { ok: true, value: result.data };
  const errors: FieldErrors = {};
  for (const issue of result.error.issues) {
    const field = (issue.path[0] ?? 'kind') as FieldName | 'kind';
    errors[field] ??= field === 'kind' ? 'Query kind must be plate or person' : issue.message;
  }
  return { ok: false, errors };
}

/** One line that names what was asked, for the results list and alerts (CJI: shown, never logged). */
export function describeQuery(query: Query): string {
  return query.kind === 'plate' ? `Plate ${query.lic} (${query.lis})` : `${query.nam}, DOB ${query.dob}, sex ${query.sex}`;
}
