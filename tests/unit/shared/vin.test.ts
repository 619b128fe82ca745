// The VIN check digit (49 CFR 565.15), checked against VINs published with their check digits.
import { describe, expect, it } from 'vitest';
import { hasValidCheckDigit, vinCheckDigit, withCheckDigit } from '../../../src-shared/vin.ts';

describe('VIN check digit', () => {
  it.each([
    ['1M8GDM9AXKP042788', 'X'],
    ['1HGCM82633A004352', '3'],
    ['11111111111111111', '1'],
  ])('computes %s to %s', (vin, digit) => {
    expect(vinCheckDigit(vin)).toBe(digit);
    expect(hasValidCheckDigit(vin)).toBe(true);
  });

  it('finds a mistyped character', () => {
    expect(hasValidCheckDigit('1M8GDM9AXKP042789')).toBe(false);
  });

  it('has no digit for text that is not 17 characters of the VIN alphabet', () => {
    expect(vinCheckDigit('1M8GDM9AXKP04278')).toBeUndefined();
    expect(vinCheckDigit('1M8GDM9AXKPO42788')).toBeUndefined();
    expect(vinCheckDigit('1m8gdm9axkp042788')).toBeUndefined();
  });

  it('puts the right digit in the ninth place', () => {
    expect(withCheckDigit('1M8GDM9A0KP042788')).toBe('1M8GDM9AXKP042788');
    expect(() => withCheckDigit('SHORT')).toThrow(RangeError);
  });
});
