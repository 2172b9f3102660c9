import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { companyDxV1 } from '#shared/instruments/company-dx-v1';
import type { Answer, Answers, Item } from '#shared/instruments/types';
import { allItems, answerScore, classify, scoreAssessment } from '#shared/scoring/assessment';

const EOK = 100_000_000;
const items = allItems(companyDxV1);

const best: Answers = {
  ceo_vision: 5,
  ceo_involvement: 5,
  ceo_budget: 'yes',
  org_dedicated: 'yes',
  org_staff: 6,
  org_roles: { done: ['data_owner', 'it_ot_admin', 'external_network', 'dx_kpi'], planned: [] },
  invest_rnd_share: 6,
  invest_equipment_share: 10,
  digital_level: 5,
  digital_scope: { done: ['output', 'quality', 'inventory', 'equipment', 'energy'], planned: [] },
  data_decisions: 5,
  ai_use: 5,
  skills_training: 'yes',
  skills_digital_share: 90,
  inv_revenue: 1200 * EOK,
  inv_margin: 15,
  inv_growth: 25,
  inv_own_funds: 12 * EOK,
  inv_finance_access: 'yes',
};

/** Worked by hand in the comment of each dimension. */
const middling: Answers = {
  ceo_vision: 3, // 0.5 ×2
  ceo_involvement: 3, // 0.5 ×1
  ceo_budget: 'partly', // 0.5 ×1  → CEO 50
  org_dedicated: 'yes', // 1 ×2
  org_staff: 2, // 0.6 ×2
  org_roles: { done: ['data_owner', 'it_ot_admin'], planned: [] }, // 0.5 ×1 → org 3.7/5 = 74
  invest_rnd_share: 1, // 0.4
  invest_equipment_share: 3, // 0.5 → invest 45
  digital_level: 3, // 0.5 ×3
  digital_scope: { done: ['output', 'quality', 'inventory'], planned: ['equipment'] }, // 3.5/5 = 0.7 ×2 → digital 58
  data_decisions: 3, // 0.5 ×2
  ai_use: 1, // 0 ×1 → data/AI 33.3
  skills_training: 'yes', // 1
  skills_digital_share: 30, // 0.5 → skills 75
  inv_revenue: 50 * EOK, // 0.4 ×2
  inv_margin: 4, // 0.5 ×2
  inv_growth: 6, // 0.6 ×1 → finance 48
  inv_own_funds: 1 * EOK, // 0.4 ×2
  inv_finance_access: 'no', // 0 ×1 → funds 26.7
};

describe('company DX instrument v1', () => {
  it('is well-formed: unique ids, known dimensions, monotone bands, a catch-all last rule', () => {
    const ids = items.map((i) => i.id);
    expect(new Set(ids).size).toBe(ids.length);
    const dims = new Set(companyDxV1.dimensions.map((d) => d.id));
    for (const item of items) {
      expect(dims.has(item.dimension), item.id).toBe(true);
      if (item.type === 'number') {
        for (let i = 1; i < item.bands.length; i++) {
          expect(item.bands[i]!.atLeast).toBeGreaterThan(item.bands[i - 1]!.atLeast);
          expect(item.bands[i]!.score).toBeGreaterThanOrEqual(item.bands[i - 1]!.score);
        }
      }
      if (item.skipIf) expect(ids).toContain(item.skipIf.item);
    }
    const last = companyDxV1.typeRules.at(-1)!;
    expect([last.minCapability, last.minInvestment]).toEqual([0, 0]);
  });
});

