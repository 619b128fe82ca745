// After a run the form clears what it queued, and never what the officer has already typed next.
import { describe, expect, it } from 'vitest';
import { fieldsToClear, QUERY_FORMS } from '../../../src-renderer/queries/query-forms.ts';

const plate = QUERY_FORMS.find((form) => form.kind === 'plate')!;

describe('clearing a form after a run', () => {
  it('clears the plate but keeps the state for the next plate', () => {
    const sent = { lic: '4TRN123', lis: 'CA', liy: '', lit: '' };
    expect(fieldsToClear(plate, sent, sent)).toContain('lic');
    expect(fieldsToClear(plate, sent, sent)).not.toContain('lis');
  });

  it('clears nothing when the officer has already started the next query', () => {
    expect(fieldsToClear(plate, { lic: '4TRN1', lis: 'CA', liy: '', lit: '' }, { lic: '4TRN123', lis: 'CA', liy: '', lit: '' })).toEqual([]);
  });

  it('gives every kind a distinct function key', () => {
    const keys = QUERY_FORMS.map((form) => form.key);
    expect(new Set(keys).size).toBe(QUERY_FORMS.length);
    expect(QUERY_FORMS).toHaveLength(8);
  });
});
