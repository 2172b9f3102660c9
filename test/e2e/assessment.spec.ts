import AxeBuilder from '@axe-core/playwright';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { expect, test } from './fixtures.ts';
import { VALID_BRN, createCompany, drawSignature } from './helpers.ts';

const EOK = 100_000_000;

test('a visit, an assessment filled in Korean, its type, finalising and the PDF report', async ({ app }) => {
  const { page } = app;
  await createCompany(page, { brn: VALID_BRN, name: '대한정밀공업' });

  await page.getByRole('button', { name: '방문 기록' }).click();
  const visit = page.getByRole('dialog');
  await visit.getByLabel('장소').fill('안산 공장 회의실');
  await visit.getByLabel('기업 측 참석자(쉼표로 구분)').fill('김공장, 박과장');
  await visit.getByRole('button', { name: '저장' }).click();
  await expect(page.getByText('안산 공장 회의실 · 김공장, 박과장')).toBeVisible();

  await page.getByRole('button', { name: '역량평가 시작' }).click();
  await expect(page.getByRole('heading', { level: 1, name: '대한정밀공업 역량평가' })).toBeVisible();
  await expect(page.getByTestId('result-type')).toContainText('잠정');

  const item = (id: string) => page.locator(`[data-item="${id}"]`);
  // The keyboard alone answers a scale item: Tab into the group, arrows to choose.
  await item('ceo_vision').getByLabel('1 — DX 필요성을 언급하지 않음').focus();
  await page.keyboard.press('ArrowDown');
  await expect(item('ceo_vision').getByLabel('2', { exact: true })).toBeChecked();
  // A preset comment in two clicks.
  await item('ceo_vision').getByRole('button', { name: '자주 쓰는 의견' }).click();
  await page.getByRole('menuitem', { name: '현장에서 직접 확인함' }).click();
  await expect(item('ceo_vision').getByPlaceholder('의견')).toHaveValue('현장에서 직접 확인함');

  // A few answers by hand, as a mentor would (each one autosaves).
  await item('ceo_vision').getByLabel('3 — 목표는 말하지만 계획·예산이 없음').check();
  await expect(page.getByTestId('save-state')).toContainText('자동 저장됨');
  await item('ceo_involvement').getByLabel('3 — 주요 결정 때만 참여').check();
  await item('ceo_budget').getByLabel('일부').check();
  await item('org_dedicated').getByLabel('예').check();
  const staff = item('org_staff').getByRole('textbox', { name: 'DX·IT 전담 인력(명, 상근 환산)', exact: true });
  await staff.fill('2');
  await staff.blur();
  await item('digital_level').getByLabel('4 — 실시간 수집·분석').check();
  const warning = item('digital_level').getByText('높은 점수에는 증빙 사진이 필요합니다. 아직 첨부되지 않았습니다.');
  await expect(warning).toBeVisible();
  // Attach a photo of the MES screen as evidence: the warning goes.
  const photo = test.info().outputPath('mes.png');
  fs.writeFileSync(photo, Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=', 'base64'));
  const chooser = page.waitForEvent('filechooser');
  await item('digital_level').getByRole('button', { name: '증빙 사진 첨부' }).click();
  await (await chooser).setFiles(photo);
  await expect(item('digital_level').getByText('증빙 1장')).toBeVisible();
  await expect(warning).toHaveCount(0);

  // The rest through the same contract the form uses, then reopen: nothing lost.
  const id = page.url().split('/').pop() as string;
  await page.evaluate(
    async ({ id, answers }) => {
      for (const [itemId, value] of Object.entries(answers)) await window.dx.invoke('assessments.saveAnswer', { assessmentId: id, itemId, value });
    },
    {
      id,
      answers: {
        org_roles: { done: ['data_owner'], planned: [] },
        invest_rnd_share: 1,
        invest_equipment_share: 3,
        digital_scope: { done: ['output', 'quality'], planned: ['inventory'] },
        data_decisions: 3,
        ai_use: 1,
        skills_training: 'yes',
        inv_revenue: 50 * EOK,
        inv_margin: 4,
        inv_own_funds: 1 * EOK,
      },
    },
  );
  await page.reload();
  await expect(item('ceo_budget').getByLabel('일부')).toBeChecked();
  await expect(page.getByTestId('result-type')).toHaveText('보통');
  await expect(page.getByTestId('result-panel')).toContainText('지능형공장(고도화)');
  await expect(page.getByTestId('result-charts').getByRole('img', { name: /DX 역량 [\d.]+, 투자여력 [\d.]+의 위치/ })).toBeVisible();
  await expect(page.getByTestId('result-charts').locator('.recharts-radar-polygon').first()).toBeVisible();
  expect((await new AxeBuilder({ page }).analyze()).violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')).toEqual([]);

  await page.getByRole('button', { name: '확정' }).click();
  const dialog = page.getByRole('dialog');
  await expect(dialog.getByRole('button', { name: '확정' })).toBeDisabled();
  // Both mentors sign on screen.
  for (const [label, name] of [
    ['공정 전문가 멘토', '김공정'],
    ['AI 전문가 멘토', '이에이'],
  ] as const) {
    await dialog.getByRole('textbox', { name: label }).fill(name);
    await drawSignature(page, dialog, label);
  }
  await dialog.getByRole('button', { name: '확정' }).click();
  await expect(page.getByText(/^확정됨/)).toBeVisible();
  await expect(item('ceo_vision').getByLabel('5 — 목표·로드맵·예산을 직접 정하고 정기 점검')).toBeDisabled();

  await page.getByRole('button', { name: '내보내기' }).click();
  await page.getByRole('menuitem', { name: 'PDF 보고서' }).click();
  const done = page.getByTestId('export-done');
  await expect(done).toContainText('보고서를 저장했습니다');
  const file = ((await done.textContent()) ?? '').replace(/^.*저장했습니다: /, '').replace(/열기$/, '').trim();
  const text = execFileSync('pdftotext', ['-layout', file, '-']).toString('utf8');
  expect(text).toContain('대한정밀공업 DX 역량평가 보고서');
  expect(text).toContain('보통');
  expect(text).toContain('김공정');
  expect(text).toContain('이에이');
  execFileSync('pdftoppm', ['-png', '-r', '60', file, test.info().outputPath('report')]);
});
