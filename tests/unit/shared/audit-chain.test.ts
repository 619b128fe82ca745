// The audit hash chain both sides compute: any record changed, removed, inserted or moved is found and named.
import { describe, expect, it } from 'vitest';
import { type AuditContent, type AuditRecord, auditTime, chainHash, GENESIS, verifyChain } from '../../../src-shared/audit-chain.ts';

function chain(contents: AuditContent[]): AuditRecord[] {
  let prev = GENESIS;
  return contents.map((content, index) => {
    const hash = chainHash(prev, content);
    const record = { seq: index + 1, ...content, prev, hash };
    prev = hash;
    return record;
  });
}

const line = (action: string, subject: string): AuditContent => ({
  at: '2026-11-23T14:05:09.37Z',
  officer: 'TRN101',
  terminal: 'terminal-0001',
  action,
  subject,
  outcome: 'ok',
});

const records = chain([line('session.signin', 'TRN101'), line('query.enqueued', 'q1'), line('query.answered', 'q1'), line('session.lock', 'TRN101')]);

describe('the audit chain', () => {
  it('accepts a chain as written and ends on its last hash', () => {
    expect(verifyChain(records)).toEqual({ ok: true, last: records.at(-1)!.hash });
    expect(verifyChain([])).toEqual({ ok: true, last: GENESIS });
  });

  it('continues from the hash the switch already holds', () => {
    expect(verifyChain(records.slice(2), records[1]!.hash)).toMatchObject({ ok: true });
    expect(verifyChain(records.slice(2))).toMatchObject({ ok: false, seq: 3 });
  });

  it('hashes every field: a change to any one gives another hash', () => {
    const base = line('query.enqueued', 'q1');
    const hashes = new Set([
      chainHash(GENESIS, base),
      chainHash('1'.repeat(64), base),
      ...(['at', 'officer', 'terminal', 'action', 'subject', 'outcome'] as const).map((field) => chainHash(GENESIS, { ...base, [field]: `${base[field]}x` })),
    ]);
    expect(hashes.size).toBe(8);
  });

  it('names a record changed after it was written', () => {
    const changed = records.map((record) => (record.seq === 2 ? { ...record, outcome: 'nothing happened' } : record));
    expect(verifyChain(changed)).toEqual({ ok: false, seq: 2, reason: 'record 2 was changed after it was written' });
  });

  it('names the record after one removed', () => {
    const removed = records.filter((record) => record.seq !== 2);
    expect(verifyChain(removed)).toMatchObject({ ok: false, seq: 3, reason: expect.stringContaining('removed or inserted') });
  });

  it('names a record inserted, even one hashed to look right on its own', () => {
    const forged = { seq: 9, ...line('query.cancelled', 'q1'), prev: GENESIS, hash: chainHash(GENESIS, line('query.cancelled', 'q1')) };
    const inserted = [records[0]!, forged, ...records.slice(1)];
    expect(verifyChain(inserted)).toMatchObject({ ok: false, seq: 9 });
  });

  it('names records put out of order', () => {
    const reordered = [records[0]!, records[2]!, records[1]!, records[3]!];
    expect(verifyChain(reordered)).toMatchObject({ ok: false, seq: 3 });
  });

  it('writes times in UTC to the hundredth of a second', () => {
    expect(auditTime(new Date('2026-11-23T14:05:09.379Z'))).toBe('2026-11-23T14:05:09.37Z');
  });
});
