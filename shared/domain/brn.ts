/**
 * 사업자등록번호 (business registration number): 10 digits, the last one a checksum.
 * The checksum weights are the National Tax Service's published rule.
 */
const WEIGHTS = [1, 3, 7, 1, 3, 7, 1, 3, 5] as const;

/** Strips everything but digits, so "123-45-67890" and "1234567890" are the same number. */
export function normalizeBrn(input: string): string {
  return input.replace(/\D/g, '');
}

export function isValidBrn(input: string): boolean {
  const digits = normalizeBrn(input);
  if (!/^\d{10}$/.test(digits)) return false;
  // All zeros passes the checksum arithmetic but is never issued (tax office codes start at 101).
  if (digits.startsWith('000')) return false;
  const d = [...digits].map(Number);
  let sum = 0;
  for (let i = 0; i < 9; i++) sum += (d[i] ?? 0) * (WEIGHTS[i] ?? 0);
  sum += Math.floor(((d[8] ?? 0) * 5) / 10);
  return (10 - (sum % 10)) % 10 === d[9];
}

/** 000-00-00000 display form; returns the input unchanged when it is not 10 digits. */
export function formatBrn(input: string): string {
  const digits = normalizeBrn(input);
  if (digits.length !== 10) return input;
  return `${digits.slice(0, 3)}-${digits.slice(3, 5)}-${digits.slice(5)}`;
}

/** Completes the first nine digits with their check digit (used by demo data and tests). */
export function withCheckDigit(nineDigits: string): string {
  if (!/^\d{9}$/.test(nineDigits)) throw new Error('nine digits expected');
  const d = [...nineDigits].map(Number);
  let sum = 0;
  for (let i = 0; i < 9; i++) sum += (d[i] ?? 0) * (WEIGHTS[i] ?? 0);
  sum += Math.floor(((d[8] ?? 0) * 5) / 10);
  return nineDigits + String((10 - (sum % 10)) % 10);
}
