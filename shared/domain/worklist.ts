/**
 * "What is due" (domain brief §4, 전주기 밀착 지원): the dates a mentor must not miss across their
 * companies. Pure rules over project, check, certificate and action dates; the main process feeds them
 * from the database and the UI lists the result sorted by date.
 */
import { addDays, daysBetween } from './dates.ts';
import { projectWindows } from './projects.ts';

export const DUE_KINDS = ['stabilisation_ending', 'check_due', 'year_check_due', 'free_as_closing', 'certificate_expiring', 'action_due'] as const;
export type DueKind = (typeof DUE_KINDS)[number];

/** How far ahead the worklist looks by default, and when a due item counts as "this week". */
export const DEFAULT_HORIZON_DAYS = 60;
export const SOON_DAYS = 7;
/** The post-build check is due within 30 days of completion (after the stabilisation period ends). */
export const CHECK_AFTER_COMPLETION_DAYS = 30;
/** The year-end check covers the free after-service year; one signed in its last 60 days counts. */
export const YEAR_CHECK_WINDOW_DAYS = 60;
/** Certificates are listed 90 days before they lapse (renewal takes a new confirmation visit). */
export const CERTIFICATE_NOTICE_DAYS = 90;
/** Lapsed certificates stay on the list this long so nobody misses one that ran out. */
export const CERTIFICATE_LAPSED_DAYS = 30;

export type DueStatus = 'overdue' | 'soon' | 'upcoming';

export interface DueItem {
  kind: DueKind;
  dueOn: string;
  /** The record the item is about (project, certificate or action). */
  refId: string;
}

export function dueStatus(dueOn: string, today: string): DueStatus {
  const left = daysBetween(today, dueOn);
  if (left < 0) return 'overdue';
  return left <= SOON_DAYS ? 'soon' : 'upcoming';
}

export interface ProjectDates {
  id: string;
  startsOn: string;
  endsOn: string;
  /** Days the project's signed post-build checks were made. */
  signedChecks: string[];
}

/**
 * A project's due items on `today`, looking `horizon` days ahead:
 * - the stabilisation period ending (while it runs and the end is within the horizon);
 * - the post-build check after completion, until a signed check exists (overdue after 30 days);
 * - the year-end check of the free after-service year, until a signed check made in its last 60 days exists;
 * - the free after-service window closing (while it is open and the end is within the horizon).
 */
export function projectDue(p: ProjectDates, today: string, horizon = DEFAULT_HORIZON_DAYS): DueItem[] {
  const w = projectWindows(p.startsOn, p.endsOn);
  const within = (d: string) => daysBetween(today, d) <= horizon;
  const out: DueItem[] = [];
  if (today >= w.stabilisation.from && today <= w.stabilisation.to && within(w.stabilisation.to)) {
    out.push({ kind: 'stabilisation_ending', dueOn: w.stabilisation.to, refId: p.id });
  }
  const checkDue = addDays(p.endsOn, CHECK_AFTER_COMPLETION_DAYS);
  const yearCheckFrom = addDays(w.freeAs.to, -YEAR_CHECK_WINDOW_DAYS);
  // A check signed once stabilisation is under way counts for the completion check.
  const firstDone = p.signedChecks.some((d) => d >= w.stabilisation.from);
  const yearDone = p.signedChecks.some((d) => d >= yearCheckFrom);
  if (!firstDone && !yearDone && within(checkDue)) out.push({ kind: 'check_due', dueOn: checkDue, refId: p.id });
  if (!yearDone && within(w.freeAs.to) && today >= w.freeAs.from) out.push({ kind: 'year_check_due', dueOn: w.freeAs.to, refId: p.id });
  if (today >= w.freeAs.from && today <= w.freeAs.to && within(w.freeAs.to)) out.push({ kind: 'free_as_closing', dueOn: w.freeAs.to, refId: p.id });
  return out;
}

/** A certificate that lapses within 90 days, or lapsed in the last 30, and is not revoked. */
export function certificateDue(c: { id: string; validUntil: string; revoked: boolean }, today: string): DueItem | null {
  if (c.revoked) return null;
  const left = daysBetween(today, c.validUntil);
  if (left > CERTIFICATE_NOTICE_DAYS || left < -CERTIFICATE_LAPSED_DAYS) return null;
  return { kind: 'certificate_expiring', dueOn: c.validUntil, refId: c.id };
}

/** An open follow-up action that is overdue or due within the horizon. */
export function actionDue(a: { id: string; dueOn: string | null; done: boolean }, today: string, horizon = DEFAULT_HORIZON_DAYS): DueItem | null {
  if (a.done || !a.dueOn || daysBetween(today, a.dueOn) > horizon) return null;
  return { kind: 'action_due', dueOn: a.dueOn, refId: a.id };
}

/** Earliest first; on the same day, the order of DUE_KINDS (a lapsing window before a reminder). */
export function sortDue<T extends DueItem>(items: T[]): T[] {
  return [...items].sort((a, b) => (a.dueOn < b.dueOn ? -1 : a.dueOn > b.dueOn ? 1 : DUE_KINDS.indexOf(a.kind) - DUE_KINDS.indexOf(b.kind)));
}