describe('scoreAssessment', () => {
  it('scores the best answers 100/100 and types the company excellent (우수)', () => {
    const r = scoreAssessment(companyDxV1, best);
    expect(r).toMatchObject({ capability: 100, investment: 100, type: 'excellent', complete: true, highInvestment: true, next: null });
  });

  it('scores a hand-worked average (보통) company', () => {
    const r = scoreAssessment(companyDxV1, middling);
    const dim = (id: string) => r.dimensions.find((d) => d.id === id)?.score;
    expect(dim('ceo')).toBe(50);
    expect(dim('org')).toBe(74);
    expect(dim('invest')).toBe(45);
    expect(dim('digital')).toBe(58);
    expect(dim('data_ai')).toBeCloseTo(33.3, 1);
    expect(dim('skills')).toBe(75);
    expect(dim('finance')).toBe(48);
    expect(dim('funds')).toBeCloseTo(26.7, 1);
    // (20·50 + 20·74 + 15·45 + 20·58 + 15·33.33 + 10·75) / 100 = 55.65
    expect(Math.abs(r.capability - 55.65)).toBeLessThanOrEqual(0.06);
    // (60·48 + 40·26.67) / 100 = 39.47
    expect(Math.abs(r.investment - 39.47)).toBeLessThanOrEqual(0.06);
    expect(r.type).toBe('average');
    expect(r.complete).toBe(true);
    expect(r.highInvestment).toBe(false);
    expect(r.next?.type).toBe('excellent');
    expect(r.next?.capabilityNeeded).toBeCloseTo(14.4, 0);
    expect(r.next?.investmentNeeded).toBeCloseTo(10.5, 0);
    // The steps proposed are enough to reach the next type on both axes.
    const gain = (axis: 'capability' | 'investment') =>
      r.next!.steps
        .filter((s) => companyDxV1.dimensions.find((d) => d.id === items.find((i) => i.id === s.itemId)?.dimension)?.axis === axis)
        .reduce((sum, s) => sum + s.gain, 0);
    expect(gain('capability')).toBeGreaterThanOrEqual(r.next!.capabilityNeeded);
    expect(gain('investment')).toBeGreaterThanOrEqual(r.next!.investmentNeeded);
  });

  it('names the items that moved the result: strengths and gaps ordered by axis points', () => {
    const r = scoreAssessment(companyDxV1, middling);
    // Operating margin: 60% of the axis × 2/5 of its dimension × score 0.5 = 12 points, the largest.
    expect(r.strengths[0]).toEqual({ itemId: 'inv_margin', points: 12 });
    expect(r.gaps.map((g) => g.itemId)).toContain('inv_own_funds');
    for (let i = 1; i < r.gaps.length; i++) expect(r.gaps[i - 1]!.points).toBeGreaterThanOrEqual(r.gaps[i]!.points);
  });

  it('types a company with no capability or money as weak (취약)', () => {
    const worst: Answers = Object.fromEntries(
      items.map((i): [string, Answer | null] => [
        i.id,
        i.type === 'scale' ? 1 : i.type === 'ypn' ? 'no' : i.type === 'number' ? i.min : i.type === 'donePlanned' ? { done: [], planned: [] } : null,
      ]),
    );
    const r = scoreAssessment(companyDxV1, worst);
    expect(r).toMatchObject({ capability: 0, investment: 0, type: 'weak', complete: true });
    expect(r.next?.type).toBe('average');
  });

  it('leaves unanswered items out and reports the result as provisional', () => {
    const r = scoreAssessment(companyDxV1, {});
    expect(r.complete).toBe(false);
    expect(r.capability).toBe(0);
    expect(r.missingRequired).toEqual(items.filter((i) => i.required).map((i) => i.id));
    const partial = scoreAssessment(companyDxV1, { ceo_vision: 5 });
    expect(partial.dimensions.find((d) => d.id === 'ceo')?.score).toBe(100);
    expect(partial.dimensions.find((d) => d.id === 'org')?.score).toBeNull();
    expect(partial.complete).toBe(false);
  });

  it('skips the staff count when there is no dedicated organisation, scoring it 0', () => {
    const r = scoreAssessment(companyDxV1, { ...middling, org_dedicated: 'no', org_staff: 4 });
    expect(r.items.find((i) => i.id === 'org_staff')).toMatchObject({ status: 'skipped', score: 0 });
    expect(r.missingRequired).not.toContain('org_staff');
    const noStaff = scoreAssessment(companyDxV1, { ...middling, org_dedicated: 'no', org_staff: null });
    expect(noStaff.complete).toBe(true);
  });

  it('asks for evidence on high answers of evidence items', () => {
    const high = scoreAssessment(companyDxV1, { ...middling, digital_level: 4 });
    const low = scoreAssessment(companyDxV1, middling);
    expect(high.items.find((i) => i.id === 'digital_level')?.needsEvidence).toBe(true);
    expect(low.items.find((i) => i.id === 'digital_level')?.needsEvidence).toBe(false);
  });

  it('ignores answers of the wrong kind instead of scoring them', () => {
    const item = items.find((i) => i.id === 'ceo_vision') as Item;
    expect(answerScore(item, 'yes')).toBeNull();
    expect(answerScore(item, 9)).toBeNull();
    expect(answerScore(items.find((i) => i.id === 'ceo_budget') as Item, 3)).toBeNull();
  });
});

