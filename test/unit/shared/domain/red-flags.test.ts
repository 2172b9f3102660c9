import { describe, expect, it } from 'vitest';
import { redFlags, type RedFlagInput } from '#shared/domain/red-flags';

const base: RedFlagInput = {
  today: '2026-06-01',
  project: { contractOn: '2025-02-20', finalInspectionOn: '2025-12-20', swLabourKrw: 60_000_000, scopeUnits: 30, gradesBilled: { senior: 2 }, gradesDeclared: { senior: 2 } },
  usage: Array.from({ length: 40 }, (_, i) => ({ kind: 'login' as const, day: `2026-01-${String((i % 28) + 1).padStart(2, '0')}`, users: ['kim'], events: 3 })),
  photos: [{ fileName: 'mes.jpg', sha256: 'a', takenAt: '2025-05-01T10:00:00.000Z' }],
  documents: [{ title: '완료보고서', datedOn: '2025-12-18', submittedOn: '2025-12-19' }],
  photoElsewhere: [],
  peerLabourPerUnit: [2_000_000, 1_800_000, 2_100_000, 1_900_000, 2_200_000],
};
const rules = (input: RedFlagInput) => redFlags(input).map((f) => f.rule);

describe('red flags: each rule fires on its pattern and stays quiet otherwise', () => {
  it('raises nothing on a clean project', () => {
    expect(redFlags(base)).toEqual([]);
  });

  it('utilisation near zero in the 90 days after the final inspection', () => {
    const idle = { ...base, usage: [{ kind: 'login' as const, day: '2025-12-22', users: ['kim'], events: 1 }, { kind: 'login' as const, day: '2025-10-01', users: ['kim'], events: 9 }] };
    expect(redFlags(idle)).toEqual([{ rule: 'near_zero_use_after_inspection', params: { days: 1, from: '2025-12-21', to: '2026-03-20' } }]);
    // Four log-in days in the window is use, not near zero; and without any import there is nothing to judge.
    const four = { ...base, usage: ['2025-12-22', '2026-01-05', '2026-02-01', '2026-03-01'].map((day) => ({ kind: 'login' as const, day, users: ['kim'], events: 1 })) };
    expect(rules(four)).toEqual([]);
    expect(rules({ ...base, usage: [] })).toEqual([]);
  });

  it('engineer grades billed above the staff declared', () => {
    expect(redFlags({ ...base, project: { ...base.project, gradesBilled: { special: 1, senior: 2 }, gradesDeclared: { senior: 3 } } })).toEqual([
      { rule: 'grades_above_declared', params: { grade: 'special', billed: 1, covered: 0 } },
    ]);
    // A senior declared may do intermediate work: billing lower than declared is fine.
    expect(rules({ ...base, project: { ...base.project, gradesBilled: { intermediate: 3 }, gradesDeclared: { senior: 1, intermediate: 2 } } })).toEqual([]);
  });

  it('labour cost out of line with the delivered scope (over twice the peers’ median per unit), or labour for nothing', () => {
    expect(redFlags({ ...base, project: { ...base.project, swLabourKrw: 150_000_000 } })).toEqual([{ rule: 'labour_vs_scope', params: { perUnit: 5_000_000, median: 2_000_000, units: 30 } }]);
    expect(rules({ ...base, project: { ...base.project, swLabourKrw: 120_000_000 } })).toEqual([]);
    expect(rules({ ...base, project: { ...base.project, scopeUnits: 0 } })).toEqual(['labour_vs_scope']);
    // Too few peers to judge.
    expect(rules({ ...base, project: { ...base.project, swLabourKrw: 150_000_000 }, peerLabourPerUnit: [1, 2] })).toEqual([]);
  });

  it('the same photo at a different company, and the same screenshot at another site of the same supplier', () => {
    const elsewhere = [{ sha256: 'a', match: 'same' as const, companyName: '다른정밀', otherCompany: true, sharedSupplier: '스마트솔루션' }];
    expect(redFlags({ ...base, photoElsewhere: elsewhere })).toEqual([
      { rule: 'photo_reused_other_company', params: { file: 'mes.jpg', company: '다른정밀', match: 'same' } },
      { rule: 'screenshot_same_supplier_sites', params: { file: 'mes.jpg', company: '다른정밀', supplier: '스마트솔루션', match: 'same' } },
    ]);
    expect(rules({ ...base, photoElsewhere: [{ sha256: 'b', match: 'same', companyName: '다른정밀', otherCompany: true, sharedSupplier: null }] })).toEqual([]);
    // A near-duplicate image (re-saved, resized) raises the same flag and says so.
    expect(redFlags({ ...base, photoElsewhere: [{ ...elsewhere[0]!, match: 'near', sharedSupplier: null }] })).toEqual([
      { rule: 'photo_reused_other_company', params: { file: 'mes.jpg', company: '다른정밀', match: 'near' } },
    ]);
  });

  it('a photo taken (by its metadata) before the contract date', () => {
    expect(redFlags({ ...base, photos: [{ fileName: 'old.jpg', sha256: 'c', takenAt: '2025-02-19T23:00:00.000Z' }] })).toEqual([
      { rule: 'photo_before_contract', params: { file: 'old.jpg', takenOn: '2025-02-19', contractOn: '2025-02-20' } },
    ]);
    expect(rules({ ...base, photos: [{ fileName: 'ok.jpg', sha256: 'c', takenAt: '2025-02-20T00:00:00.000Z' }] })).toEqual([]);
    expect(rules({ ...base, photos: [{ fileName: 'nodate.png', sha256: 'c', takenAt: null }] })).toEqual([]);
  });

  it('a document dated after it was submitted', () => {
    expect(redFlags({ ...base, documents: [{ title: '검수확인서', datedOn: '2025-12-21', submittedOn: '2025-12-20' }] })).toEqual([
      { rule: 'document_after_submission', params: { title: '검수확인서', datedOn: '2025-12-21', submittedOn: '2025-12-20' } },
    ]);
  });
});
