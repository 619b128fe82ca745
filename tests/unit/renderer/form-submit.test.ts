// A full disk gives the officer a clear message, and the query is never reported as queued.
import { describe, expect, it } from 'vitest';
import { prepareQuery, submitQuery } from '../../../src-renderer/queries/form-submit.ts';

const input = { kind: 'plate', lic: '4TRN123', lis: 'CA' };

describe('submitting a query', () => {
  it('says plainly that a query was not queued when storage is full, and that the queue is safe', async () => {
    const full = { enqueue: () => Promise.reject(new DOMException('The quota has been exceeded.', 'QuotaExceededError')) };
    expect(await submitQuery(full, input)).toEqual({
      ok: false,
      errors: { kind: 'This device is out of storage: the query was NOT queued. Queries already queued are safe.' },
    });
  });

  it('queues in the lane the officer chose, else the kind’s default lane', async () => {
    const lanes: string[] = [];
    const outbox = { enqueue: async (query: never, priority: string) => (lanes.push(priority), { id: 'x', query }) as never };
    await submitQuery(outbox, input, 'emergency');
    await submitQuery(outbox, input);
    await submitQuery(outbox, { kind: 'person', nam: 'TRAINING, CLEAN', dob: '1990-06-15', sex: 'F' });
    expect(lanes).toEqual(['emergency', 'routine', 'officer_safety']);
  });

  it('hands the outbox the query being typed only once it is valid, as the shared schema reads it', () => {
    const prepared: unknown[] = [];
    const outbox = { prepare: (query: unknown) => void prepared.push(query) };
    prepareQuery(outbox, { kind: 'plate', lic: '', lis: 'CA' });
    prepareQuery(outbox, { kind: 'plate', lic: '4TRN123', lis: 'ZZ' });
    expect(prepared).toEqual([]);
    prepareQuery(outbox, { kind: 'plate', lic: ' 4trn123 ', lis: 'ca' });
    expect(prepared).toHaveLength(1);
    expect(prepared[0]).toMatchObject({ kind: 'plate', lis: 'CA' });
  });

  it('does not touch storage for input that fails validation', async () => {
    let calls = 0;
    const outbox = { enqueue: async () => (calls++, {}) as never };
    expect((await submitQuery(outbox, { kind: 'plate', lic: '', lis: 'CA' })).ok).toBe(false);
    expect(calls).toBe(0);
  });
});
