import AxeBuilder from '@axe-core/playwright';
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures.ts';
import { VALID_BRN, drawSignature } from './helpers.ts';

const iso = (d: Date) => `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
const daysFromToday = (n: number) => {
  const d = new Date();
  d.setDate(d.getDate() + n);
  return iso(d);
};

async function noSeriousA11yViolations(page: Page) {
  const serious = (await new AxeBuilder({ page }).analyze()).violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(serious.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
}

/** pdfsig's report on a file, with an empty NSS database (poppler needs one to check signatures). */
function pdfsig(file: string): string {
  const nss = fs.mkdtempSync(path.join(os.tmpdir(), 'dx-nss-'));
  try {
    execFileSync('certutil', ['-N', '-d', `sql:${nss}`, '--empty-password']);
    const r = spawnSync('pdfsig', ['-nssdir', `sql:${nss}`, file], { encoding: 'utf8' });
    return `${r.stdout}${r.stderr}`;
  } finally {
    fs.rmSync(nss, { recursive: true, force: true });
  }
}

async function verifyFile(page: Page, file: string) {
  const chooser = page.waitForEvent('filechooser');
  await page.getByRole('button', { name: 'PDF 선택' }).click();
  await (await chooser).setFiles(file);
}

test('from a build project to a signed level certificate: what is due, confirmation, issue, export, offline verification, tampering, revocation', async ({ app }) => {
  let { page } = app;
  const endsOn = daysFromToday(5);
  await page.evaluate(
    async ({ brn, startsOn, endsOn }) => {
      const call = async (name: string, input: unknown) => {
        const r = (await window.dx.invoke(name, input)) as { ok: boolean; value: { id: string } };
        if (!r.ok) throw new Error(`${name}: ${JSON.stringify(r)}`);
        return r.value;
      };
      const company = await call('companies.create', {
        brn, name: '한빛정밀', representative: '김대표', region: '41', address: '', ksicCode: '29171', industryName: '', employees: 40, foundedOn: null, notes: '', financials: [], contacts: [],
      });
      const supplier = await call('suppliers.create', {
        brn: '101-81-00001', name: '믿음솔루션', representative: '박공급', region: '11', address: '', ksicCode: '26299', industryName: '', employees: 30, foundedOn: null, notes: '', financials: [], contacts: [], techFields: ['mes'], buildRecordCount: 10, vcInvestments: [],
      });
      await call('projects.create', {
        companyId: company.id, programme: 'intelligent_basic', title: '자체 구축 MES', startsOn, endsOn, contractOn: null, finalInspectionOn: null,
        budgetGov: 50_000_000, budgetCompany: 50_000_000, budgetLarge: 0, swLabourKrw: null, scopeUnits: null, gradesBilled: {}, gradesDeclared: {}, supplierIds: [supplier.id], notes: '',
      });
    },
    { brn: VALID_BRN, startsOn: daysFromToday(-300), endsOn },
  );

  // The next start: the stabilisation period ends this week, so the app reminds, and the dashboard lists it.
  page = await app.restart();
  await expect(page.getByText('할 일 알림')).toBeVisible();
  await expect(page.getByText('기한 지남 0건, 이번 주 1건. 목록은 대시보드에 있습니다.')).toBeVisible();
  const due = page.getByTestId('worklist').getByRole('row', { name: /안정화 기간 종료/ });
  await expect(due).toContainText('한빛정밀');
  await expect(due).toContainText('5일 남음');
  await noSeriousA11yViolations(page);
  await page.screenshot({ path: test.info().outputPath('dashboard.png'), fullPage: true });
  await due.getByRole('link', { name: '자체 구축 MES' }).click();
  await expect(page.getByRole('heading', { level: 1, name: '자체 구축 MES' })).toBeVisible();

  // The assessor pair confirms the level of the factory the company built.
  await page.getByRole('button', { name: '수준확인 시작' }).click();
  await expect(page.getByRole('heading', { level: 1, name: '한빛정밀 수준확인' })).toBeVisible();
  await expect(page.getByRole('button', { name: '확정하고 서명' })).toBeDisabled();
  const areas = page.locator('[data-area]');
  const count = await areas.count();
  expect(count).toBeGreaterThan(8);
  for (let i = 0; i < count; i++) {
    const area = areas.nth(i);
    const id = await area.getAttribute('data-area');
    await area.getByText(id === 'analytics' ? '2' : '4', { exact: true }).click();
  }
  const evidence = page.locator('[data-area="information"] textarea');
  await evidence.fill('MES 작업지시·실적 화면, ERP 연동 로그 확인');
  await evidence.blur();
  // 850 of 900 possible points at step 4, the analytics area at step 2: 800 − 40 = 760 → Level 4, 중간2.
  await expect(page.getByTestId('capability-level')).toHaveText('Level 4');
  await expect(page.getByTestId('built-level')).toHaveText('중간2');
  await expect(page.getByTestId('level-result')).toContainText('760.0 / 1,000');
  await expect(page.getByTestId('level-result')).toContainText('공공조달');
  await noSeriousA11yViolations(page);

  await page.getByRole('button', { name: '확정하고 서명' }).click();
  const sign = page.getByRole('dialog', { name: '수준확인을 확정할까요?' });
  await sign.getByRole('textbox', { name: '책임 평가위원' }).fill('김평가');
  await drawSignature(page, sign, '책임 평가위원');
  await sign.getByRole('textbox', { name: '공동 평가위원' }).fill('이평가');
  await drawSignature(page, sign, '공동 평가위원');
  await sign.getByRole('button', { name: '확정하고 서명' }).click();
  await expect(page.getByRole('button', { name: '확정하고 서명' })).toHaveCount(0);
  await expect(page.getByText('수준확인을 확정했습니다.')).toBeVisible();
  await expect(page.locator('[data-area="planning"]').getByRole('radio', { name: '4' })).toBeDisabled();

  // Issuing: the key is made on first use; without an OS key store it is protected by a passphrase.
  const levelUrl = page.url();
  const panel = page.getByTestId('certificate-panel');
  await panel.getByRole('button', { name: '확인서 발급' }).click();
  const passDialog = page.getByRole('dialog', { name: '서명 키 암호' });
  const issued = page.getByText(/확인서를 발급했습니다: DXM-\d{4}-00001/);
  await expect(passDialog.or(issued)).toBeVisible();
  if (await passDialog.isVisible()) {
    await expect(passDialog).toContainText('8자 이상');
    await passDialog.getByLabel('암호').fill('short');
    await passDialog.getByRole('button', { name: '확인서 발급' }).click();
    await expect(passDialog).toContainText('8자');
    await passDialog.getByLabel('암호').fill('factory-2026!');
    await passDialog.getByRole('button', { name: '확인서 발급' }).click();
  }
  await expect(issued).toBeVisible();
  const number = ((await issued.textContent()) ?? '').replace(/^.*: /, '').trim();
  await expect(panel).toContainText(`수준확인서 ${number}`);

  await panel.getByRole('button', { name: 'PDF 저장' }).click();
  const saved = page.getByText(/확인서를 저장했습니다: /);
  await expect(saved).toBeVisible();
  const file = ((await saved.textContent()) ?? '').replace(/^.*저장했습니다: /, '').trim();
  expect(pdfsig(file)).toContain('Signature is Valid');
  const text = execFileSync('pdftotext', ['-layout', file, '-']).toString('utf8');
  expect(text).toContain('한빛정밀');
  expect(text).toContain(number);
  execFileSync('pdftoppm', ['-png', '-r', '60', '-f', '1', '-l', '1', file, test.info().outputPath('certificate')]);

  // Offline verification in the app: genuine; then the same file with one byte changed is not.
  await page.getByRole('link', { name: '수준확인서', exact: true }).click();
  await expect(page.getByTestId('register').getByRole('row', { name: new RegExp(number) })).toContainText('유효');
  await verifyFile(page, file);
  const result = page.getByTestId('verify-result');
  await expect(result).toContainText('위·변조되지 않은 확인서입니다');
  await expect(result).toContainText('전자서명 유효');
  await expect(result).toContainText('확인서 데이터가 해시와 일치합니다');
  await expect(result).toContainText(`대장: ${number} 유효`);
  await noSeriousA11yViolations(page);

  // One byte flipped inside the signed range (the first part of /ByteRange, before the signature itself).
  const bytes = fs.readFileSync(file);
  const range = /\/ByteRange\s*\[\s*(\d+)\s+(\d+)/.exec(bytes.toString('latin1'));
  expect(range).not.toBeNull();
  const pos = Math.floor(Number(range![2]) / 2);
  const tamperedFile = test.info().outputPath('tampered.pdf');
  const tampered = Buffer.from(bytes);
  tampered[pos] = tampered[pos]! ^ 0x01;
  fs.writeFileSync(tamperedFile, tampered);
  expect(pdfsig(tamperedFile)).not.toContain('Signature is Valid');
  await verifyFile(page, tamperedFile);
  await expect(result).toContainText('tampered.pdf: 진본이 아니거나 변경되었습니다');
  await expect(result).toContainText('서명 후 내용이 바뀌었습니다');
  await page.screenshot({ path: test.info().outputPath('verify.png'), fullPage: true });

  // Revoking keeps the certificate in the register, marked, and verification says so.
  await page.goto(levelUrl);
  await page.getByTestId('certificate-panel').getByRole('button', { name: '확인서 취소' }).click();
  const revoke = page.getByRole('dialog', { name: '확인서를 취소할까요?' });
  await revoke.getByLabel('취소 사유').fill('평가 자료 오류로 재평가 예정');
  await revoke.getByRole('button', { name: '확인서 취소' }).click();
  await expect(page.getByTestId('certificate-panel')).toContainText('취소됨');
  await page.getByRole('link', { name: '수준확인서', exact: true }).click();
  await expect(page.getByTestId('register').getByRole('row', { name: new RegExp(number) })).toContainText('평가 자료 오류로 재평가 예정');
  await verifyFile(page, file);
  await expect(result).toContainText(`대장: ${number} 취소됨 (평가 자료 오류로 재평가 예정)`);
});
