import { describe, expect, it } from 'vitest';
import { supplierDiagnosisV1 as inst } from '#shared/instruments/supplier-diagnosis-v1';
import { gradeFor, itemsOf, scoreDiagnosis, suggestPlan } from '#shared/scoring/diagnosis';

const all = (level: number, track: 'basic' | 'in_depth' = 'in_depth') => Object.fromEntries(itemsOf(inst, track).map((i) => [i.id, level]));

describe('supplier diagnosis instrument v1', () => {
  it('has exactly 37 items whose weights sum to 100, with unique ids', () => {
    expect(inst.items).toHaveLength(37);
    expect(inst.items.reduce((s, i) => s + i.weight, 0)).toBeCloseTo(100, 10);
    expect(new Set(inst.items.map((i) => i.id)).size).toBe(37);
  });

  it('covers management, technology and project management, each item with anchors and evidence to see', () => {
    expect(new Set(inst.items.map((i) => i.area))).toEqual(new Set(['management', 'technology', 'project']));
    for (const i of inst.items) {
      expect(i.anchors[1].ko && i.anchors[3].ko && i.anchors[5].en, i.id).toBeTruthy();
      expect(i.evidence.length, i.id).toBeGreaterThan(0);
    }
  });

  it('orders grades best first, ends at 0, and marks Level 2+ and above excellent', () => {
    const mins = inst.grades.map((g) => g.min);
    expect([...mins].sort((a, b) => b - a)).toEqual(mins);
    expect(inst.grades.at(-1)?.min).toBe(0);
    expect(inst.grades.filter((g) => g.excellent).map((g) => g.label)).toEqual(['Level 1', 'Level 2+']);
  });
});

describe('scoreDiagnosis', () => {
  it('gives 1,000 points and Level 1 for the best answers, 0 and Level 5 for the worst', () => {
    expect(scoreDiagnosis(inst, all(5), 'in_depth')).toMatchObject({ points: 1000, grade: { label: 'Level 1' }, toNextGrade: null, complete: true });
    expect(scoreDiagnosis(inst, all(1), 'in_depth')).toMatchObject({ points: 0, grade: { label: 'Level 5' } });
  });

  it('scores a middling supplier (every item 3 → 0.5) at 500 points: Level 4', () => {
    const r = scoreDiagnosis(inst, all(3), 'in_depth');
    expect(r.points).toBe(500);
    expect(r.grade.label).toBe('Level 4');
    expect(r.toNextGrade).toEqual({ label: 'Level 4+', points: 50 });
    expect(r.areas.map((a) => [a.id, a.max, a.percent])).toEqual([
      ['management', 300, 50],
      ['technology', 350, 50],
      ['project', 350, 50],
    ]);
  });

  it('rescales the basic track over its own items (in-depth items do not count)', () => {
    const basic = itemsOf(inst, 'basic');
    expect(basic.length).toBe(34);
    const r = scoreDiagnosis(inst, all(5, 'basic'), 'basic');
    expect(r.points).toBe(1000);
    expect(r.complete).toBe(true);
  });

  it('reports missing required items and points at the weakest ones for the consulting plan', () => {
    const answers = { ...all(4), t_interoperability: 1, p_after_service: 2 };
    delete (answers as Record<string, number | undefined>).m_quality_system;
    const r = scoreDiagnosis(inst, answers, 'in_depth');
    expect(r.complete).toBe(false);
    expect(r.missing).toEqual(['m_quality_system']);
    // Interoperability (weight 3, score 0) is the biggest shortfall: 3 × 10 = 30 points.
    expect(r.weakest[0]).toEqual({ itemId: 't_interoperability', score: 0, gain: 30 });
  });
});

describe('grade boundaries', () => {
  it.each([
    [1000, 'Level 1'],
    [900, 'Level 1'],
    [899.9, 'Level 2+'],
    [850, 'Level 2+'],
    [849.9, 'Level 2'],
    [650, 'Level 3'],
    [649.9, 'Level 3-'],
    [600, 'Level 3-'],
    [599.9, 'Level 4+'],
    [0, 'Level 5'],
  ])('%d points → %s', (points, label) => {
    expect(gradeFor(inst, points).label).toBe(label);
  });

  it('moves a supplier from Level 3- to Level 3 when it gains 26.5 points from 630', () => {
    expect(gradeFor(inst, 630).label).toBe('Level 3-');
    expect(gradeFor(inst, 630 + 26.5).label).toBe('Level 3');
  });
});

describe('suggestPlan (consulting plan from the weakest items)', () => {
  it('raises the largest weighted shortfalls one anchor step, with the evidence to show, due in 3 then 6 months', () => {
    const answers = { ...all(4, 'basic'), t_ai: 1, t_digital_twin: 2, m_staff_size: 1, p_testing: 3 };
    const result = scoreDiagnosis(inst, answers, 'basic');
    const plan = suggestPlan(inst, result, answers, 'ko', '2026-11-30', 4);
    expect(plan.map((p) => p.itemId)).toEqual(['t_ai', 'm_staff_size', 't_digital_twin', 'p_testing']);
    expect(plan[0]).toMatchObject({ what: 'AI 적용 역량: 1점 → 3점', dueOn: '2027-02-28' });
    expect(plan[0]?.how).toContain('시범 적용');
    expect(plan[0]?.how).toContain('시스템 시연, 참조 현장');
    expect(plan[3]).toMatchObject({ what: '시험·검수(테스트 계획·결과): 3점 → 5점', dueOn: '2027-05-30' });
    expect(suggestPlan(inst, result, answers, 'en', '2026-11-30', 1)[0]?.what).toBe('AI capability: 1 → 3');
  });

  it('suggests nothing for a perfect diagnosis', () => {
    expect(suggestPlan(inst, scoreDiagnosis(inst, all(5), 'in_depth'), all(5), 'ko', '2026-01-01')).toEqual([]);
  });
});

describe('strengths and weaknesses', () => {
  it('lists an item as a strength or a weakness, never both', () => {
    const answers = { ...all(4, 'basic'), t_ai: 2 };
    const r = scoreDiagnosis(inst, answers, 'basic');
    expect(r.strongest).toHaveLength(5);
    expect(r.weakest[0]?.itemId).toBe('t_ai');
    const strong = new Set(r.strongest.map((s) => s.itemId));
    expect(r.weakest.filter((w) => strong.has(w.itemId))).toEqual([]);
  });
});
