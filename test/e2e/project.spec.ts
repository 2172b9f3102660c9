import AxeBuilder from '@axe-core/playwright';
import fs from 'node:fs';
import { expect, test } from './fixtures.ts';
import { VALID_BRN, drawSignature } from './helpers.ts';

test('a build project: sanctioned suppliers refused, windows, a usage import, a post-build check signed and locked, the track record', async ({ app }) => {
  const { page } = app;
  await page.evaluate(async (brn) => {
    const call = async (name: string, input: unknown) => {
      const r = (await window.dx.invoke(name, input)) as { ok: boolean; value: { id: string } };
      if (!r.ok) throw new Error(`${name}: ${JSON.stringify(r)}`);
      return r.value;
    };
    await call('companies.create', {
      brn, name: '한빛정밀', representative: '김대표', region: '41', address: '', ksicCode: '29171', industryName: '', employees: 40, foundedOn: null, notes: '', financials: [], contacts: [],
    });
    const supplier = (name: string, b: string) => call('suppliers.create', {
      brn: b, name, representative: '박공급', region: '11', address: '', ksicCode: '26299', industryName: '', employees: 30, foundedOn: null, notes: '', financials: [], contacts: [], techFields: ['mes'], buildRecordCount: 10, vcInvestments: [],
    });
    await supplier('믿음솔루션', '101-81-00001');
    const bad = await supplier('부정솔루션', '124-81-00998');
    await call('sanctions.save', { orgId: bad.id, kind: 'payback', foundOn: '2025-01-10', decidedOn: '2025-02-01', decision: '참여제한 5년', clawbackKrw: 50_000_000, projectRef: '' });
  }, VALID_BRN);

  await page.getByRole('link', { name: '중소기업', exact: true }).click();
  await page.getByRole('link', { name: '한빛정밀' }).click();
  await page.getByRole('link', { name: '구축 과제 등록' }).click();
  await expect(page.getByRole('heading', { level: 1, name: '구축 과제 등록' })).toBeVisible();
  await page.getByRole('textbox', { name: '지원사업' }).click();
  await page.getByRole('option', { name: '지능형공장(기초, 자체)' }).click();
  await page.getByLabel('과제명').fill('생산실적 MES 구축');
  const suppliers = page.getByRole('textbox', { name: '공급기업' });
  await suppliers.click();
  await suppliers.fill('솔루션');
  // The sanctioned supplier is visibly flagged and cannot be picked.
  await expect(page.getByRole('option', { name: '부정솔루션 — 참여 제외' })).toBeVisible();
  await expect(page.getByRole('option', { name: '부정솔루션 — 참여 제외' })).toHaveAttribute('data-combobox-disabled', 'true');
  await page.getByRole('option', { name: '믿음솔루션' }).click();
  await page.keyboard.press('Escape');
  await page.getByLabel('협약(계약)일').fill('2025-02-20');
  await page.getByLabel('과제 시작일').fill('2025-03-01');
  await page.getByLabel('과제 종료(완료)일').fill('2025-12-31');
  await expect(page.getByTestId('windows-preview')).toHaveText('안정화 기간 2025년 7월 1일 – 2025년 12월 31일 (과제 기간의 마지막 6개월) · 무상 AS 2026년 1월 1일 – 2026년 12월 31일 (완료 후 1년)');
  await page.getByLabel('정부 지원금').fill('60000000');
  await page.getByLabel('기업 부담금').fill('40000000');
  await expect(page.getByTestId('budget-shares')).toHaveText('정부 60% · 기업 40% · 대기업 0%');
  await page.getByRole('button', { name: '저장' }).click();
  await expect(page.getByRole('heading', { level: 1, name: '생산실적 MES 구축' })).toBeVisible();
  await expect(page.getByTestId('stabilisation-window')).toContainText('2025년 7월 1일 – 2025년 12월 31일');

  // Log-in records from the MES, as the company exports them.
  await page.getByRole('tab', { name: '활용도' }).click();
  const csv = test.info().outputPath('mes-login.csv');
  const lines = ['접속일시,사용자ID'];
  for (let d = 1; d <= 28; d++) for (const u of ['kim', 'lee']) lines.push(`2025-10-${String(d).padStart(2, '0')} 08:30,${u}`);
  fs.writeFileSync(csv, `\uFEFF${lines.join('\n')}\n`);
  const chooser = page.waitForEvent('filechooser');
  await page.getByRole('button', { name: '파일 선택' }).click();
  await (await chooser).setFiles(csv);
  await expect(page.getByText('28일치를 가져왔습니다(56행, 날짜 없는 행 0개 제외).')).toBeVisible();
  await expect(page.getByTestId('usage-table').getByRole('row', { name: /안정화 기간/ })).toContainText('2');
  await expect(page.getByTestId('usage-warnings')).toContainText('접속은 있지만 자재 입출고 기록이 거의 없습니다');

  // The post-build check: answers autosave; the supplier closing makes two more items required.
  await page.getByRole('tab', { name: '사후관리 점검' }).click();
  await page.getByRole('button', { name: '새 점검' }).click();
  const item = (id: string) => page.locator(`[data-item="${id}"]`);
  for (const [id, label] of [['stab_completed', '예'], ['training_held', '예'], ['pledge_on_file', '예'], ['publish_consent', '아니오'], ['supplier_in_business', '예']] as const) {
    await item(id).getByRole('radio', { name: label, exact: true }).check();
  }
  for (const [id, v] of [['as_requests', '4'], ['as_resolved', '4'], ['use_active_users', '2'], ['use_logins_week', '10'], ['use_material_tx_month', '0']] as const) {
    await item(id).fill(v);
    await item(id).blur();
  }
  await expect(page.getByTestId('check-flags')).toContainText('주당 10회 접속하지만 자재 입출고가 0건입니다');
  expect((await new AxeBuilder({ page }).analyze()).violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')).toEqual([]);
  await page.getByRole('button', { name: '서명하고 잠그기' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByRole('textbox', { name: '점검 멘토' }).fill('김멘토');
  await drawSignature(page, dialog, '점검 멘토');
  await dialog.getByRole('button', { name: '서명하고 잠그기' }).click();
  await expect(page.getByText(/김멘토 서명 · .* \(수정 불가\)/)).toBeVisible();
  await expect(item('as_requests')).toBeDisabled();

  // The supplier's page shows how this build went.
  await page.getByRole('tab', { name: '개요' }).click();
  await page.getByRole('link', { name: '믿음솔루션' }).click();
  await expect(page.getByTestId('track-record')).toContainText('한빛정밀');
  await expect(page.getByTestId('track-record')).toContainText('4/4');
  await page.screenshot({ path: test.info().outputPath('supplier.png'), fullPage: true });
});
