import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures.ts';
import { INVALID_BRN, VALID_BRN, createCompany, fillCompanyForm, save } from './helpers.ts';

/** Fails on any serious or critical axe violation, naming the rule and the elements. */
async function expectAccessible(page: Page, screen: string) {
  // Let data arrive and fading elements (a table's empty state) finish their transition before measuring contrast: a faded
  // text fails contrast that the settled screen passes. networkidle alone does not do it: after a hash navigation it is already
  // reached, so the list's data may still be on its way. Checked in one pass, again until it holds.
  await page.waitForLoadState('networkidle');
  const settled = () =>
    page.evaluate(
      () =>
        document.getAnimations().every((a) => !(a instanceof CSSTransition) || a.playState !== 'running') &&
        [...document.querySelectorAll('.mantine-datatable-empty-state')].every((e) => getComputedStyle(e).opacity === (e.hasAttribute('data-active') ? '1' : '0')),
    );
  await expect.poll(settled, { message: 'transitions finished' }).toBe(true);
  const results = await new AxeBuilder({ page }).analyze();
  const bad = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  const report = bad.map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => `${n.target.join(' ')} ${n.any[0]?.message ?? ''}`).slice(0, 5).join(' | ')}`);
  expect(report, `axe on ${screen}`).toEqual([]);
}

async function seed(page: Page) {
  await page.evaluate(async () => {
    const call = (name: string, input: unknown) => window.dx.invoke(name, input);
    await call('mentors.create', { name: '김공정', affiliationType: 'meister', affiliationName: '前 현대자동차', expertise: 'process', region: '41', phone: '', email: '' });
    await call('mentors.create', { name: '이에이', affiliationType: 'kaist_institute', affiliationName: 'KAIST', expertise: 'ai', region: '41', phone: '', email: '' });
    await call('suppliers.create', {
      brn: '101-81-00001', name: '스마트솔루션', representative: '박공급', region: '11', address: '', ksicCode: '26221', industryName: '', employees: 40, foundedOn: null, notes: '',
      financials: [{ fiscalYear: 2025, revenue: 5_000_000_000, operatingProfit: 300_000_000 }], contacts: [], techFields: ['mes', 'ai'], buildRecordCount: 12, vcInvestments: [],
    });
  });
}

for (const lang of ['ko', 'en'] as const) {
  test(`every screen has no serious or critical accessibility violation (${lang})`, async ({ app }) => {
    const { page } = app;
    await seed(page);
    if (lang === 'en') {
      await page.getByText('English', { exact: true }).click();
      await expect(page.getByRole('heading', { level: 1, name: 'Dashboard' })).toBeVisible();
    }
    await expectAccessible(page, 'dashboard (empty of companies)');
    if (lang === 'ko') {
      await fillCompanyForm(page, { brn: INVALID_BRN, name: '접근성정밀' });
      await save(page);
      await expect(page.getByRole('alert').first()).toBeVisible();
      await expectAccessible(page, 'company form with errors');
      await page.getByLabel('사업자등록번호').fill(VALID_BRN);
      await save(page);
      await expect(page.getByRole('heading', { level: 1, name: '접근성정밀' })).toBeVisible();
    } else {
      await createCompanyEn(page);
    }
    await expectAccessible(page, 'company detail');
    for (const path of ['/', '/companies', '/companies/new', '/suppliers', '/suppliers/new', '/mentors', '/mentors?tab=pairs', '/assessments', '/certificates', '/sync', '/settings']) {
      await page.goto(`${new URL(page.url()).origin}/#${path}`);
      await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
      await page.waitForLoadState('networkidle');
      await expectAccessible(page, path);
    }
  });
}

async function createCompanyEn(page: Page) {
  await page.evaluate(async () => {
    await window.dx.invoke('companies.create', {
      brn: '220-81-62517', name: 'Accessible Precision', representative: 'Kim', region: '41', address: '', ksicCode: '29', industryName: '', employees: 12, foundedOn: null, notes: '', financials: [], contacts: [],
    });
  });
  await page.getByRole('link', { name: 'Companies', exact: true }).click();
  await page.getByRole('link', { name: 'Accessible Precision' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Accessible Precision' })).toBeVisible();
}

test('the empty companies list and a created company pass axe', async ({ app }) => {
  await app.page.getByRole('link', { name: '중소기업', exact: true }).click();
  await expect(app.page.getByText('등록된 중소기업이 없습니다').first()).toBeVisible();
  await expectAccessible(app.page, 'empty companies list');
  await createCompany(app.page, { brn: VALID_BRN, name: '대한정밀공업' });
  await app.page.getByRole('link', { name: '중소기업', exact: true }).click();
  await expect(app.page.getByRole('link', { name: '대한정밀공업' })).toBeVisible();
  await expectAccessible(app.page, 'companies list with data');
});
