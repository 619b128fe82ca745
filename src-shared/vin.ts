// VIN check digit (49 CFR 565.15): pure arithmetic shared by the query form, the switch and its data generator.

/** VINs of model year 1981 and later have 17 characters; older ones are shorter and carry no check digit. */
export const VIN_LENGTH = 17;
/** Position of the check digit (the ninth character), counted from zero. */
export const CHECK_DIGIT_INDEX = 8;
/** Letters that never appear in a 17-character VIN, because they read as 1 and 0. */
export const VIN_FORBIDDEN_LETTERS = ['I', 'O', 'Q'] as const;

// 49 CFR 565.15: each letter stands for a digit; I, O and Q have none.
const TRANSLITERATION: Readonly<Record<string, number>> = {
  A: 1, B: 2, C: 3, D: 4, E: 5, F: 6, G: 7, H: 8,
  J: 1, K: 2, L: 3, M: 4, N: 5, P: 7, R: 9,
  S: 2, T: 3, U: 4, V: 5, W: 6, X: 7, Y: 8, Z: 9,
};
// 49 CFR 565.15: the weight of each position; the check digit's own position weighs nothing.
const WEIGHTS = [8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2] as const;

function valueOf(char: string): number | undefined {
  if (char >= '0' && char <= '9') return char.charCodeAt(0) - 48;
  return TRANSLITERATION[char];
}

/**
 * The check digit a 17-character VIN should carry ('0'-'9' or 'X'), or undefined when the text is not
 * 17 characters of the VIN alphabet (upper-case letters except I, O, Q, and digits).
 */
export function vinCheckDigit(vin: string): string | undefined {
  if (vin.length !== VIN_LENGTH) return undefined;
  let sum = 0;
  for (let i = 0; i < VIN_LENGTH; i++) {
    const value = valueOf(vin[i]!);
    if (value === undefined) return undefined;
    sum += value * WEIGHTS[i]!;
  }
  const remainder = sum % 11;
  return remainder === 10 ? 'X' : String(remainder);
}

/** True when a 17-character VIN's ninth character matches the one its other sixteen compute to. */
export function hasValidCheckDigit(vin: string): boolean {
  const expected = vinCheckDigit(vin);
  return expected !== undefined && vin[CHECK_DIGIT_INDEX] === expected;
}

/** The same VIN with its ninth character replaced by the correct check digit (for generated data). */
export function withCheckDigit(vin: string): string {
  const digit = vinCheckDigit(vin);
  if (digit === undefined) throw new RangeError('A VIN needs 17 characters of the VIN alphabet to take a check digit');
  return vin.slice(0, CHECK_DIGIT_INDEX) + digit + vin.slice(CHECK_DIGIT_INDEX + 1);
}
