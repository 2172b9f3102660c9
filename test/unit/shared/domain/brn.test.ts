import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatBrn, isValidBrn, normalizeBrn, withCheckDigit } from '#shared/domain/brn';

/** Registered numbers of well-known companies (public), so the checksum is checked against the real rule. */
const REAL = ['220-81-62517', '124-81-00998', '120-81-47521', '104-81-43125', '116-81-18745'];

describe('사업자등록번호 checksum', () => {
  it.each(REAL)('accepts the real number %s, with or without dashes', (n) => {
    expect(isValidBrn(n)).toBe(true);
    expect(isValidBrn(n.replace(/-/g, ''))).toBe(true);
    expect(isValidBrn(n.replace(/-/g, ' '))).toBe(true);
  });

  it.each(REAL)('refuses %s with any other check digit', (n) => {
    const digits = normalizeBrn(n);
    const last = Number(digits[9]);
    for (let d = 0; d <= 9; d++) {
      if (d === last) continue;
      expect(isValidBrn(digits.slice(0, 9) + String(d)), `${digits.slice(0, 9)}${d}`).toBe(false);
    }
  });

  it('refuses a single mistyped digit and two swapped neighbours in real numbers', () => {
    // 220-81-62517 with the 5th digit changed, and with digits 4 and 5 swapped
    expect(isValidBrn('220-82-62517')).toBe(false);
    expect(isValidBrn('221-81-62517')).toBe(false);
    expect(isValidBrn('124-18-00998')).toBe(false);
  });

  it('refuses anything that is not exactly 10 digits', () => {
    for (const bad of ['', '123', '220-81-6251', '220-81-625170', 'abcdefghij', '22081625171']) {
      expect(isValidBrn(bad), bad).toBe(false);
    }
  });

  it('ignores separators and other non-digits (the number is only its digits)', () => {
    expect(isValidBrn('220.81.62517')).toBe(true);
    expect(isValidBrn('(220)81-62517')).toBe(true);
  });

  it('uses the 9th digit × 5 carry (a number whose 9th digit is ≥ 2 depends on it)', () => {
    // Without the floor(d9 × 5 / 10) term the check digit of 104-81-4312_ would differ.
    expect(withCheckDigit('104814312')).toBe('1048143125');
    expect(withCheckDigit('220816251')).toBe('2208162517');
  });
});

describe('normalizeBrn / formatBrn', () => {
  it('keeps only digits', () => {
    expect(normalizeBrn('220-81-62517')).toBe('2208162517');
    expect(normalizeBrn(' 220 81 62517 ')).toBe('2208162517');
    expect(normalizeBrn('No. 220.81.62517')).toBe('2208162517');
    expect(normalizeBrn('')).toBe('');
  });

  it('formats 10 digits as 000-00-00000 and is idempotent', () => {
    expect(formatBrn('2208162517')).toBe('220-81-62517');
    expect(formatBrn('220-81-62517')).toBe('220-81-62517');
    expect(formatBrn('220 8162517')).toBe('220-81-62517');
  });

  it('returns input that is not 10 digits unchanged', () => {
    expect(formatBrn('12345')).toBe('12345');
    expect(formatBrn('220-81-625171')).toBe('220-81-625171');
    expect(formatBrn('')).toBe('');
  });
});

describe('withCheckDigit', () => {
  it('always produces a valid number that formats and normalises round-trip', () => {
    fc.assert(
      // office code 000 is never issued (refused separately below), so generate real office codes
      fc.property(fc.stringMatching(/^(?:[1-9]\d\d|0[1-9]\d|00[1-9])\d{6}$/), (nine) => {
        const full = withCheckDigit(nine);
        expect(full).toHaveLength(10);
        expect(full.startsWith(nine)).toBe(true);
        expect(isValidBrn(full)).toBe(true);
        expect(normalizeBrn(formatBrn(full))).toBe(full);
        // exactly one check digit is valid
        const valid = [...'0123456789'].filter((d) => isValidBrn(nine + d));
        expect(valid).toEqual([full[9]]);
      }),
    );
  });

  it('throws unless given exactly nine digits', () => {
    for (const bad of ['', '12345678', '1234567890', '12345678a', '123-45-678']) expect(() => withCheckDigit(bad), bad).toThrow();
  });
});

describe('numbers never issued', () => {
  it('refuses a number whose tax office code is 000, even when the check digit fits', () => {
    expect(isValidBrn('0000000000')).toBe(false);
    expect(isValidBrn(withCheckDigit('000810001'))).toBe(false);
    expect(isValidBrn(withCheckDigit('101810001'))).toBe(true);
  });
});
