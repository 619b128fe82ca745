// What the terminal says aloud: cautions first, the hit, then the subject with its plate spelled phonetically.
import { describe, expect, it } from 'vitest';
import { answerWords, batchSummary, countWords, hitsFirst, saySubject, spell, type SpokenAnswer } from '../../../src-renderer/speech/spoken-words.ts';

const plate = { kind: 'plate', lic: '4TRN123', lis: 'CA' } as const;

describe('spoken words', () => {
  it('spells a plate in the phonetic alphabet, digits as words', () => {
    expect(spell('4TRN123')).toBe('four tango romeo november one two three');
    expect(spell('jx-0 9')).toBe('juliet x-ray zero nine');
  });

  it('names the plate state in words, and spells a code the table does not know', () => {
    expect(saySubject(plate)).toBe('Plate four tango romeo november one two three, California.');
    expect(saySubject({ kind: 'plate', lic: 'AB1', lis: 'ZZ' })).toBe('Plate alpha bravo one, zulu zulu.');
  });

  it('says a person by name and birth date, a gun by serial and make', () => {
    expect(saySubject({ kind: 'person', nam: 'TRAINING, ARMED', dob: '1980-01-01', sex: 'M' })).toBe('Armed Training, born 1 January 1980.');
    expect(saySubject({ kind: 'gun', ser: 'TRN1911', mak: 'COL' })).toBe('Gun serial tango romeo november one nine one one, make Colt.');
  });

  it('says the cautions first, then the hit, then the plate', () => {
    const answer: SpokenAnswer = {
      query: plate,
      outcome: 'hit',
      alert: { severity: 'officer_safety', rank: 0, title: 'STOLEN VEHICLE / WANTED PERSON', cautions: ['ARMED AND DANGEROUS', 'VIOLENT TENDENCIES'] },
    };
    expect(answerWords(answer)).toEqual([
      'Caution. Armed and dangerous, violent tendencies.',
      'Hit. Stolen vehicle, wanted person.',
      'Plate four tango romeo november one two three, California.',
    ]);
  });

  it('says a possible hit must be confirmed live', () => {
    const answer: SpokenAnswer = { query: plate, outcome: 'pending', alert: { severity: 'possible_hit', rank: 2, title: 'STOLEN VEHICLE', cautions: [] } };
    expect(answerWords(answer)[0]).toBe('Possible hit, confirm live. Stolen vehicle.');
  });

  it('says a clean answer briefly, and nothing for one still waiting', () => {
    expect(answerWords({ query: plate, outcome: 'no_record' })).toEqual(['No record. Plate four tango romeo november one two three, California.']);
    expect(answerWords({ query: plate, outcome: 'pending' })).toEqual([]);
  });

  it('sums up answers that arrived together, then reads the hits most severe first', () => {
    const clean: SpokenAnswer = { query: { kind: 'plate', lic: '4TRN000', lis: 'CA' }, outcome: 'no_record' };
    const stolen: SpokenAnswer = { query: { kind: 'plate', lic: '4TRN456', lis: 'CA' }, outcome: 'hit', alert: { severity: 'hit', rank: 1, title: 'STOLEN PLATE', cautions: [] } };
    const armed: SpokenAnswer = { query: plate, outcome: 'hit', alert: { severity: 'officer_safety', rank: 0, title: 'WANTED PERSON', cautions: ['ARMED AND DANGEROUS'] } };
    expect(batchSummary([clean, stolen, clean])).toBe('Three answers, one hit.');
    expect(hitsFirst([clean, stolen, clean]).flatMap(answerWords)).toEqual(['Hit. Stolen plate.', 'Plate four tango romeo november four five six, California.']);
    expect(hitsFirst([stolen, armed]).flatMap(answerWords)[0]).toBe('Caution. Armed and dangerous.');
    expect(batchSummary([clean, clean])).toBe('Two answers, no hits.');
    expect(hitsFirst([clean, clean])).toEqual([]);
  });

  it('counts in words', () => {
    expect([countWords(1), countWords(13), countWords(21), countWords(40), countWords(120)]).toEqual(['one', 'thirteen', 'twenty-one', 'forty', '120']);
  });
});
