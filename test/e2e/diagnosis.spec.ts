import AxeBuilder from '@axe-core/playwright';
import { execFileSync } from 'node:child_process';
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures.ts';
import { VALID_BRN, drawSignature } from './helpers.ts';

async function openSupplier(page: Page, name: string) {
  await page.getByRole('link', { name: '공급기업', exact: true }).click();
  await page.getByRole('link', { name }).click();
  await expect(page.getByRole('heading', { level: 1, name })).toBeVisible();
}

test('a supplier diagnosed on the in-depth track: level, plan, strategy, finalising, the PDF and the list', async ({ app }) => {
  const { page } = app;
  // The supplier is in the registry (the registry screens are covered elsewhere).
  await page.evaluate(async (brn) => {
    const r = (await window.dx.invoke('suppliers.create', {
      brn,
      name: '한결스마트솔루션',
      representative: '최대표',
      region: '41',
      address: '',
      ksicCode: '26299',
      industryName: '',
      employees: 40,
      foundedOn: null,
      notes: '',
      financials: [{ fiscalYear: 2025, revenue: 7_200_000_000, operatingProfit: 300_000_000 }],
      contacts: [],
      techFields: ['mes', 'ai'],
      buildRecordCount: 38,
      vcInvestments: [{ amount: 600_000_000, investedOn: '2025-03-01', investor: '한빛벤처스' }],
    })) as { ok: boolean };
    if (!r.ok) throw new Error(JSON.stringify(r));
  }, VALID_BRN);
  await openSupplier(page, '한결스마트솔루션');
  await expect(page.getByText('VC 연계 요건 충족')).toBeVisible();

  await page.getByRole('button', { name: '역량진단 시작' }).click();
  const start = page.getByRole('dialog');
  await start.getByRole('textbox', { name: '진단 유형' }).click();
  await page.getByRole('option', { name: '심층진단' }).click();
  await start.getByLabel('진단 컨설턴트').fill('정컨설');
  await start.getByRole('button', { name: '역량진단 시작' }).click();
  await expect(page.getByRole('heading', { level: 1, name: '한결스마트솔루션 역량진단' })).toBeVisible();

  const item = (id: string) => page.locator(`[data-item="${id}"]`);
  await item('t_ai').getByLabel('1 — 없음').check();
  await expect(page.getByTestId('save-state')).toContainText('자동 저장됨');
  await item('t_ai').getByPlaceholder('의견').fill('AI 적용 사례 없음, 데모 불가');
  await item('t_ai').getByPlaceholder('의견').blur();
  await item('t_digital_twin').getByLabel('3 — 3D 모니터링').check();
  await expect(page.getByTestId('diagnosis-grade')).toHaveText('Level 5');
  // The rest through the same contract the form uses; reopening shows every score.
  const id = page.url().split('/').pop() as string;
  await page.evaluate(async (id) => {
    const ids = ['m_revenue_trend', 'm_profitability', 'm_financial_health', 'm_ceo_commitment', 'm_organisation', 'm_staff_size', 'm_staff_qualification', 'm_staff_retention', 'm_certifications', 'm_quality_system', 'm_security_policy', 'm_compliance', 't_own_product', 't_product_maturity', 't_rnd_investment', 't_rnd_organisation', 't_patents', 't_big_data', 't_interoperability', 't_integration', 't_security', 't_cloud', 't_roadmap', 'p_methodology', 'p_requirements', 'p_planning', 'p_testing', 'p_stabilisation', 'p_training', 'p_after_service', 'p_utilisation', 'p_satisfaction', 'p_build_record', 'p_reference_sites', 'p_labour_cost'];
    for (const itemId of ids) await window.dx.invoke('diagnoses.saveAnswer', { diagnosisId: id, itemId, score: 4 });
  }, id);
  await page.reload();
  await expect(item('t_ai').getByLabel('1 — 없음')).toBeChecked();
  await expect(item('t_ai').getByPlaceholder('의견')).toHaveValue('AI 적용 사례 없음, 데모 불가');
  // All 37 items at 4 would be 750 points; AI at 1 loses 22.5 and the digital twin at 3 loses 7.5: 720 points, Level 3+, 30 points short of Level 2-.
  await expect(page.getByTestId('diagnosis-grade')).toHaveText('Level 3+');
  await expect(page.getByTestId('diagnosis-points')).toContainText('720.0');
  await expect(page.getByTestId('diagnosis-result')).toContainText('Level 2-까지 30.0점');

  // Finalising needs the plan and the strategy on this track.
  await page.getByRole('button', { name: '확정하고 서명' }).click();
  let dialog = page.getByRole('dialog');
  await dialog.getByRole('textbox', { name: '진단 컨설턴트' }).fill('정컨설');
  await drawSignature(page, dialog, '진단 컨설턴트');
  await dialog.getByRole('button', { name: '확정하고 서명' }).click();
  await expect(page.getByText('심층진단은 컨설팅 계획과 중기 전략이 있어야 확정할 수 있습니다.')).toBeVisible();
  await dialog.getByRole('button', { name: '취소' }).click();

  const plan = page.getByTestId('plan');
  await plan.getByRole('button', { name: '약한 항목에서 제안 받기' }).click();
  await expect(plan.getByTestId('plan-row')).toHaveCount(6);
  await expect(plan.getByTestId('plan-row').first().getByLabel('무엇을')).toHaveValue('AI 적용 역량: 1점 → 3점');
  await plan.getByTestId('plan-row').first().getByLabel('어떻게').fill('비전 검사 PoC를 고객사 2곳에서 운영');
  await plan.getByRole('button', { name: '삭제 6' }).click();
  await plan.getByRole('button', { name: '계획 저장' }).click();
  await expect(plan.getByRole('button', { name: '계획 저장' })).toHaveCount(0);
  await page.getByRole('textbox', { name: '중기 전략', exact: true }).fill('2027년 클라우드 MES 출시, 2028년 AI 품질검사 모듈 상품화');
  await page.getByRole('textbox', { name: '중기 전략', exact: true }).blur();
  await expect(page.getByTestId('save-state')).toContainText('자동 저장됨');
  expect((await new AxeBuilder({ page }).analyze()).violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')).toEqual([]);

  await page.getByRole('button', { name: '확정하고 서명' }).click();
  dialog = page.getByRole('dialog');
  await dialog.getByRole('textbox', { name: '진단 컨설턴트' }).fill('정컨설');
  await drawSignature(page, dialog, '진단 컨설턴트');
  await dialog.getByRole('textbox', { name: '공급기업 대표(확인)' }).fill('최대표');
  await drawSignature(page, dialog, '공급기업 대표(확인)');
  await dialog.getByRole('button', { name: '확정하고 서명' }).click();
  await expect(page.getByText(/확정$/).first()).toBeVisible();
  await expect(item('t_ai').getByLabel('5 — 현장 운영 사례 다수')).toBeDisabled();
  await expect(page.getByTestId('plan').getByRole('button', { name: '약한 항목에서 제안 받기' })).toHaveCount(0);

  await page.getByRole('button', { name: 'PDF 보고서' }).click();
  await page.getByRole('menuitem', { name: 'PDF 보고서 (한국어)' }).click();
  const done = page.getByTestId('export-done');
  await expect(done).toContainText('보고서를 저장했습니다');
  const file = ((await done.textContent()) ?? '').replace(/^.*저장했습니다: /, '').replace(/열기$/, '').trim();
  const text = execFileSync('pdftotext', ['-layout', file, '-']).toString('utf8');
  for (const s of ['한결스마트솔루션 공급기업 역량진단 보고서', 'Level 3+', '720.0', '컨설팅 계획', '비전 검사 PoC', '2027년 클라우드 MES 출시', '정컨설', '최대표']) expect(text, s).toContain(s);
  execFileSync('pdftoppm', ['-png', '-r', '60', '-f', '1', '-l', '1', file, test.info().outputPath('report')]);
  await page.screenshot({ path: test.info().outputPath('diagnosis.png'), fullPage: true });

  // The supplier list shows the level and sorts by it.
  await page.getByRole('link', { name: '공급기업', exact: true }).click();
  await expect(page.getByRole('row', { name: /한결스마트솔루션/ })).toContainText('Level 3+');
});

test('a sanctioned supplier is flagged in its page and in the list, and is not published on the portal', async ({ app }) => {
  const { page } = app;
  await page.evaluate(async (brn) => {
    const r = (await window.dx.invoke('suppliers.create', {
      brn, name: '부실테크', representative: '홍대표', region: '11', address: '', ksicCode: '26299', industryName: '', employees: 12, foundedOn: null, notes: '', financials: [], contacts: [], techFields: ['mes'], buildRecordCount: 5, vcInvestments: [],
    })) as { ok: boolean };
    if (!r.ok) throw new Error(JSON.stringify(r));
  }, VALID_BRN);
  await openSupplier(page, '부실테크');
  await page.getByRole('button', { name: '제재 기록 추가' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByRole('textbox', { name: '위반 유형' }).click();
  await page.getByRole('option', { name: 'SW 인건비 과다 계상' }).click();
  const today = new Date();
  const iso = `${today.getFullYear()}-${String(today.getMonth() + 1).padStart(2, '0')}-${String(today.getDate()).padStart(2, '0')}`;
  await dialog.getByLabel('적발일').fill(iso);
  await dialog.getByLabel('제재 결정일').fill(`${today.getFullYear() - 1}-01-01`);
  await dialog.getByLabel('결정 내용').fill('참여제한 5년, 환수');
  await dialog.getByRole('button', { name: '저장' }).click();
  await expect(dialog.getByText('제재 결정일은 적발일과 같거나 그 뒤여야 합니다.')).toBeVisible();
  await dialog.getByLabel('적발일').fill(`${today.getFullYear() - 1}-01-01`);
  await dialog.getByLabel('환수액').fill('85000000');
  await dialog.getByRole('button', { name: '저장' }).click();
  await expect(dialog).toHaveCount(0);
  const until = `${today.getFullYear() + 4}년 1월 1일`;
  await expect(page.getByText(`참여 제외 (${until}까지)`).first()).toBeVisible();
  await expect(page.getByText('특별점검 대상 — 이 기업의 모든 과제를 점검합니다')).toBeVisible();
  await expect(page.getByText('제재 중인 공급기업은 포털에 공개할 수 없습니다.')).toBeVisible();
  await page.getByRole('link', { name: '공급기업', exact: true }).click();
  await expect(page.getByRole('row', { name: /부실테크/ })).toContainText('참여 제외');
});
