import { describe, expect, it } from 'vitest';
import { formatDate, formatDateTime, formatKrw, formatKrwFull, formatNumber } from '#shared/domain/format';

const EOK = 100_000_000;
const MAN = 10_000;

describe('formatKrw in Korean (원 / 만원 / 억원)', () => {
  it.each([
    [0, '0원'],
    [9_000, '9,000원'],
    [9_999, '9,999원'],
    [10_000, '1만원'],
    [15_000, '1.5만원'],
    [99_000, '9.9만원'],
    [120_000, '12만원'],
    [10_000 * EOK, '1조원'],
    [12_345 * EOK, '1.2조원'],
    [45_000_000, '4,500만원'],
    [EOK, '1억원'],
    [123_456_789, '1.2억원'],
    [1_234_567_890, '12.3억원'],
    [150 * EOK, '150억원'],
    [123 * EOK + 60_000_000, '124억원'],
  ])('%d → %s', (amount, text) => {
    expect(formatKrw(amount, 'ko')).toBe(text);
    expect(formatKrw(amount, 'ko-KR')).toBe(text);
  });

  it('shows an amount that rounds up to 10,000만원 as 1억원', () => {
    expect(formatKrw(99_999_999, 'ko')).toBe('1억원');
    expect(formatKrw(99_995_000, 'ko')).toBe('1억원');
    expect(formatKrw(99_994_999, 'ko')).toBe('9,999만원');
  });

  it('puts a minus sign in front of losses (negative operating profit)', () => {
    expect(formatKrw(-5_000, 'ko')).toBe('-5,000원');
    expect(formatKrw(-45_000_000, 'ko')).toBe('-4,500만원');
    expect(formatKrw(-250_000_000, 'ko')).toBe('-2.5억원');
    expect(formatKrw(-99_999_999, 'ko')).toBe('-1억원');
  });

  it('never shows more than one decimal, and none from 100억원 up', () => {
    for (const amount of [1.05 * EOK, 9.99 * EOK, 55.55 * EOK, 99.94 * EOK, 512.7 * EOK, 3 * MAN + 4_999]) {
      const text = formatKrw(Math.round(amount), 'ko');
      const decimals = /\.(\d+)/.exec(text)?.[1] ?? '';
      expect(decimals.length, text).toBeLessThanOrEqual(amount >= 100 * EOK ? 0 : 1);
    }
  });
});

describe('formatKrw in English (compact ₩)', () => {
  it.each([
    [0, '₩0'],
    [9_000, '₩9K'],
    [45_000_000, '₩45M'],
    [1_234_567_890, '₩1.23B'],
    [15_000_000_000, '₩15B'],
    [-250_000_000, '-₩250M'],
  ])('%d → %s', (amount, text) => {
    expect(formatKrw(amount, 'en')).toBe(text);
    expect(formatKrw(amount, 'en-US')).toBe(text);
  });

  it('uses no Korean units', () => {
    for (const a of [1, MAN, EOK, -EOK]) expect(formatKrw(a, 'en')).not.toMatch(/[원만억]/);
  });
});

describe('formatKrwFull', () => {
  it('shows every digit with the unit', () => {
    expect(formatKrwFull(1_234_000, 'ko')).toBe('1,234,000원');
    expect(formatKrwFull(-1_234_000, 'ko')).toBe('-1,234,000원');
    expect(formatKrwFull(1_234_000, 'en')).toBe('₩1,234,000');
    expect(formatKrwFull(-1_234_000, 'en')).toBe('-₩1,234,000');
    // the largest amount the schemas accept still prints exactly
    expect(formatKrwFull(1_000_000_000_000_000, 'ko')).toBe('1,000,000,000,000,000원');
  });
});

describe('formatNumber', () => {
  it('groups thousands', () => {
    expect(formatNumber(1_234_567, 'ko')).toBe('1,234,567');
    expect(formatNumber(1_234_567.5, 'en')).toBe('1,234,567.5');
  });
});

describe('dates', () => {
  it('shows an ISO date in the user’s language without shifting the day', () => {
    expect(formatDate('2024-03-05', 'ko')).toBe('2024년 3월 5일');
    expect(formatDate('2024-03-05', 'en')).toBe('5 Mar 2024');
    // date-only values are read in UTC, so 1 January never becomes 31 December anywhere
    expect(formatDate('2025-01-01', 'en')).toBe('1 Jan 2025');
    expect(formatDate('2025-12-31', 'ko')).toBe('2025년 12월 31일');
  });

  it('returns text that is not a date unchanged', () => {
    expect(formatDate('garbage', 'ko')).toBe('garbage');
    expect(formatDate('', 'en')).toBe('');
    expect(formatDateTime('not a time', 'en')).toBe('not a time');
  });

  it('formats a timestamp with date and time', () => {
    const text = formatDateTime('2024-03-05T01:02:03Z', 'en');
    expect(text).toMatch(/2024/);
    expect(text).toMatch(/\d{1,2}:\d{2}/);
    expect(formatDateTime('2024-03-05T01:02:03Z', 'ko')).toMatch(/^2024\. \d{1,2}\. \d{1,2}\./);
  });
});
