import { expect, test } from '@playwright/test';

test('the built viewer renders its shell', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByTestId('app')).toBeVisible();
  await expect(page.getByRole('heading', { name: 'RadLocal' })).toBeVisible();
});
