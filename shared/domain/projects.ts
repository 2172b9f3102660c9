/**
 * Build projects (구축 과제), domain brief §4: the 6-month stabilisation period is part of the project
 * period (its last six months), and 1 year of free after-service follows completion. Budget rules per
 * programme are data: the large–SME win-win factory splits large company 30 : SME 40 : government 30.
 */
import { addDays, addMonths, addYears } from './dates.ts';
import { TYPE_GUIDANCE } from './programmes.ts';

export const STABILISATION_MONTHS = 6;
export const FREE_AS_YEARS = 1;

export const PROGRAMMES = Object.values(TYPE_GUIDANCE).flatMap((g) => g.programmes);
export const PROGRAMME_IDS = PROGRAMMES.map((p) => p.id) as [string, ...string[]];

export const GRADES = ['special', 'senior', 'intermediate', 'junior'] as const;
export type Grade = (typeof GRADES)[number];
export type GradeCounts = Partial<Record<Grade, number>>;

export interface Windows {
  /** First and last day of the stabilisation period (inside the project period). */
  stabilisation: { from: string; to: string };
  /** First and last day of the free after-service year. */
  freeAs: { from: string; to: string };
}

/** The stabilisation period ends with the project; free after-service starts the day after completion. */
export function projectWindows(startsOn: string, endsOn: string): Windows {
  const stabFrom = addDays(addMonths(endsOn, -STABILISATION_MONTHS), 1);
  return {
    stabilisation: { from: stabFrom < startsOn ? startsOn : stabFrom, to: endsOn },
    freeAs: { from: addDays(endsOn, 1), to: addYears(endsOn, FREE_AS_YEARS) },
  };
}

/** Where a date falls in the project's life. */
export function phaseOn(w: Windows, startsOn: string, day: string): 'before' | 'build' | 'stabilisation' | 'free_as' | 'after' {
  if (day < startsOn) return 'before';
  if (day < w.stabilisation.from) return 'build';
  if (day <= w.stabilisation.to) return 'stabilisation';
  if (day <= w.freeAs.to) return 'free_as';
  return 'after';
}

export interface BudgetRule {
  /** Shares in percent that must hold (± 0.5 point); `large` > 0 only where the programme has a large company. */
  shares: { gov: number; company: number; large: number } | null;
}

export const BUDGET_RULES: Record<string, BudgetRule> = {
  win_win_factory: { shares: { gov: 30, company: 40, large: 30 } },
};

export interface BudgetCheck {
  total: number;
  shares: { gov: number; company: number; large: number };
  /** i18n keys of what is wrong (empty when the split is right). */
  problems: ('validation.budgetWinWin' | 'validation.budgetLargeOnlyWinWin' | 'validation.budgetEmpty')[];
}

export function checkBudget(programme: string, gov: number, company: number, large: number): BudgetCheck {
  const total = gov + company + large;
  const pct = (n: number) => (total > 0 ? Math.round((n / total) * 1000) / 10 : 0);
  const shares = { gov: pct(gov), company: pct(company), large: pct(large) };
  const problems: BudgetCheck['problems'] = [];
  if (total <= 0) problems.push('validation.budgetEmpty');
  const rule = BUDGET_RULES[programme]?.shares;
  if (rule && total > 0 && (Math.abs(shares.gov - rule.gov) > 0.5 || Math.abs(shares.company - rule.company) > 0.5 || Math.abs(shares.large - rule.large) > 0.5)) problems.push('validation.budgetWinWin');
  if (!rule && large > 0) problems.push('validation.budgetLargeOnlyWinWin');
  return { total, shares, problems };
}

/** Engineers billed at a grade above what the declared staff can cover (counting from the top grade down). */
export function gradesBilledAboveDeclared(billed: GradeCounts, declared: GradeCounts): { grade: Grade; billed: number; covered: number }[] {
  const out: { grade: Grade; billed: number; covered: number }[] = [];
  let billedAbove = 0;
  let declaredAbove = 0;
  for (const g of GRADES) {
    billedAbove += billed[g] ?? 0;
    declaredAbove += declared[g] ?? 0;
    // Everyone billed at this grade or higher must be someone declared at this grade or higher.
    if (billedAbove > declaredAbove) out.push({ grade: g, billed: billedAbove, covered: declaredAbove });
  }
  return out;
}
