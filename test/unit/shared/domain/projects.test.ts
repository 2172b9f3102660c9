import { describe, expect, it } from 'vitest';
import { checkBudget, phaseOn, projectWindows } from '#shared/domain/projects';

describe('project windows', () => {
  it('puts the stabilisation period in the project’s last six months and the free after-service year after completion', () => {
    expect(projectWindows('2025-03-01', '2025-12-31')).toEqual({ stabilisation: { from: '2025-07-01', to: '2025-12-31' }, freeAs: { from: '2026-01-01', to: '2026-12-31' } });
  });

  it('handles month ends and leap years at the edges', () => {
    // Completion on 29 Feb 2028: stabilisation from 30 Aug 2027; free AS to 28 Feb 2029.
    expect(projectWindows('2027-01-01', '2028-02-29')).toEqual({ stabilisation: { from: '2027-08-30', to: '2028-02-29' }, freeAs: { from: '2028-03-01', to: '2029-02-28' } });
    // Completion on 31 Aug: six months back is 28 Feb (clamped), so stabilisation starts 1 Mar.
    expect(projectWindows('2026-01-01', '2026-08-31').stabilisation.from).toBe('2026-03-01');
    expect(projectWindows('2025-06-15', '2025-12-31').freeAs).toEqual({ from: '2026-01-01', to: '2026-12-31' });
  });

  it('never starts stabilisation before the project', () => {
    expect(projectWindows('2025-09-01', '2025-12-31').stabilisation.from).toBe('2025-09-01');
  });

  it('tells the phase of a day', () => {
    const w = projectWindows('2025-03-01', '2025-12-31');
    expect(['2025-02-28', '2025-03-01', '2025-07-01', '2025-12-31', '2026-01-01', '2026-12-31', '2027-01-01'].map((d) => phaseOn(w, '2025-03-01', d))).toEqual([
      'before',
      'build',
      'stabilisation',
      'stabilisation',
      'free_as',
      'free_as',
      'after',
    ]);
  });
});

describe('budget split', () => {
  it('requires 30:40:30 for a win-win factory, within half a point', () => {
    expect(checkBudget('win_win_factory', 30, 40, 30).problems).toEqual([]);
    expect(checkBudget('win_win_factory', 301, 399, 300).problems).toEqual([]);
    expect(checkBudget('win_win_factory', 35, 35, 30).problems).toEqual(['validation.budgetWinWin']);
  });

  it('has a large-company share only in a win-win factory, and needs some budget', () => {
    expect(checkBudget('intelligent_basic', 50, 40, 10).problems).toEqual(['validation.budgetLargeOnlyWinWin']);
    expect(checkBudget('intelligent_basic', 0, 0, 0).problems).toEqual(['validation.budgetEmpty']);
    expect(checkBudget('intelligent_basic', 60, 40, 0)).toEqual({ total: 100, shares: { gov: 60, company: 40, large: 0 }, problems: [] });
  });
});
