import { expect, test } from './fixtures.ts';

test('the app opens on the dashboard in Korean', async ({ app }) => {
  await expect(app.page.getByRole('heading', { level: 1, name: '대시보드' })).toBeVisible();
});
