import { expect, test } from '@playwright/test';
import { newCustomer, newMechanic, payWithTestCard, shot } from './helpers.js';

test('pay with the test card, meet the mechanic, see the charge on the receipt', async ({ browser }) => {
  const mechanic = await newMechanic(browser);
  const customer = await newCustomer(browser);
  const page = customer.page;
  await page.goto('/request');
  await page.getByLabel('Make').fill('Subaru');
  await page.getByLabel('Model').fill('Outback');
  await page.getByLabel('What is happening?').fill('The battery light came on while driving.');
  await page.getByRole('button', { name: 'Continue to payment' }).click();
  await expect(page.getByRole('heading', { name: 'Pay for Quick Chat: $9.99' })).toBeVisible();
  await expect(page.getByText('If no mechanic accepts within 15 minutes')).toBeVisible();
  await shot(page, 'payment-step');
  // A declined card first: a message a person understands, and nothing sent.
  await payWithTestCard(page, '4000 0000 0000 9995');
  await expect(page.getByText('The card has insufficient funds. Try another card.')).toBeVisible();
  await payWithTestCard(page);
  await expect(page.getByRole('heading', { name: 'Finding a mechanic…' })).toBeVisible();
  await expect(page.getByText('the hold on your card is released')).toBeVisible();
  const sessionId = page.url().split('/sessions/')[1]!;

  const card = mechanic.page.locator(`[data-session-id="${sessionId}"]`);
  await card.getByRole('button', { name: 'Accept' }).click();
  await expect(page.getByText('In session')).toBeVisible();
  await page.getByLabel('Message').fill('Is it the alternator?');
  await page.getByRole('button', { name: 'Send' }).click();
  await expect(mechanic.page.getByText('Is it the alternator?')).toBeVisible();
  await page.getByRole('button', { name: 'End session' }).click();
  await page.getByRole('button', { name: 'Yes, end it' }).click();
  await expect(page.getByTestId('money-outcome')).toContainText('Charged $9.99 to Visa •••• 4242');
  await page.getByRole('link', { name: 'Receipts' }).first().click();
  const receipt = page.getByRole('listitem', { name: /Receipt for/ });
  await expect(receipt.getByTestId('charged')).toHaveText('$9.99');
  await expect(receipt).toContainText('visa •••• 4242');
  await shot(page, 'receipts');
  await customer.context.close();
  await mechanic.context.close();
});

test('no mechanic in time: the request expires and nothing is charged', async ({ browser }) => {
  const customer = await newCustomer(browser);
  const page = customer.page;
  await page.goto('/request');
  await page.getByLabel('Make').fill('Mazda');
  await page.getByLabel('Model').fill('3');
  await page.getByLabel('What is happening?').fill('A rattle from the back seat at low speed.');
  await page.getByLabel('It’s urgent', { exact: false }).check();
  await page.getByRole('button', { name: 'Continue to payment' }).click();
  await payWithTestCard(page);
  await expect(page.getByRole('heading', { name: 'Finding a mechanic…' })).toBeVisible();
  // Urgent requests expire after URGENT_OFFER_WINDOW_SECONDS (8 s in the e2e server).
  await expect(page.getByTestId('outcome')).toContainText('No mechanic was available', { timeout: 20_000 });
  await expect(page.getByTestId('money-outcome')).toContainText('Nothing was charged', { timeout: 10_000 });
  await shot(page, 'expired-nothing-charged');
  await customer.context.close();
});