describe('classify at the thresholds', () => {
  it.each([
    [70, 50, 'excellent'],
    [69.9, 50, 'average'],
    [70, 49.9, 'average'],
    [100, 49.9, 'average'],
    [40, 25, 'average'],
    [39.9, 100, 'weak'],
    [40, 24.9, 'weak'],
    [0, 0, 'weak'],
  ] as const)('capability %d, investment %d → %s', (cap, inv, type) => {
    expect(classify(companyDxV1, cap, inv)).toBe(type);
  });
});

/** Arbitrary answer for an item, or nothing. */
function arbAnswer(item: Item): fc.Arbitrary<Answer | undefined> {
  switch (item.type) {
    case 'scale':
      return fc.option(fc.integer({ min: 1, max: 5 }), { nil: undefined });
    case 'ypn':
      return fc.option(fc.constantFrom('no', 'partly', 'yes'), { nil: undefined });
    case 'number':
      return fc.option(fc.double({ min: item.min, max: item.max, noNaN: true }), { nil: undefined });
    case 'donePlanned':
      return fc.option(
        fc.array(fc.constantFrom('none', 'planned', 'done'), { minLength: item.options.length, maxLength: item.options.length }).map((states) => ({
          done: item.options.filter((_, i) => states[i] === 'done').map((o) => o.id),
          planned: item.options.filter((_, i) => states[i] === 'planned').map((o) => o.id),
        })),
        { nil: undefined },
      );
    case 'text':
      return fc.constant(undefined);
  }
}

/** A strictly better answer than `a` for the item, or undefined when `a` is already the best. */
function raise(item: Item, a: Answer | undefined, pick: number): Answer | undefined {
  if (a === undefined) return undefined;
  switch (item.type) {
    case 'scale':
      return typeof a === 'number' && a < 5 ? a + 1 + (pick % (5 - a)) : undefined;
    case 'ypn':
      return a === 'no' ? (pick % 2 ? 'partly' : 'yes') : a === 'partly' ? 'yes' : undefined;
    case 'number':
      return typeof a === 'number' && a < item.max ? Math.min(item.max, a + 1 + (pick % 1000) * (item.max - item.min) / 1000) : undefined;
    case 'donePlanned': {
      if (typeof a !== 'object') return undefined;
      const notDone = item.options.map((o) => o.id).filter((id) => !a.done.includes(id));
      const target = notDone[pick % Math.max(1, notDone.length)];
      if (!target) return undefined;
      return a.planned.includes(target) || pick % 2
        ? { done: [...a.done, target], planned: a.planned.filter((p) => p !== target) }
        : { done: a.done, planned: [...a.planned, target] };
    }
    case 'text':
      return undefined;
  }
}

describe('monotonicity (property)', () => {
  const answerable = items.filter((i) => i.type !== 'text');
  const answersArb = fc.record(Object.fromEntries(answerable.map((i) => [i.id, arbAnswer(i)])));

  it('raising any answer never lowers its axis score', () => {
    fc.assert(
      fc.property(answersArb, fc.nat({ max: answerable.length - 1 }), fc.nat(), (answers, idx, pick) => {
        const item = answerable[idx] as Item;
        const better = raise(item, answers[item.id], pick);
        fc.pre(better !== undefined);
        const before = scoreAssessment(companyDxV1, answers);
        const after = scoreAssessment(companyDxV1, { ...(answers as Answers), [item.id]: better });
        const axis = companyDxV1.dimensions.find((d) => d.id === item.dimension)?.axis ?? 'capability';
        expect(after[axis]).toBeGreaterThanOrEqual(before[axis]);
      }),
      { numRuns: 500 },
    );
  });
});
