// Synthetic licence plates in each state's pattern, drawn from a seeded faker; shared by the data set and the hotlist.
import type { Faker } from '@faker-js/faker';
import { STATE_CODES } from '../../../src-shared/code-tables/index.ts';
import catalogue from './catalogue.json' with { type: 'json' };

/** Plates starting with this belong to the training records, so generated data never uses them. */
export const TRAINING_PLATE_PREFIX = '4TRN';

/** The hotlist and the record indexes key a plate as "LIS:LIC", like the training records. */
export const plateKey = (lis: string, lic: string) => `${lis}:${lic}`;

export interface PlateMaker {
  /** The next plate as "LIS:LIC" (not necessarily unseen: callers that need uniqueness keep a set). */
  next(): string;
}

/** A plate generator: `homeShare` of plates from `homeState`, the rest spread evenly over every other state. */
export function plateMaker(faker: Faker, homeState: string, homeShare: number): PlateMaker {
  const others = Object.keys(STATE_CODES.codes).filter((code) => code !== homeState);
  const formats: Readonly<Record<string, readonly string[] | undefined>> = { ...catalogue.plateFormats, _note: undefined };
  const formatsFor = (state: string) => formats[state] ?? formats.other!;
  return {
    next() {
      for (;;) {
        const lis = faker.number.float() < homeShare ? homeState : faker.helpers.arrayElement(others);
        const lic = faker.helpers.replaceSymbols(faker.helpers.arrayElement(formatsFor(lis)));
        if (!lic.startsWith(TRAINING_PLATE_PREFIX)) return plateKey(lis, lic);
      }
    },
  };
}
