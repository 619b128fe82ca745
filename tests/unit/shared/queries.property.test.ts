// Property tests, vehicles and property: 10,000 generated inputs per kind; nothing throws, valid passes, bad input names its field.
import fc from 'fast-check';
import { describe, it } from 'vitest';
import { isRealPastDate, validateQuery } from '../../../src-shared/queries.ts';
import { assertQueryKind, namesOnlyRealFields, pastDate, RUNS } from './query-arbitraries.ts';

it('never throws on anything at all, and names only real fields', () => {
  fc.assert(fc.property(fc.anything({ maxDepth: 2, maxKeys: 5 }), (input) => namesOnlyRealFields(validateQuery(input))), RUNS);
});

// Person kinds run in person-queries.property.test.ts, so the two halves run on two workers.
describe.each(['plate', 'vin', 'gun', 'article'] as const)('%s queries', (kind) => {
  it('never throw on junk, accept valid input however typed, and refuse one bad field by name', () => assertQueryKind(kind));
});

describe('isRealPastDate', () => {
  it('never throws on any text and accepts every real past date', () => {
    fc.assert(
      fc.property(fc.string(), pastDate, (text, date) => ['ok', 'invalid', 'future'].includes(isRealPastDate(text)) && isRealPastDate(date) === 'ok'),
      RUNS,
    );
  });
});
