import { describe, expect, it } from 'vitest';
import { addDays, addMonths, addYears, daysBetween } from '#shared/domain/dates';
import { exclusionEnds, mayBePicked, standing, vcLink } from '#shared/domain/supplier-standing';

describe('calendar arithmetic (민법 제160조)', () => {
  it('adds months and years by the calendar, ending on the month’s last day when the day is missing', () => {
    expect(addMonths('2026-01-31', 1)).toBe('2026-02-28');
    expect(addMonths('2028-01-31', 1)).toBe('2028-02-29');
    expect(addMonths('2026-08-31', 6)).toBe('2027-02-28');
    expect(addMonths('2026-11-30', 3)).toBe('2027-02-28');
    expect(addMonths('2026-03-15', -3)).toBe('2025-12-15');
    expect(addYears('2024-02-29', 5)).toBe('2029-02-28');
    expect(addYears('2024-02-29', 4)).toBe('2028-02-29');
    expect(addYears('2026-12-31', -3)).toBe('2023-12-31');
  });

  it('adds days across month, year and leap-day boundaries', () => {
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
    expect(addDays('2027-02-28', 1)).toBe('2027-03-01');
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(daysBetween('2028-01-01', '2029-01-01')).toBe(366);
    expect(daysBetween('2027-01-01', '2026-12-31')).toBe(-1);
  });

  it('refuses a string that is not an ISO date', () => {
    expect(() => addDays('2026/01/01', 1)).toThrow(RangeError);
  });
});

describe('sanctions: five-year exclusion and Two Strike Out', () => {
  const one = [{ kind: 'payback' as const, decidedOn: '2021-06-15' }];

  it('excludes from the decision day through the same day five years later, and clears the day after', () => {
    expect(exclusionEnds('2021-06-15')).toBe('2026-06-15');
    expect(standing(one, '2021-06-14')).toEqual({ state: 'clear', findings: 0, specialInspection: false });
    expect(standing(one, '2021-06-15')).toEqual({ state: 'excluded', findings: 1, until: '2026-06-15', specialInspection: true });
    expect(standing(one, '2026-06-15')).toMatchObject({ state: 'excluded', until: '2026-06-15' });
    expect(standing(one, '2026-06-16')).toEqual({ state: 'clear', findings: 1, specialInspection: true });
  });

  it('ends an exclusion decided on 29 February on 28 February five years later', () => {
    const leap = [{ kind: 'false_documents' as const, decidedOn: '2024-02-29' }];
    expect(standing(leap, '2029-02-28')).toMatchObject({ state: 'excluded', until: '2029-02-28' });
    expect(standing(leap, '2029-03-01').state).toBe('clear');
  });

  it('bars for good at the second finding, even after the first exclusion has ended', () => {
    const two = [...one, { kind: 'inflated_labour' as const, decidedOn: '2027-01-10' }];
    expect(standing(two, '2027-01-09').state).toBe('clear');
    expect(standing(two, '2027-01-10')).toEqual({ state: 'barred', findings: 2, specialInspection: true });
    expect(standing(two, '2060-01-01').state).toBe('barred');
  });

  it('reports when a running exclusion ends', () => {
    expect(standing([{ kind: 'payback', decidedOn: '2022-01-01' }], '2024-01-01')).toMatchObject({ until: '2027-01-01' });
  });

  it('lets only a clear organisation be picked', () => {
    expect(mayBePicked(standing([], '2026-01-01'))).toBe(true);
    expect(mayBePicked(standing(one, '2024-01-01'))).toBe(false);
    expect(mayBePicked(standing([...one, ...one], '2024-01-01'))).toBe(false);
  });
});

describe('VC link', () => {
  const today = '2026-11-25';

  it('needs 5억원 of VC money in the last three years and a technology-intensive field, with reasons', () => {
    const ok = vcLink([{ amount: 300_000_000, investedOn: '2024-01-10' }, { amount: 200_000_000, investedOn: '2026-05-01' }], ['mes', 'ai'], today);
    expect(ok).toMatchObject({ eligible: true, recentKrw: 500_000_000, since: '2023-11-26', intensiveFields: ['ai'] });
    expect(ok.reasons.map((r) => r.key)).toEqual(['vcLink.amountOk', 'vcLink.fieldOk']);
  });

  it('counts an investment made exactly three years ago as outside the window, and the day after as inside', () => {
    expect(vcLink([{ amount: 500_000_000, investedOn: '2023-11-25' }], ['ai'], today)).toMatchObject({ eligible: false, recentKrw: 0 });
    expect(vcLink([{ amount: 500_000_000, investedOn: '2023-11-26' }], ['ai'], today)).toMatchObject({ eligible: true, recentKrw: 500_000_000 });
  });

  it('says how much is missing, and that the field is missing', () => {
    const short = vcLink([{ amount: 499_999_999, investedOn: '2026-01-01' }], ['mes', 'erp'], today);
    expect(short.eligible).toBe(false);
    expect(short.reasons).toEqual([
      { key: 'vcLink.amountShort', params: { amount: 499_999_999, min: 500_000_000, years: 3, short: 1 } },
      { key: 'vcLink.fieldMissing', params: {} },
    ]);
  });

  it('ignores investments dated in the future', () => {
    expect(vcLink([{ amount: 900_000_000, investedOn: '2026-11-26' }], ['big_data'], today).eligible).toBe(false);
  });
});
