// Hits come from structured record types and caution codes, never from words in the answer's text.
import { describe, expect, it } from 'vitest';
import type { AnswerPart } from '../../../src-shared/protocol.ts';
import { classifyPart, summarizeAnswer } from '../../../src-renderer/alerts/classify.ts';

const at = '2026-11-23T10:00:00.000Z';
const person = { kind: 'person', nam: 'TRAINING, ARMED', dob: '1980-01-01', sex: 'M' } as const;
const part = (over: Partial<AnswerPart>): AnswerPart => ({ source: 'NCIC', status: 'not_on_file', records: [], text: '', answeredAt: at, ...over });

describe('classification', () => {
  it('does not call an answer a hit because its text says WANTED', () => {
    const explanatory = part({ text: 'NCIC NOTE: A WANTED PERSON OR STOLEN VEHICLE HIT MUST BE CONFIRMED. NO RECORD.' });
    expect(classifyPart(explanatory)).toBe('no_record');
    expect(summarizeAnswer(person, [explanatory])).toEqual({ outcome: 'no_record' });
  });

  it('raises an officer-safety alert for a want with a caution code, naming the caution', () => {
    const want = part({
      source: 'WPS',
      status: 'record',
      records: [{ type: 'wanted_person', summary: 'WANTED: felony warrant', fields: {}, cautions: ['armed_and_dangerous'] }],
    });
    const summary = summarizeAnswer(person, [want, part({})]);
    expect(summary.outcome).toBe('hit');
    expect(summary.alert).toMatchObject({
      severity: 'officer_safety',
      rank: 0,
      title: 'WANTED PERSON',
      cautions: ['ARMED AND DANGEROUS'],
      sources: ['State wanted persons'],
      subject: 'TRAINING, ARMED, DOB 1980-01-01, sex M',
    });
  });

  it('treats a registration as a record, not a hit', () => {
    const registration = part({ source: 'DMV', status: 'record', records: [{ type: 'registration', summary: 'Registered', fields: {}, cautions: [] }] });
    expect(summarizeAnswer(person, [registration]).outcome).toBe('record');
  });

  it('says a source is unavailable only when every source is', () => {
    expect(summarizeAnswer(person, [part({ status: 'unavailable' })]).outcome).toBe('unavailable');
    expect(summarizeAnswer(person, [part({ status: 'unavailable' }), part({})]).outcome).toBe('no_record');
  });
});
