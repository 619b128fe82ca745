// The verdict the motion lock's panel shows: the answer that came in last, in the results list's words.
import { describe, expect, it } from 'vitest';
import type { AnswerPart } from '../../../src-shared/protocol.ts';
import type { OutboxEntry, StoredAnswer } from '../../../src-renderer/db/database.ts';
import { lastVerdict } from '../../../src-renderer/motion/last-verdict.ts';
import type { QueryRow } from '../../../src-renderer/results/history.ts';

function row(lic: string, seq: number, answer?: { at: string; parts: AnswerPart[] }): QueryRow {
  const entry: OutboxEntry = {
    id: `q${seq}`,
    query: { kind: 'plate', lic, lis: 'CA' },
    priority: 'routine',
    lane: 2,
    seq,
    status: answer ? 'answered' : 'queued',
    attempts: 0,
    askedAt: '2026-12-06T20:00:00.000Z',
  };
  if (!answer) return { entry };
  const stored: StoredAnswer = {
    queryId: entry.id,
    switchQueryId: `s${seq}`,
    receivedAt: answer.at,
    parts: answer.parts,
    complete: true,
    askedAt: entry.askedAt,
    sentAt: entry.askedAt,
    answeredAt: answer.at,
    late: false,
  };
  return { entry, answer: stored };
}

const part = (status: AnswerPart['status'], records: AnswerPart['records'] = []): AnswerPart => ({
  source: 'SVS',
  status,
  records,
  text: 'REPLY',
  answeredAt: '2026-12-06T20:00:01.000Z',
});
const stolen = part('record', [{ type: 'stolen_vehicle', summary: 'STOLEN', fields: {}, cautions: ['armed_and_dangerous'] }]);

describe('lastVerdict', () => {
  it('is none before any answer has come', () => {
    expect(lastVerdict([row('7ABC123', 1)])).toBeUndefined();
  });

  it('names the hit, its cautions and what was asked', () => {
    expect(lastVerdict([row('4TRN123', 1, { at: '2026-12-06T20:00:02.000Z', parts: [stolen] })])).toMatchObject({
      subject: 'Plate 4TRN123 (CA)',
      outcome: 'hit',
      title: 'STOLEN VEHICLE',
      cautions: ['ARMED AND DANGEROUS'],
    });
  });

  it('takes the answer that came in last, not the query asked last', () => {
    const rows = [
      row('3NEW000', 3),
      row('2OLD000', 2, { at: '2026-12-06T20:05:00.000Z', parts: [part('not_on_file')] }),
      row('1LATE00', 1, { at: '2026-12-06T20:09:00.000Z', parts: [stolen] }),
    ];
    expect(lastVerdict(rows)).toMatchObject({ subject: 'Plate 1LATE00 (CA)', outcome: 'hit' });
    expect(lastVerdict(rows.slice(0, 2))).toMatchObject({ subject: 'Plate 2OLD000 (CA)', outcome: 'no_record', cautions: [] });
  });
});
