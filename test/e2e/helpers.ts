import type { Locator, Page } from '@playwright/test';
import { expect } from './fixtures.ts';

export const VALID_BRN = '220-81-62517';
export const INVALID_BRN = '123-45-67890';

/** Opens the new-company form and fills the required fields the way a mentor would. */
export async function fillCompanyForm(page: Page, c: { brn: string; name: string; representative?: string; region?: string; ksic?: string }) {
  await page.getByRole('link', { name: '중소기업', exact: true }).click();
  await page.getByRole('link', { name: '중소기업 등록' }).click();
  await expect(page.getByRole('heading', { level: 1, name: '중소기업 등록' })).toBeVisible();
  await page.getByLabel('사업자등록번호').fill(c.brn);
  await page.getByLabel('기업명').fill(c.name);
  await page.getByLabel('대표자').fill(c.representative ?? '김대표');
  await page.getByRole('textbox', { name: '시·도' }).click();
  await page.getByRole('option', { name: c.region ?? '경기도' }).click();
  await page.getByLabel('표준산업분류(KSIC) 코드').fill(c.ksic ?? '29171');
}

export async function save(page: Page) {
  await page.getByRole('button', { name: '저장' }).first().click();
}

/** Creates a company through the UI and waits for its detail page. */
export async function createCompany(page: Page, c: { brn: string; name: string; region?: string }) {
  await fillCompanyForm(page, c);
  await save(page);
  await expect(page.getByRole('heading', { level: 1, name: c.name })).toBeVisible();
}

export async function searchCompanies(page: Page, query: string) {
  await page.getByRole('link', { name: '중소기업', exact: true }).click();
  const box = page.getByRole('searchbox', { name: '검색' });
  await box.fill(query);
}

/** Signs on the pad labelled `label` inside `scope` with a mouse stroke, as a person would with a pen. */
export async function drawSignature(page: Page, scope: Locator, label: string) {
  const box = await scope.getByRole('img', { name: `${label} 서명란` }).boundingBox();
  if (!box) throw new Error(`no signature pad for ${label}`);
  await page.mouse.move(box.x + 20, box.y + 80);
  await page.mouse.down();
  for (let i = 1; i <= 12; i++) await page.mouse.move(box.x + 20 + i * 25, box.y + 80 - Math.sin(i) * 40);
  await page.mouse.up();
}
