import { expect, test } from '@playwright/test';
import { shot, signIn, watchErrors } from './helpers.js';

/*
 * Admin → Webhooks in a real browser. The e2e server refuses private addresses (no
 * WEBHOOKS_ALLOW_PRIVATE), so the endpoint added here has a public address literal and subscribes
 * to an event no other step causes; it is deleted before the test ends. Deliveries themselves are
 * covered by tests/integration/webhooks.test.ts.
 */
test('an admin adds an endpoint, copies its secret once, opens its log and deletes it', async ({ browser }) => {
  const context = await browser.newContext({ permissions: ['clipboard-read', 'clipboard-write'] });
  const page = await context.newPage();
  watchErrors(page);
  await signIn(page, 'admin@test.com');
  await page.getByRole('navigation', { name: 'Operations' }).getByRole('link', { name: 'Webhooks' }).click();
  await expect(page.getByRole('heading', { name: 'Webhooks', level: 1 })).toBeVisible();

  const form = page.getByRole('form', { name: 'Add a webhook endpoint' });
  const add = form.getByRole('button', { name: 'Add endpoint' });
  // Nothing filled in: said at once, in words, nothing sent.
  await add.click();
  await expect(form.getByRole('link', { name: /^Type the address the events should be sent to/ })).toBeVisible();
  await expect(form.getByRole('link', { name: 'Choose at least one event to send.' })).toBeVisible();

  // An address inside the network: the server's reason under the field.
  await form.getByLabel('URL').fill('http://localhost:3100/hooks');
  await form.getByRole('checkbox', { name: /payment\.refunded/ }).check();
  await add.click();
  await expect(
    form.getByRole('link', {
      name: /The URL must lead to the public internet: localhost resolves to .*a loopback address/,
    }),
  ).toBeVisible();

  const url = `https://93.184.215.14/hooks/e2e-${Date.now()}`;
  await form.getByLabel('URL').fill(url);
  await add.click();
  const once = page.getByRole('region', { name: /copy its signing secret now/ });
  await expect(once).toContainText('It will not be shown again');
  const secret = await once.getByLabel('Signing secret').inputValue();
  expect(secret).toMatch(/^whsec_[A-Za-z0-9+/=]{40,}$/);
  await once.getByRole('button', { name: 'Copy secret' }).click();
  await expect(once.getByRole('button', { name: 'Copied' })).toBeVisible();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(secret);
  await shot(page, 'webhook-secret-once');
  await once.getByRole('button', { name: 'I have saved it' }).click();
  await expect(once).toBeHidden();

  const item = page.getByRole('listitem').filter({ hasText: url });
  await expect(item).toContainText('payment.refunded');
  await item.getByRole('button', { name: 'Deliveries' }).click();
  await expect(page).toHaveURL(/\/admin\/webhooks\?endpoint=/);
  const log = page.getByRole('region', { name: 'Delivery log' });
  await expect(log).toContainText('Nothing has been sent to this endpoint yet');

  // After a reload the secret is nowhere on the page: it was shown once.
  await page.reload();
  await expect(page.getByRole('region', { name: 'Delivery log' })).toBeVisible();
  expect(await page.content()).not.toContain(secret);

  // Deleting asks first; Escape and "Keep it" keep it.
  await item.getByRole('button', { name: 'Delete' }).click();
  const dialog = page.getByRole('dialog', { name: 'Delete this endpoint?' });
  await expect(dialog).toContainText(url);
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await item.getByRole('button', { name: 'Delete' }).click();
  await dialog.getByRole('button', { name: 'Keep it' }).click();
  await expect(dialog).toBeHidden();
  await expect(item).toBeVisible();
  await item.getByRole('button', { name: 'Delete' }).click();
  await dialog.getByRole('button', { name: 'Delete endpoint' }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByText(`The endpoint ${url} was deleted.`)).toBeVisible();
  await expect(item).toHaveCount(0);
  await expect(page).toHaveURL(/\/admin\/webhooks$/);
  await context.close();
});
