// Code tables as data: the JSON files change with NCIC/NIEM releases, this file only types them.
import states from './states.json' with { type: 'json' };
import sex from './sex.json' with { type: 'json' };

export interface CodeTable {
  readonly codes: Readonly<Record<string, string>>;
}

export const STATE_CODES: CodeTable = states;
export const SEX_CODES: CodeTable = sex;

export function describeCode(table: CodeTable, code: string): string | undefined {
  return Object.hasOwn(table.codes, code) ? table.codes[code] : undefined;
}
