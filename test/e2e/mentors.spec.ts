import { expect, test } from './fixtures.ts';
import { VALID_BRN, createCompany } from './helpers.ts';

test('mentors form a process + AI pair that is assigned to a company', async ({ app }) => {
  const { page } = app;
  await page.getByRole('link', { name: '멘토', exact: true }).click();
  for (const [name, expertise, affiliation] of [
    ['김공정', '공정 전문가', '마이스터'],
    ['이에이', 'AI 전문가', '과기원'],
  ] as const) {
    await page.getByRole('button', { name: '멘토 등록' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('이름').fill(name);
    await dialog.getByRole('textbox', { name: '전문분야' }).click();
    await page.getByRole('option', { name: expertise }).click();
    await dialog.getByRole('textbox', { name: '소속 유형' }).click();
    await page.getByRole('option', { name: affiliation }).click();
    await dialog.getByRole('textbox', { name: '시·도' }).click();
    await page.getByRole('option', { name: '경기도' }).click();
    await dialog.getByRole('button', { name: '저장' }).click();
    await expect(page.getByRole('button', { name })).toBeVisible();
  }

  await page.getByRole('tab', { name: '멘토 짝' }).click();
  await page.getByRole('button', { name: '짝 구성' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByRole('textbox', { name: '공정 전문가' }).click();
  await page.getByRole('option', { name: /김공정/ }).click();
  await dialog.getByRole('textbox', { name: 'AI 전문가' }).click();
  await page.getByRole('option', { name: /이에이/ }).click();
  await dialog.getByRole('button', { name: '짝 만들기' }).click();
  await expect(page.getByRole('cell', { name: '김공정' })).toBeVisible();
  await expect(page.getByRole('cell', { name: '이에이' })).toBeVisible();

  await createCompany(page, { brn: VALID_BRN, name: '대한정밀공업' });
  await page.getByRole('textbox', { name: '멘토 짝 배정' }).click();
  await page.getByRole('option', { name: '공정 김공정 · AI 이에이' }).click();
  await expect(page.getByText('공정 전문가: 김공정')).toBeVisible();
  await page.getByRole('link', { name: '중소기업', exact: true }).click();
  await expect(page.getByRole('row', { name: /대한정밀공업/ }).getByText('배정됨')).toBeVisible();
});

test('a pair must be one process expert and one AI expert', async ({ app }) => {
  const { page } = app;
  await page.evaluate(async () => {
    await window.dx.invoke('mentors.create', { name: '박공정', affiliationType: 'polytechnic', affiliationName: '', expertise: 'process', region: '48', phone: '', email: '' });
  });
  await page.getByRole('link', { name: '멘토', exact: true }).click();
  await page.getByRole('tab', { name: '멘토 짝' }).click();
  await page.getByRole('button', { name: '짝 구성' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByRole('textbox', { name: 'AI 전문가' }).click();
  await expect(page.getByText('짝이 없는 멘토가 없습니다')).toBeVisible();
  await page.keyboard.press('Escape');
  await dialog.getByRole('button', { name: '짝 만들기' }).click();
  await expect(dialog.getByText('멘토를 선택하세요.').first()).toBeVisible();
});
