/**
 * Real utilisation from the solution's own records (domain brief §4): the MES/ERP log-in export and the
 * material receiving/issuing (자재입출고) records. Rows from an imported file become daily aggregates; the
 * summary counts active users and active days over the stabilisation and free after-service windows and
 * warns when use drops or when the system is logged into but not used.
 */
import { addDays } from './dates.ts';
import type { Windows } from './projects.ts';

export type UsageKind = 'login' | 'material';

export interface UsageDay {
  kind: UsageKind;
  day: string;
  /** Distinct users seen that day (log-ins; material records may name who booked them). */
  users: string[];
  events: number;
}

const DATE_HEADERS = ['date', 'day', 'datetime', 'timestamp', 'time', 'login_time', 'logintime', '일자', '날짜', '일시', '접속일', '접속일시', '접속시간', '로그인일시', '입출고일', '입출고일자', '처리일자', '거래일자', '등록일시'];
const USER_HEADERS = ['user', 'userid', 'user_id', 'username', 'login', 'account', 'id', '사용자', '사용자id', '아이디', '계정', '사번', '작업자', '담당자', '이름', '성명'];

const norm = (h: string) => h.trim().toLowerCase().replace(/[\s_\-()]/g, '');

/** Finds the date column and (optionally) the user column by their header. */
export function detectColumns(headers: readonly string[]): { date: number; user: number | null } | null {
  const n = headers.map(norm);
  const date = n.findIndex((h) => DATE_HEADERS.map(norm).includes(h));
  if (date < 0) return null;
  const user = n.findIndex((h) => USER_HEADERS.map(norm).includes(h));
  return { date, user: user >= 0 ? user : null };
}

/** A calendar day from a cell: a Date (spreadsheet), or text like 2026-03-04, 2026.3.4, 2026/03/04 09:12, 20260304. */
export function dayOf(value: unknown): string | null {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString().slice(0, 10);
  if (typeof value !== 'string' && typeof value !== 'number') return null;
  const s = String(value).trim();
  let m = /^(\d{4})[-./년\s]*(\d{1,2})[-./월\s]*(\d{1,2})/.exec(s);
  if (!m) m = /^(\d{4})(\d{2})(\d{2})/.exec(s);
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d) return null;
  return date.toISOString().slice(0, 10);
}

function cellText(v: unknown): string | null {
  if (typeof v === 'string') return v.trim() || null;
  if (typeof v === 'number') return String(v);
  return null;
}

/** Aggregates rows into days. Rows without a readable date are counted and skipped. */
export function aggregate(kind: UsageKind, headers: readonly string[], rows: readonly (readonly unknown[])[]): { days: UsageDay[]; skipped: number } | null {
  const cols = detectColumns(headers);
  if (!cols) return null;
  const byDay = new Map<string, { users: Set<string>; events: number }>();
  let skipped = 0;
  for (const row of rows) {
    const day = dayOf(row[cols.date]);
    if (!day) {
      skipped++;
      continue;
    }
    const entry = byDay.get(day) ?? { users: new Set<string>(), events: 0 };
    entry.events++;
    const user = cols.user === null ? null : cellText(row[cols.user]);
    if (user) entry.users.add(user);
    byDay.set(day, entry);
  }
  const days = [...byDay.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([day, e]) => ({ kind, day, users: [...e.users].sort(), events: e.events }));
  return { days, skipped };
}

export interface WindowUsage {
  activeDays: number;
  activeUsers: number;
  events: number;
  /** Events per 30 days over the part of the window that has passed. */
  eventsPer30Days: number;
}

export interface UsageSummary {
  stabilisation: Record<UsageKind, WindowUsage>;
  freeAs: Record<UsageKind, WindowUsage>;
  /** Last 30 days up to `today`. */
  recent: Record<UsageKind, WindowUsage>;
  /** Log-in days per calendar month, for the chart. */
  months: { month: string; loginDays: number; materialEvents: number }[];
  warnings: ('usage.dropping' | 'usage.loggedInNotUsed' | 'usage.none')[];
}

function windowUsage(days: readonly UsageDay[], kind: UsageKind, from: string, to: string, today: string): WindowUsage {
  const end = to < today ? to : today;
  const inside = days.filter((d) => d.kind === kind && d.day >= from && d.day <= end);
  const users = new Set(inside.flatMap((d) => d.users));
  const events = inside.reduce((s, d) => s + d.events, 0);
  const span = Math.max(1, (Date.parse(`${end}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000 + 1);
  return { activeDays: inside.length, activeUsers: users.size, events, eventsPer30Days: end < from ? 0 : Math.round((events / span) * 30 * 10) / 10 };
}

/** Use drops when the last 30 days have fewer than half the log-in days per 30 of the stabilisation period. */
export const DROP_RATIO = 0.5;
/** Logged into but not used: material transactions below this share of log-ins. */
export const NOT_USED_RATIO = 0.05;

export function summariseUsage(days: readonly UsageDay[], w: Windows, today: string): UsageSummary {
  const per = (from: string, to: string) => ({ login: windowUsage(days, 'login', from, to, today), material: windowUsage(days, 'material', from, to, today) });
  const stabilisation = per(w.stabilisation.from, w.stabilisation.to);
  const freeAs = per(w.freeAs.from, w.freeAs.to);
  const recent = per(addDays(today, -29), today);
  const months = new Map<string, { loginDays: number; materialEvents: number }>();
  for (const d of days) {
    const m = months.get(d.day.slice(0, 7)) ?? { loginDays: 0, materialEvents: 0 };
    if (d.kind === 'login') m.loginDays++;
    else m.materialEvents += d.events;
    months.set(d.day.slice(0, 7), m);
  }
  const warnings: UsageSummary['warnings'] = [];
  const logins = days.filter((d) => d.kind === 'login');
  if (logins.length === 0 && days.length === 0) warnings.push('usage.none');
  const stabSpan = Math.max(1, (Date.parse(`${w.stabilisation.to}T00:00:00Z`) - Date.parse(`${w.stabilisation.from}T00:00:00Z`)) / 86_400_000 + 1);
  const stabDaysPer30 = (stabilisation.login.activeDays / stabSpan) * 30;
  if (today > w.stabilisation.to && stabilisation.login.activeDays > 0 && recent.login.activeDays < stabDaysPer30 * DROP_RATIO) warnings.push('usage.dropping');
  const loginEvents = recent.login.events || stabilisation.login.events;
  const materialEvents = recent.login.events ? recent.material.events : stabilisation.material.events;
  if (loginEvents > 0 && materialEvents < loginEvents * NOT_USED_RATIO) warnings.push('usage.loggedInNotUsed');
  return {
    stabilisation,
    freeAs,
    recent,
    months: [...months.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([month, v]) => ({ month, ...v })),
    warnings,
  };
}
