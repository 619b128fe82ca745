// Code tables as data: the JSON files change with NCIC/NIEM releases, this file only types them.
import type { Caution } from '../protocol.ts';
import articleTypes from './article-types.json' with { type: 'json' };
import cautions from './cautions.json' with { type: 'json' };
import gunMakes from './gun-makes.json' with { type: 'json' };
import plateTypes from './plate-types.json' with { type: 'json' };
import race from './race.json' with { type: 'json' };
import sex from './sex.json' with { type: 'json' };
import states from './states.json' with { type: 'json' };

export interface CodeTable {
  readonly codes: Readonly<Record<string, string>>;
  /** Codes not yet checked against an official source ("*": the whole table), so a reviewer knows what to confirm. */
  readonly _unverified?: readonly string[];
}

export const STATE_CODES: CodeTable = states;
export const SEX_CODES: CodeTable = sex;
export const RACE_CODES: CodeTable = race;
export const PLATE_TYPE_CODES: CodeTable = plateTypes;
export const ARTICLE_TYPE_CODES: CodeTable = articleTypes;
/** Part of a table of hundreds: used to describe a make, never to refuse one. */
export const GUN_MAKE_CODES: CodeTable = gunMakes;

/** The words for each caution code, as a hit's alert and a BOLO show them and the switch's records write them. */
export const CAUTION_TEXT: Readonly<Record<Caution, string>> = cautions.codes;

export function describeCode(table: CodeTable, code: string): string | undefined {
  return Object.hasOwn(table.codes, code) ? table.codes[code] : undefined;
}
