// The shared query schemas: one specific message per bad field, the NCIC rule named.
import { describe, expect, it } from 'vitest';
import { describeQuery, isRealPastDate, type Query, validateQuery } from '../../../src-shared/queries.ts';

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

it('refuses an unknown query kind, naming the kinds there are', () => {
  expect(validateQuery({ kind: 'boat' })).toEqual({
    ok: false,
    errors: { kind: 'Query kind must be one of plate, vin, person, person_oln, licence, licence_name, gun, article' },
  });
});

describe('plate year and type', () => {
  it('accepts an expiry year or NX and a plate type from the table', () => {
    expect(validateQuery({ kind: 'plate', lic: '4TRN123', lis: 'CA', liy: '2027', lit: 'pc' })).toEqual({
      ok: true,
      value: { kind: 'plate', lic: '4TRN123', lis: 'CA', liy: '2027', lit: 'PC' },
    });
    expect(validateQuery({ kind: 'plate', lic: '4TRN123', lis: 'CA', liy: 'nx' })).toMatchObject({ ok: true, value: { liy: 'NX' } });
  });

  it('leaves out optional fields left blank', () => {
    const result = validateQuery({ kind: 'plate', lic: '4TRN123', lis: 'CA', liy: '', lit: '  ' });
    expect(result).toEqual({ ok: true, value: { kind: 'plate', lic: '4TRN123', lis: 'CA' } });
    expect(Object.keys(result.ok ? result.value : {})).toEqual(['kind', 'lic', 'lis']);
  });

  it.each([
    ['27', 'Plate year (LIY) must be a 4-digit year of expiry (19xx or 20xx), or NX for a plate that never expires'],
    ['3027', 'Plate year (LIY) must be a 4-digit year of expiry (19xx or 20xx), or NX for a plate that never expires'],
  ])('refuses plate year %j', (liy, message) => {
    expect(validateQuery({ kind: 'plate', lic: '4TRN123', lis: 'CA', liy })).toEqual({ ok: false, errors: { liy: message } });
  });

  it('refuses a plate type outside the table', () => {
    expect(validateQuery({ kind: 'plate', lic: '4TRN123', lis: 'CA', lit: 'ZZ' })).toEqual({
      ok: false,
      errors: { lit: 'Plate type (LIT) must be a code from the plate type table, such as PC' },
    });
  });
});

describe('VIN queries', () => {
  const vin = (value: unknown) => validateQuery({ kind: 'vin', vin: value });

  it('accepts a 17-character VIN whose check digit matches, and an older, shorter VIN without one', () => {
    expect(vin(' 1m8gdm9axkp042788 ')).toEqual({ ok: true, value: { kind: 'vin', vin: '1M8GDM9AXKP042788' } });
    expect(vin('124379N500001')).toEqual({ ok: true, value: { kind: 'vin', vin: '124379N500001' } });
  });

  it.each([
    ['', 'VIN (VIN) is required'],
    ['1M8GDM9A1KP042788', 'VIN (VIN) check digit does not match: re-read the VIN'],
    ['1M8GDM9AXKPO42788', 'VIN (VIN) never contains I, O or Q: read them as 1 and 0'],
    ['1M8GDM9AXKP0427881', 'VIN (VIN) must be at most 17 characters'],
    ['1M8-GDM9AXKP042788', 'VIN (VIN) must be letters and digits only, no spaces or hyphens'],
  ])('refuses VIN %j: %s', (value, message) => {
    expect(vin(value)).toEqual({ ok: false, errors: { vin: message } });
  });
});

describe('person queries by licence, and race', () => {
  it('accepts OLN and OLS for a wanted check', () => {
    expect(validateQuery({ kind: 'person_oln', oln: 't0000001', ols: 'ca' })).toEqual({ ok: true, value: { kind: 'person_oln', oln: 'T0000001', ols: 'CA' } });
  });

  it('refuses a licence number with a hyphen and an unknown licence state, naming each', () => {
    expect(validateQuery({ kind: 'person_oln', oln: 'T-0000001', ols: 'QQ' })).toEqual({
      ok: false,
      errors: {
        oln: 'Licence number (OLN) must be letters and digits only, no spaces or hyphens',
        ols: 'Licence state (OLS) must be a 2-letter NCIC state code, such as CA',
      },
    });
  });

  it('takes an optional race code from the table', () => {
    expect(person('TRAINING, CLEAN', '1990-06-15', 'F')).toMatchObject({ ok: true });
    expect(validateQuery({ kind: 'person', nam: 'TRAINING, CLEAN', dob: '1990-06-15', sex: 'F', rac: 'w' })).toMatchObject({ ok: true, value: { rac: 'W' } });
    expect(validateQuery({ kind: 'person', nam: 'TRAINING, CLEAN', dob: '1990-06-15', sex: 'F', rac: 'H' })).toEqual({
      ok: false,
      errors: { rac: 'Race (RAC) must be one of A, B, I, P, U, W' },
    });
  });
});

