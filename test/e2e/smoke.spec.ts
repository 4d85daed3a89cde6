import { expect, test } from '@playwright/test';

test('the built viewer renders its layout and file input', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByTestId('app')).toBeVisible();
  await expect(page.getByRole('heading', { name: 'RadLocal' })).toBeVisible();
  await expect(page.getByTestId('file-input')).toHaveAttribute('multiple', '');
  await expect(page.getByTestId('viewport')).toBeVisible();
});
