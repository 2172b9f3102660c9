import { expect, test } from './fixtures.ts';

/**
 * Screenshots of every screen in Korean and English (test-results/screens/) for people to look at;
 * each screen must also render its page heading.
 */
test('every screen renders in Korean and English (screenshots)', async ({ app }) => {
  const { page } = app;
  const ids = await page.evaluate(async () => {
    const call = async (name: string, input: unknown) => {
      const r = (await window.dx.invoke(name, input)) as { ok: boolean; value: { id: string } };
      if (!r.ok) throw new Error(`${name}: ${JSON.stringify(r)}`);
      return r.value;
    };
    const company = await call('companies.create', {
      brn: '220-81-62517', name: '(주)대한정밀공업', representative: '김대한', region: '41', address: '경기도 안산시 단원구 산단로 12', ksicCode: '29171', industryName: '금형 부품', employees: 48,
      foundedOn: '1998-04-01', notes: '', financials: [{ fiscalYear: 2025, revenue: 12_300_000_000, operatingProfit: 540_000_000 }, { fiscalYear: 2024, revenue: 11_100_000_000, operatingProfit: -120_000_000 }],
      contacts: [{ name: '박과장', role: '생산관리', phone: '010-2222-3333', email: 'park@daehan.co.kr' }],
    });
    const supplier = await call('suppliers.create', {
      brn: '101-81-00001', name: '스마트솔루션', representative: '박공급', region: '11', address: '', ksicCode: '26221', industryName: '', employees: 40, foundedOn: null, notes: '',
      financials: [{ fiscalYear: 2025, revenue: 5_000_000_000, operatingProfit: 300_000_000 }], contacts: [], techFields: ['mes', 'ai'], buildRecordCount: 12, vcInvestments: [{ amount: 700_000_000, investedOn: '2025-03-02', investor: 'KB인베스트먼트' }],
    });
    const p = await call('mentors.create', { name: '김공정', affiliationType: 'meister', affiliationName: '前 현대자동차', expertise: 'process', region: '41', phone: '', email: '' });
    const a = await call('mentors.create', { name: '이에이', affiliationType: 'kaist_institute', affiliationName: 'KAIST', expertise: 'ai', region: '41', phone: '', email: '' });
    const pair = await call('pairs.create', { processMentorId: p.id, aiMentorId: a.id });
    await window.dx.invoke('pairs.assign', { companyId: company.id, pairId: pair.id });
    const assessment = await call('assessments.create', { companyId: company.id, visitId: null, instrumentId: 'company-dx' });
    for (const [itemId, value] of Object.entries({ ceo_vision: 4, ceo_involvement: 3, ceo_budget: 'yes', org_dedicated: 'yes', org_staff: 2, digital_level: 3 })) {
      await window.dx.invoke('assessments.saveAnswer', { assessmentId: assessment.id, itemId, value });
    }
    const diagnosis = await call('diagnoses.create', { supplierId: supplier.id, track: 'in_depth', consultantName: '정컨설', diagnosedOn: '2026-11-20', strategy: '클라우드 MES 전환' });
    for (const [i, itemId] of ['m_revenue_trend', 'm_profitability', 't_ai', 't_digital_twin', 'p_testing', 'p_satisfaction'].entries()) {
      await window.dx.invoke('diagnoses.saveAnswer', { diagnosisId: diagnosis.id, itemId, score: (i % 5) + 1 });
    }
    await window.dx.invoke('diagnoses.suggestPlan', { id: diagnosis.id });
    await window.dx.invoke('sanctions.save', { orgId: supplier.id, kind: 'false_documents', foundOn: '2025-02-01', decidedOn: '2025-03-01', decision: '참여제한 5년', clawbackKrw: 40_000_000, projectRef: '' });
    const builder = await call('suppliers.create', {
      brn: '124-81-00998', name: '믿음솔루션', representative: '최공급', region: '41', address: '', ksicCode: '26299', industryName: '', employees: 25, foundedOn: null, notes: '',
      financials: [], contacts: [], techFields: ['mes'], buildRecordCount: 8, vcInvestments: [],
    });
    const project = await call('projects.create', {
      companyId: company.id, programme: 'intelligent_basic', title: '생산실적 MES 구축', startsOn: '2026-03-01', endsOn: '2026-12-20', contractOn: '2026-02-20', finalInspectionOn: null,
      budgetGov: 60_000_000, budgetCompany: 40_000_000, budgetLarge: 0, swLabourKrw: null, scopeUnits: null, gradesBilled: {}, gradesDeclared: {}, supplierIds: [builder.id], notes: '',
    });
    const level = await call('levels.create', { companyId: company.id, projectId: project.id, assessedOn: '2026-11-20' });
    for (const [i, areaId] of ['lead_strategy', 'org_people', 'planning', 'operations', 'quality', 'information'].entries()) {
      await window.dx.invoke('levels.saveStep', { confirmationId: level.id, areaId, step: 2 + (i % 3), evidence: '현장 확인' });
    }
    return { company: company.id, assessment: assessment.id, supplier: supplier.id, diagnosis: diagnosis.id, project: project.id, level: level.id };
  });
  const screens = ['/', '/companies', '/companies/new', `/companies/${ids.company}`, '/suppliers', '/mentors', '/mentors?tab=pairs', '/assessments', `/assessments/${ids.assessment}`, `/suppliers/${ids.supplier}`, `/diagnoses/${ids.diagnosis}`, `/projects/${ids.project}`, `/levels/${ids.level}`, '/certificates', '/sync', '/settings'];
  const origin = new URL(page.url()).origin;
  for (const lang of ['ko', 'en'] as const) {
    if (lang === 'en') await page.getByRole('banner').getByText('English', { exact: true }).click();
    for (const [i, path] of screens.entries()) {
      await page.goto(`${origin}/#${path}`);
      await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
      await page.waitForLoadState('networkidle');
      await page.screenshot({ path: `test-results/screens/${lang}-${String(i).padStart(2, '0')}.png`, fullPage: true });
    }
  }
  await expect(page.getByRole('heading', { level: 1, name: 'Settings' })).toBeVisible();
});