describe('driver licence queries', () => {
  it('accepts a licence by number or by name, date of birth and sex', () => {
    expect(validateQuery({ kind: 'licence', oln: 'T0000002', ols: 'CA' })).toMatchObject({ ok: true });
    expect(validateQuery({ kind: 'licence_name', nam: 'training,clean', dob: '1990-06-15', sex: 'F' })).toEqual({
      ok: true,
      value: { kind: 'licence_name', nam: 'TRAINING, CLEAN', dob: '1990-06-15', sex: 'F' },
    });
  });

  it('refuses a licence number of more than 20 characters', () => {
    expect(validateQuery({ kind: 'licence', oln: 'A'.repeat(21), ols: 'CA' })).toEqual({ ok: false, errors: { oln: 'Licence number (OLN) must be at most 20 characters' } });
  });
});

describe('gun and article queries', () => {
  it('accepts a gun by serial and make, with calibre and model', () => {
    expect(validateQuery({ kind: 'gun', ser: 'trn1911', mak: 'col', cal: '45', mod: ' 1911  a1 ' })).toEqual({
      ok: true,
      value: { kind: 'gun', ser: 'TRN1911', mak: 'COL', cal: '45', mod: '1911 A1' },
    });
  });

  it.each([
    [{ ser: 'NONE' }, 'ser', 'Serial number (SER) cannot be NONE or UNK: read the number from the item'],
    [{ ser: 'AB 123' }, 'ser', 'Serial number (SER) must be letters and digits only, no spaces or hyphens'],
    [{ mak: 'S&W' }, 'mak', 'Make (MAK) must be the NCIC make code, 1 to 4 letters (ZZZ when unknown)'],
    [{ cal: '.357' }, 'cal', 'Calibre (CAL) must be 1 to 4 letters and digits, such as 38'],
    [{ mod: 'X'.repeat(21) }, 'mod', 'Model (MOD) must be at most 20 characters'],
  ])('refuses gun field %j', (change, field, message) => {
    expect(validateQuery({ kind: 'gun', ser: 'TRN1911', mak: 'COL', ...change })).toEqual({ ok: false, errors: { [field]: message } });
  });

  it('accepts an article by serial and type code, and refuses a type outside the table', () => {
    expect(validateQuery({ kind: 'article', ser: 'TRN5550001', typ: 'ocomput' })).toMatchObject({ ok: true, value: { typ: 'OCOMPUT' } });
    expect(validateQuery({ kind: 'article', ser: 'TRN5550001', typ: 'LAPTOP' })).toEqual({
      ok: false,
      errors: { typ: 'Article type (TYP) must be a code from the article type table, such as OCOMPUT' },
    });
  });
});

describe('describing a query', () => {
  it.each<[Query, string]>([
    [{ kind: 'plate', lic: '4TRN123', lis: 'CA' }, 'Plate 4TRN123 (CA)'],
    [{ kind: 'plate', lic: '4TRN123', lis: 'CA', liy: '2027', lit: 'PC' }, 'Plate 4TRN123 (CA, 2027, type PC)'],
    [{ kind: 'vin', vin: '1FTEW1E5XJFA78900' }, 'VIN 1FTEW1E5XJFA78900'],
    [{ kind: 'person', nam: 'TRAINING, ARMED', dob: '1980-01-01', sex: 'M' }, 'TRAINING, ARMED, DOB 1980-01-01, sex M'],
    [{ kind: 'person_oln', oln: 'T0000001', ols: 'CA' }, 'Person with licence T0000001 (CA)'],
    [{ kind: 'licence', oln: 'T0000001', ols: 'CA' }, 'Driver licence T0000001 (CA)'],
    [{ kind: 'licence_name', nam: 'TRAINING, CLEAN', dob: '1990-06-15', sex: 'F' }, 'Driver licence of TRAINING, CLEAN, DOB 1990-06-15, sex F'],
    [{ kind: 'gun', ser: 'TRN1911', mak: 'COL', cal: '45' }, 'Gun TRN1911, make COL, calibre 45'],
    [{ kind: 'article', ser: 'TRN5550001', typ: 'OCOMPUT' }, 'Article TRN5550001, type OCOMPUT'],
  ])('describes %j', (query, text) => {
    expect(describeQuery(query)).toBe(text);
  });
});
