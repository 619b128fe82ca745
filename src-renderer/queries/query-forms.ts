// Every query kind's form as data: its function key, its fields in the order an officer types them, and what survives a run.
import {
  ARTICLE_TYPE_CODES,
  type CodeTable,
  GUN_MAKE_CODES,
  PLATE_TYPE_CODES,
  RACE_CODES,
  SEX_CODES,
  STATE_CODES,
} from '../../src-shared/code-tables/index.ts';
import type { FieldName, QueryKind } from '../../src-shared/queries.ts';

/** Code tables offered as the officer types (one <datalist> each); typing any code still works. */
export const CODE_LISTS = {
  'state-codes': STATE_CODES,
  'plate-type-codes': PLATE_TYPE_CODES,
  'race-codes': RACE_CODES,
  'gun-make-codes': GUN_MAKE_CODES,
  'article-type-codes': ARTICLE_TYPE_CODES,
} as const satisfies Record<string, CodeTable>;
export type CodeListId = keyof typeof CODE_LISTS;

export interface FieldSpec {
  readonly name: FieldName;
  /** The format, shown under the field until there is an error to show instead. */
  readonly hint: string;
  readonly optional?: boolean;
  readonly list?: CodeListId;
  /** Left filled after a run: the next query is most often in the same state. */
  readonly keep?: boolean;
}

export interface FormSpec {
  readonly kind: QueryKind;
  readonly key: string;
  /** What the officer calls it: "Run {noun}" on the button, capitalised on the tab. */
  readonly noun: string;
  readonly fields: readonly FieldSpec[];
}

// Sex is typed (M/F/X), never picked from a select: Enter must run the query from any field.
const sexHint = Object.entries(SEX_CODES.codes).map(([code, meaning]) => `${code} ${meaning.toLowerCase()}`).join(', ');
const raceHint = Object.keys(RACE_CODES.codes).join(', ');
const state = { hint: 'e.g. CA', list: 'state-codes', keep: true } as const;
const person: readonly FieldSpec[] = [
  { name: 'nam', hint: 'LAST, FIRST MIDDLE' },
  { name: 'dob', hint: 'YYYY-MM-DD' },
  { name: 'sex', hint: sexHint },
];
const serial: FieldSpec = { name: 'ser', hint: 'Letters and digits, as on the item' };
const oln: FieldSpec = { name: 'oln', hint: 'Letters and digits, as on the licence' };

/**
 * One form per kind, in function-key order. F2 and F3 stay plate and person, as officers already
 * know them; each one's alternative follows (F4 VIN, F5 person by licence), then licence status
 * (F6, F7), then property (F8 gun, F9 article).
 */
export const QUERY_FORMS: readonly FormSpec[] = [
  {
    kind: 'plate',
    key: 'F2',
    noun: 'plate',
    fields: [
      { name: 'lic', hint: 'Letters and digits, no spaces' },
      { name: 'lis', ...state },
      { name: 'liy', hint: 'Year it expires, or NX', optional: true },
      { name: 'lit', hint: 'e.g. PC', optional: true, list: 'plate-type-codes' },
    ],
  },
  { kind: 'person', key: 'F3', noun: 'person', fields: [...person, { name: 'rac', hint: raceHint, optional: true, list: 'race-codes' }] },
  { kind: 'vin', key: 'F4', noun: 'VIN', fields: [{ name: 'vin', hint: '17 characters from 1981; never I, O or Q' }] },
  { kind: 'person_oln', key: 'F5', noun: 'person by OLN', fields: [oln, { name: 'ols', ...state }] },
  { kind: 'licence', key: 'F6', noun: 'licence', fields: [oln, { name: 'ols', ...state }] },
  { kind: 'licence_name', key: 'F7', noun: 'licence by name', fields: person },
  {
    kind: 'gun',
    key: 'F8',
    noun: 'gun',
    fields: [
      serial,
      { name: 'mak', hint: 'Make code, e.g. COL; ZZZ if unknown', list: 'gun-make-codes' },
      { name: 'cal', hint: 'e.g. 38', optional: true },
      { name: 'mod', hint: 'e.g. 1911', optional: true },
    ],
  },
  { kind: 'article', key: 'F9', noun: 'article', fields: [serial, { name: 'typ', hint: 'e.g. OCOMPUT', list: 'article-type-codes' }] },
];

export function formFor(kind: QueryKind): FormSpec {
  return QUERY_FORMS.find((form) => form.kind === kind)!;
}

export function hintFor(field: FieldSpec): string {
  return field.optional ? `(optional) ${field.hint}` : field.hint;
}

/**
 * The fields to empty once a query is queued: every field not kept, but none at all if the officer
 * has already changed one of them while it was being queued (they are typing the next query).
 */
export function fieldsToClear(form: FormSpec, now: Readonly<Record<string, string>>, sent: Readonly<Record<string, string>>): FieldName[] {
  const cleared = form.fields.filter((field) => !field.keep).map((field) => field.name);
  return cleared.some((name) => now[name] !== sent[name]) ? [] : cleared;
}
