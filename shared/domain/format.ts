/**
 * Locale-aware display of numbers, KRW amounts and dates. Money is stored as integer 원.
 * Korean users read large amounts in 만원 (10^4) and 억원 (10^8); English users get a compact ₩ form.
 */
const MAN = 10_000;
const EOK = 100_000_000;

function isKo(lang: string): boolean {
  return lang.startsWith('ko');
}

export function formatNumber(value: number, lang: string): string {
  return new Intl.NumberFormat(isKo(lang) ? 'ko-KR' : 'en-US').format(value);
}

/** Full amount with unit: "1,234,000원" / "₩1,234,000". */
export function formatKrwFull(amount: number, lang: string): string {
  if (isKo(lang)) return `${formatNumber(amount, lang)}원`;
  return new Intl.NumberFormat('en-US', { style: 'currency', currency: 'KRW' }).format(amount);
}

/** Short amount for tables: "12.3억원", "4,500만원", "9,000원" / "₩1.23B". */
export function formatKrw(amount: number, lang: string): string {
  if (!isKo(lang)) {
    return new Intl.NumberFormat('en-US', {
      style: 'currency',
      currency: 'KRW',
      notation: 'compact',
      maximumFractionDigits: 2,
    }).format(amount);
  }
  const sign = amount < 0 ? '-' : '';
  const abs = Math.abs(amount);
  const nf = (v: number, digits: number) =>
    new Intl.NumberFormat('ko-KR', { maximumFractionDigits: digits }).format(v);
  // 99,999,999원 rounds to 10,000만원: show it as 1억원 instead.
  if (abs >= 10_000 * EOK) return `${sign}${nf(abs / (10_000 * EOK), 1)}조원`;
  if (abs >= EOK || Math.round(abs / MAN) * MAN >= EOK) return `${sign}${nf(abs / EOK, abs >= 100 * EOK ? 0 : 1)}억원`;
  // Below 10만원 a whole number of 만 would hide too much (15,000원 is not 2만원): keep one decimal.
  if (abs >= MAN) return `${sign}${abs < 10 * MAN ? nf(abs / MAN, 1) : nf(Math.round(abs / MAN), 0)}만원`;
  return `${sign}${nf(abs, 0)}원`;
}

/** ISO date (YYYY-MM-DD) or timestamp shown as a local date. */
export function formatDate(iso: string, lang: string): string {
  const d = new Date(iso.length === 10 ? `${iso}T00:00:00Z` : iso);
  if (Number.isNaN(d.getTime())) return iso;
  return new Intl.DateTimeFormat(isKo(lang) ? 'ko-KR' : 'en-GB', {
    year: 'numeric',
    month: 'short',
    day: 'numeric',
    timeZone: iso.length === 10 ? 'UTC' : undefined,
  }).format(d);
}

export function formatDateTime(iso: string, lang: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return new Intl.DateTimeFormat(isKo(lang) ? 'ko-KR' : 'en-GB', {
    dateStyle: 'medium',
    timeStyle: 'short',
  }).format(d);
}

/** "1 Mar 2025 – 31 Dec 2025" (both ends inclusive). */
export function formatDateRange(from: string, to: string, lang: string): string {
  return `${formatDate(from, lang)} – ${formatDate(to, lang)}`;
}
