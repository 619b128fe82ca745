// Property tests, people and licences: 10,000 generated inputs per kind; nothing throws, valid passes, bad input names its field.
import { describe, it } from 'vitest';
import { assertQueryKind } from './query-arbitraries.ts';

describe.each(['person', 'person_oln', 'licence', 'licence_name'] as const)('%s queries', (kind) => {
  it('never throw on junk, accept valid input however typed, and refuse one bad field by name', () => assertQueryKind(kind));
});
