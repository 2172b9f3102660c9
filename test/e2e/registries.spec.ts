import Database from 'better-sqlite3';
import { expect, test } from './fixtures.ts';
import { INVALID_BRN, VALID_BRN, createCompany, fillCompanyForm, save, searchCompanies } from './helpers.ts';

function rows(dbFile: string, sql: string): number {
  const db = new Database(dbFile, { readonly: true, fileMustExist: true });
  try {
    return (db.prepare(sql).get() as { n: number }).n;
  } finally {
    db.close();
  }
}

test('an invalid business number is refused with a translated message and nothing is saved; fixed, it saves', async ({ app }) => {
  const { page } = app;
  await fillCompanyForm(page, { brn: INVALID_BRN, name: '대한정밀공업' });
  await save(page);
  await expect(page.getByText('유효하지 않은 사업자등록번호입니다(검증번호 불일치). 번호를 다시 확인하세요.')).toBeVisible();
  await expect(page.getByRole('alert').filter({ hasText: '입력값을 확인해 주세요' })).toBeVisible();
  expect(rows(app.dbFile, 'SELECT count(*) AS n FROM organizations')).toBe(0);
  expect(rows(app.dbFile, 'SELECT count(*) AS n FROM change_log')).toBe(0);

  await page.getByLabel('사업자등록번호').fill(VALID_BRN);
  await save(page);
  await expect(page.getByRole('heading', { level: 1, name: '대한정밀공업' })).toBeVisible();
  await expect(page.getByText(`사업자등록번호 ${VALID_BRN}`)).toBeVisible();
  expect(rows(app.dbFile, 'SELECT count(*) AS n FROM organizations')).toBe(1);
});

test('a company is found by a two-syllable part of its name and by its initial consonants', async ({ app }) => {
  const { page } = app;
  await createCompany(page, { brn: VALID_BRN, name: '대한정밀공업' });
  await createCompany(page, { brn: '101-81-00001', name: '세일테크' });
  await searchCompanies(page, '정밀');
  await expect(page.getByRole('link', { name: '대한정밀공업' })).toBeVisible();
  await expect(page.getByRole('link', { name: '세일테크' })).toHaveCount(0);
  await searchCompanies(page, 'ㄷㅎㅈㅁ');
  await expect(page.getByRole('link', { name: '대한정밀공업' })).toBeVisible();
  await searchCompanies(page, '없는회사');
  await expect(page.getByText('조건에 맞는 결과가 없습니다').first()).toBeVisible();
});

test('a duplicate business number is refused with the translated message and nothing is saved', async ({ app }) => {
  const { page } = app;
  await createCompany(page, { brn: VALID_BRN, name: '대한정밀공업' });
  await fillCompanyForm(page, { brn: '2208162517', name: '다른회사' });
  await save(page);
  await expect(page.getByText('이미 등록된 사업자등록번호입니다: 대한정밀공업').first()).toBeVisible();
  expect(rows(app.dbFile, 'SELECT count(*) AS n FROM organizations')).toBe(1);
});

test('the language switches to English and back, and the choice survives a restart', async ({ app }) => {
  let page = app.page;
  await page.getByText('English', { exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Dashboard' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Companies', exact: true })).toBeVisible();
  page = await app.restart();
  await expect(page.getByRole('heading', { level: 1, name: 'Dashboard' })).toBeVisible();
  await page.getByText('한국어', { exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name: '대시보드' })).toBeVisible();
  await expect(page.getByRole('link', { name: '중소기업', exact: true })).toBeVisible();
});

test('saved data is still there after a restart and after the process is killed', async ({ app }) => {
  await createCompany(app.page, { brn: VALID_BRN, name: '대한정밀공업' });
  let page = await app.restart();
  await searchCompanies(page, '대한');
  await expect(page.getByRole('link', { name: '대한정밀공업' })).toBeVisible();
  page = await app.restart({ crash: true });
  await searchCompanies(page, '공업');
  await expect(page.getByRole('link', { name: '대한정밀공업' })).toBeVisible();
});

test('a company is archived and restored from its page', async ({ app }) => {
  const { page } = app;
  await createCompany(page, { brn: VALID_BRN, name: '대한정밀공업' });
  await page.getByRole('button', { name: '보관' }).click();
  await page.getByRole('dialog').getByRole('button', { name: '보관' }).click();
  await expect(page.getByText('보관됨').first()).toBeVisible();
  await searchCompanies(page, '대한');
  await expect(page.getByText('조건에 맞는 결과가 없습니다').first()).toBeVisible();
  await page.getByText('보관됨', { exact: true }).click();
  await page.getByRole('link', { name: '대한정밀공업' }).click();
  await page.getByRole('button', { name: '복원' }).click();
  await expect(page.getByRole('link', { name: '수정' })).toBeVisible();
  await searchCompanies(page, '대한');
  await expect(page.getByRole('link', { name: '대한정밀공업' })).toBeVisible();
});

test('the company form works with the keyboard alone', async ({ app }) => {
  const { page } = app;
  await page.getByRole('link', { name: '중소기업', exact: true }).click();
  await page.getByRole('link', { name: '중소기업 등록' }).click();
  await page.getByLabel('사업자등록번호').focus();
  await page.keyboard.type(VALID_BRN);
  await page.keyboard.press('Tab');
  await expect(page.getByLabel('기업명')).toBeFocused();
  await page.keyboard.type('키보드정밀');
  await page.keyboard.press('Tab');
  await page.keyboard.type('이키보');
  await page.keyboard.press('Tab');
  await expect(page.getByRole('textbox', { name: '시·도' })).toBeFocused();
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  await page.keyboard.press('Tab');
  await page.keyboard.type('25');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 1, name: '키보드정밀' })).toBeVisible();
});
