import { expect, test, type Page } from '@playwright/test';
import { newCustomer, newMechanic, requestHelp, shot } from './helpers.js';

/** Minutes left on the room's countdown, read from its accessible label ("Time left in the session: 29:58"). */
async function minutesLeft(page: Page): Promise<number> {
  const label = await page.getByLabel(/^Time left in the session:/).getAttribute('aria-label');
  const [minutes, seconds] = label!.split(': ')[1]!.split(':').map(Number);
  return minutes! + seconds! / 60;
}

test('the customer adds ten minutes from the room: charged, and both countdowns move at once', async ({ browser }) => {
  const mechanic = await newMechanic(browser);
  const customer = await newCustomer(browser);
  const sessionId = await requestHelp(customer.page);
  await mechanic.page.locator(`[data-session-id="${sessionId}"]`).getByRole('button', { name: 'Accept' }).click();
  await expect(customer.page.getByText('In session')).toBeVisible();
  await expect(mechanic.page.getByText('In session')).toBeVisible();
  const before = { customer: await minutesLeft(customer.page), mechanic: await minutesLeft(mechanic.page) };
  expect(before.customer).toBeLessThanOrEqual(30);

  // The mechanic has no such button: only the customer buys time.
  await expect(mechanic.page.getByRole('button', { name: /more minutes/ })).toHaveCount(0);
  await customer.page.getByRole('button', { name: 'Add 10 more minutes for $4.99' }).click();
  await expect(customer.page.getByText('Charged at once to Visa •••• 4242')).toBeVisible();
  await shot(customer.page, 'room-extend-confirm');
  await customer.page.getByRole('button', { name: 'Pay $4.99 and add 10 minutes' }).click();
  await expect(customer.page.getByText('10 minutes added. $4.99 was charged to Visa •••• 4242.')).toBeVisible();

  // Both countdowns jump by ten minutes: the customer's from the answer, the mechanic's from the event.
  await expect.poll(() => minutesLeft(customer.page)).toBeGreaterThan(before.customer + 9);
  await expect.poll(() => minutesLeft(mechanic.page)).toBeGreaterThan(before.mechanic + 9);
  await expect(customer.page.getByText('You can add time 2 more times.')).toBeVisible();
  await shot(customer.page, 'room-extended');
  await customer.page.setViewportSize({ width: 390, height: 844 });
  await shot(customer.page, 'room-extended-phone');

  await customer.page.getByRole('button', { name: 'End session' }).click();
  await customer.page.getByRole('button', { name: 'Yes, end it' }).click();
  await expect(customer.page.getByTestId('money-outcome')).toContainText('Charged $14.98 to Visa •••• 4242');
  await customer.context.close();
  await mechanic.context.close();
});

test('a card that refuses later charges: the extension is declined in plain words and the time is unchanged', async ({
  browser,
}) => {
  const mechanic = await newMechanic(browser);
  const customer = await newCustomer(browser);
  const sessionId = await requestHelp(customer.page, { card: '4000 0000 0000 0341' });
  await mechanic.page.locator(`[data-session-id="${sessionId}"]`).getByRole('button', { name: 'Accept' }).click();
  await expect(customer.page.getByText('In session')).toBeVisible();
  const before = await minutesLeft(customer.page);
  await customer.page.getByRole('button', { name: 'Add 10 more minutes for $4.99' }).click();
  await customer.page.getByRole('button', { name: 'Pay $4.99 and add 10 minutes' }).click();
  await expect(customer.page.getByRole('alert')).toContainText('Nothing was charged and your time is unchanged.');
  expect(await minutesLeft(customer.page)).toBeLessThan(before + 1);
  await customer.context.close();
  await mechanic.context.close();
});
