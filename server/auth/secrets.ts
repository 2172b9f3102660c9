/**
 * Random credentials (access tokens, device secrets, enrolment codes) and their at-rest form.
 *
 * They carry ≥ 80 bits of randomness, so a fast SHA-256 is the right at-rest hash: a slow hash protects
 * guessable human passwords, and nothing here is guessable. Lookups go by hash, so the plain value is never
 * stored or logged.
 */
import crypto from 'node:crypto';

export const sha256Hex = (value: string): string => crypto.createHash('sha256').update(value, 'utf8').digest('hex');

/** 256-bit bearer value, URL-safe. */
export const randomToken = (): string => crypto.randomBytes(32).toString('base64url');

/** Crockford base32 without I, L, O, U: easy to read aloud and to type on a laptop. */
const CODE_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const CODE_LENGTH = 16;

/** A one-time enrolment code, `XXXX-XXXX-XXXX-XXXX` (80 bits). */
export function randomEnrolmentCode(): string {
  const bytes = crypto.randomBytes(CODE_LENGTH);
  const chars = [...bytes].map((b) => CODE_ALPHABET[b & 31] ?? '0');
  return [0, 4, 8, 12].map((i) => chars.slice(i, i + 4).join('')).join('-');
}

/** What a person may type: any case, with or without dashes and spaces; I/L → 1, O → 0 as Crockford says. */
export function normalizeEnrolmentCode(input: string): string {
  return input
    .toUpperCase()
    .replace(/[\s-]/g, '')
    .replace(/[IL]/g, '1')
    .replace(/O/g, '0');
}

export const hashEnrolmentCode = (code: string): string => sha256Hex(`enrol:${normalizeEnrolmentCode(code)}`);

/** Compares two hex digests without an early exit. */
export function sameDigest(a: string, b: string): boolean {
  const x = Buffer.from(a, 'hex');
  const y = Buffer.from(b, 'hex');
  return x.length === y.length && x.length > 0 && crypto.timingSafeEqual(x, y);
}
