// The shared query schemas: one specific message per bad field, the NCIC rule named.
import { describe, expect, it } from 'vitest';
import { isRealPastDate, validateQuery } from '../../../src-shared/queries.ts';

const plate = (lic: unknown, lis: unknown = 'CA') => validateQuery({ kind: 'plate', lic, lis });
const person = (nam: unknown, dob: unknown = '1980-01-01', sex: unknown = 'M') => validateQuery({ kind: 'person', nam, dob, sex });

describe('plate queries', () => {
  it('accepts a plate and state, normalised to upper case', () => {
    expect(plate(' 4trn123 ', 'ca')).toEqual({ ok: true, value: { kind: 'plate', lic: '4TRN123', lis: 'CA' } });
  });

  it.each([
    ['', 'Plate (LIC) is required'],
    ['4TRN 123', 'Plate (LIC) must be letters and digits only, no spaces or hyphens'],
    ['4TRN-123', 'Plate (LIC) must be letters and digits only, no spaces or hyphens'],
    ['4TRN1234567', 'Plate (LIC) must be at most 10 characters'],
    ['NONE', 'Plate (LIC) cannot be NONE or UNK: run the VIN instead'],
    ['unk', 'Plate (LIC) cannot be NONE or UNK: run the VIN instead'],
    [undefined, 'Plate (LIC) is required'],
    [42, 'Plate (LIC) must be text'],
  ])('refuses plate %j: %s', (lic, message) => {
    expect(plate(lic)).toEqual({ ok: false, errors: { lic: message } });
  });

  it.each([
    ['', 'State (LIS) is required'],
    ['ZZ', 'State (LIS) must be a 2-letter NCIC state code, such as CA'],
    ['CAL', 'State (LIS) must be a 2-letter NCIC state code, such as CA'],
  ])('refuses state %j', (lis, message) => {
    expect(plate('4TRN123', lis)).toEqual({ ok: false, errors: { lis: message } });
  });

  it('reports every bad field at once', () => {
    expect(plate('', '')).toEqual({ ok: false, errors: { lic: 'Plate (LIC) is required', lis: 'State (LIS) is required' } });
  });
});

describe('person queries', () => {
  it('accepts NAM, DOB and SEX and tidies the comma spacing', () => {
    expect(person('training,armed')).toEqual({ ok: true, value: { kind: 'person', nam: 'TRAINING, ARMED', dob: '1980-01-01', sex: 'M' } });
  });

  it.each([
    ['TRAINING ARMED', 'Name (NAM) must read LAST, FIRST MIDDLE (letters only)'],
    ['TRAINING, ARMED 2', 'Name (NAM) must read LAST, FIRST MIDDLE (letters only)'],
    ['MONTGOMERY-FITZWILLIAM, ALEXANDRA', 'Name (NAM) must be at most 30 characters'],
  ])('refuses name %j', (nam, message) => {
    expect(person(nam)).toEqual({ ok: false, errors: { nam: message } });
  });

  it.each([
    ['1980-02-30', 'Date of birth (DOB) must be a real date, YYYY-MM-DD'],
    ['01/01/1980', 'Date of birth (DOB) must be a real date, YYYY-MM-DD'],
    ['2999-01-01', 'Date of birth (DOB) cannot be in the future'],
  ])('refuses date of birth %j', (dob, message) => {
    expect(person('TRAINING, CLEAN', dob)).toEqual({ ok: false, errors: { dob: message } });
  });

  it('refuses a sex code outside the table', () => {
    expect(person('TRAINING, CLEAN', '1990-06-15', 'Q')).toEqual({ ok: false, errors: { sex: 'Sex (SEX) must be one of M, F, X' } });
  });

  it('judges "the future" against the clock it is given', () => {
    const now = new Date('2026-11-23T12:00:00Z');
    expect(isRealPastDate('2026-11-23', now)).toBe('ok');
    expect(isRealPastDate('2026-11-24', now)).toBe('future');
    expect(isRealPastDate('2024-02-29', now)).toBe('ok');
    expect(isRealPastDate('2023-02-29', now)).toBe('invalid');
  });
});

it('refuses an unknown query kind', () => {
  expect(validateQuery({ kind: 'boat' })).toEqual({ ok: false, errors: { kind: 'Query kind must be plate or person' } });
});
