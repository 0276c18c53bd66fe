import { AxeBuilder } from '@axe-core/playwright';
import { expect, test, type Browser, type Page } from '@playwright/test';
import { newCustomer, newMechanic, requestHelp, shot, signIn, watchErrors } from './helpers.js';

const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1280, height: 800 };

/** The customer asks for help (Quick Chat, $9.99), the mechanic accepts, the customer ends it: charged. */
async function completePaidSession(customer: Page, mechanic: Page, vehicle = { make: 'Honda', model: 'Civic' }) {
  const sessionId = await requestHelp(customer);
  await mechanic.locator(`[data-session-id="${sessionId}"]`).getByRole('button', { name: 'Accept' }).click();
  await expect(customer.getByText('In session')).toBeVisible();
  await customer.getByRole('button', { name: 'End session' }).click();
  await customer.getByRole('button', { name: 'Yes, end it' }).click();
  await expect(customer.getByTestId('money-outcome')).toContainText('Charged $9.99');
  return { sessionId, vehicle: `${vehicle.make} ${vehicle.model}` };
}

async function signedInAdmin(browser: Browser) {
  const context = await browser.newContext();
  const page = await context.newPage();
  watchErrors(page);
  await signIn(page, 'admin@test.com');
  return { context, page };
}

async function expectNoSeriousAxeViolations(page: Page, name: string) {
  const results = await new AxeBuilder({ page }).analyze();
  const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(serious.map((v) => `${name}: ${v.id} ${v.help}`)).toEqual([]);
}

/**
 * A full-page screenshot at desktop width, then at a phone's. A modal is shot as the viewport
 * shows it: its backdrop covers the viewport, not the whole page.
 */
async function shotBoth(page: Page, name: string, { modal = false } = {}) {
  const take = (file: string) =>
    modal ? page.screenshot({ path: `test-results/screens/${file}.png` }) : shot(page, file);
  await page.setViewportSize(DESKTOP);
  await take(name);
  await page.setViewportSize(PHONE);
  await take(`${name}-390px`);
  await page.setViewportSize(DESKTOP);
}

test('a mechanic completes a paid session and reads their share on the earnings page', async ({ browser }) => {
  const mechanic = await newMechanic(browser);
  const customer = await newCustomer(browser);

  // A new mechanic: nothing earned yet, said plainly.
  await mechanic.page.getByRole('link', { name: 'Earnings', exact: true }).click();
  await expect(mechanic.page.getByRole('heading', { name: 'Earnings' })).toBeVisible();
  await expect(mechanic.page.getByText('No earnings yet.')).toBeVisible();
  await shotBoth(mechanic.page, 'earnings-empty');

  await mechanic.page.getByRole('link', { name: 'My queue' }).click();
  await completePaidSession(customer.page, mechanic.page);

  await mechanic.page.getByRole('link', { name: 'Earnings', exact: true }).click();
  // Quick Chat is $9.99; the platform keeps 30 % ($3.00), the mechanic is owed the rest.
  await expect(mechanic.page.getByTestId('balance')).toHaveText('$6.99');
  await expect(mechanic.page.getByTestId('pending')).toHaveText('$6.99');
  await expect(mechanic.page.getByText('$6.99 from this week: paid once the week has ended.')).toBeVisible();
  await expect(mechanic.page.getByTestId('next-payout')).toContainText('Monday');
  const row = mechanic.page.getByRole('row', { name: /Honda Civic/ });
  await expect(row).toContainText('Quick Chat');
  await expect(row.getByTestId('net')).toHaveText('$6.99');
  await expect(mechanic.page.getByRole('row', { name: /This week — paid after it ends/ })).toContainText('$6.99');
  const statement = mechanic.page.getByRole('link', { name: 'Download statement (CSV)' });
  await expect(statement).toHaveAttribute('href', '/api/mechanic/earnings?format=csv');
  const csv = await mechanic.page.request.get('/api/mechanic/earnings?format=csv');
  expect(csv.headers()['content-type']).toContain('text/csv');
  expect(await csv.text()).toContain('6.99');
  await expectNoSeriousAxeViolations(mechanic.page, 'earnings');
  await shotBoth(mechanic.page, 'earnings');

  await customer.context.close();
  await mechanic.context.close();
});

test('an admin refunds part of a payment through the dialog; the customer sees it on the receipt', async ({
  browser,
}) => {
  test.setTimeout(120_000);
  const mechanic = await newMechanic(browser);
  const customer = await newCustomer(browser);
  const { sessionId } = await completePaidSession(customer.page, mechanic.page);
  const admin = await signedInAdmin(browser);
  const page = admin.page;

  // The list, filtered to this customer: one captured payment.
  await page.getByRole('link', { name: 'Payments', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Payments' })).toBeVisible();
  await page.getByLabel('Customer email').fill(customer.email);
  await page.getByLabel('Status').selectOption('captured');
  await page.getByRole('button', { name: 'Filter' }).click();
  await expect(page).toHaveURL(/status=captured/);
  const row = page.getByRole('row', { name: new RegExp(customer.email) });
  await expect(row).toContainText('Charged');
  await expect(row).toContainText('$9.99');
  await expect(page.getByRole('row')).toHaveCount(2); // the header and this payment
  await expectNoSeriousAxeViolations(page, 'admin payments');
  await shotBoth(page, 'admin-payments');

  // Its story: the session, and the capture booked so that it sums to zero.
  await row.getByRole('link', { name: 'Open' }).click();
  await expect(page.getByRole('heading', { name: 'Payment $9.99 · Charged' })).toBeVisible();
  await expect(page.getByRole('link', { name: `Session ${sessionId.slice(0, 8)}` })).toHaveAttribute(
    'href',
    `/admin/sessions/${sessionId}`,
  );
  const capture = page.getByTestId('ledger-transaction').filter({ hasText: 'capture' });
  await expect(capture).toContainText('+$9.99');
  await expect(capture).toContainText('-$6.99');
  await expect(capture).toContainText('-$3.00');
  await expect(capture).toContainText('Sums to zero');

  // The dialog: too much first — the server says how much is left, in words.
  await page.getByRole('button', { name: 'Refund…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Refund this payment' });
  await expect(dialog).toBeVisible();
  await expect(dialog.getByLabel('Amount (optional)')).toBeFocused();
  await dialog.getByRole('button', { name: 'Refund everything left' }).click();
  await expect(dialog.getByRole('link', { name: 'Give a reason: it is recorded in the audit log.' })).toBeVisible();
  await dialog.getByLabel('Amount (optional)').fill('20');
  await dialog.getByLabel('Reason (recorded in the audit log)').fill('The mechanic could not help with the noise.');
  await dialog.getByRole('button', { name: 'Refund $20.00' }).click();
  await expect(dialog.getByRole('link', { name: 'At most $9.99 can still be refunded.' })).toBeVisible();
  await expectNoSeriousAxeViolations(page, 'refund dialog');
  await shotBoth(page, 'refund-dialog', { modal: true });

  // Then part of it: 2.50 typed, 250 cents refunded, once.
  await dialog.getByLabel('Amount (optional)').fill('2.50');
  await dialog.getByRole('button', { name: 'Refund $2.50' }).dblclick();
  await expect(dialog).toBeHidden();
  await expect(page.getByText('Refunded $2.50. The customer sees it on their receipt.')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Refund…' })).toBeFocused();
  await expect(page.getByRole('heading', { name: 'Payment $9.99 · Partly refunded' })).toBeVisible();
  await expect(page.getByTestId('refunded')).toHaveText('$2.50');
  await expect(page.getByTestId('refunds').getByRole('listitem')).toHaveCount(1);
  await expect(page.getByTestId('ledger-transaction').filter({ hasText: 'refund' })).toContainText('Sums to zero');
  await expectNoSeriousAxeViolations(page, 'payment story');
  await shotBoth(page, 'admin-payment-story');

  // The customer's receipt.
  await customer.page.goto('/receipts');
  const receipt = customer.page.getByRole('listitem', { name: /Receipt for/ });
  await expect(receipt).toContainText('Refunded');
  await expect(receipt).toContainText('$2.50');

  // The mechanic's share of the refund is reversed in proportion.
  await mechanic.page.goto('/earnings');
  await expect(mechanic.page.getByTestId('balance')).not.toHaveText('$6.99');
  await expect(mechanic.page.getByRole('row', { name: /Honda Civic/ })).toContainText('refunded');
  await shotBoth(mechanic.page, 'earnings-after-refund');

  // The customer asks for more back; the admin declines — a note is required, the customer reads it.
  const asked = await customer.page.request.post(`/api/sessions/${sessionId}/refund-request`, {
    data: { reason: 'I still think the whole session should be refunded.' },
    headers: { origin: new URL(customer.page.url()).origin },
  });
  expect(asked.status()).toBe(201);
  await page.getByRole('link', { name: 'Refund requests' }).click();
  const request = page.getByRole('listitem', { name: `Refund request from ${customer.email}` });
  await expect(request).toContainText('I still think the whole session should be refunded.');
  await expect(request).toContainText('Charged $9.99');
  await request.getByRole('button', { name: 'Decline' }).click();
  await expect(
    request.getByRole('link', { name: 'Write why it is declined: the customer reads this note.' }),
  ).toBeVisible();
  await shotBoth(page, 'admin-refund-requests');
  await request.getByLabel('Note to the customer').fill('We refunded the part of the session that did not help.');
  await request.getByRole('button', { name: 'Decline' }).click();
  await expect(page.getByText(`Declined. ${customer.email} sees your note.`)).toBeVisible();
  await expect(request).toBeHidden(); // the queue shows what waits for a decision

  // Disputes and payouts: nothing disputed, nothing due (this week has not ended).
  await page.getByRole('link', { name: 'Disputes' }).click();
  await expect(page.getByText('No card disputes.')).toBeVisible();
  await shotBoth(page, 'admin-disputes');
  await page.getByRole('link', { name: 'Payouts' }).click();
  await page.getByRole('button', { name: 'Run payouts' }).click();
  await expect(page.getByText('Nothing was due')).toBeVisible();
  await expectNoSeriousAxeViolations(page, 'payouts');
  await shotBoth(page, 'admin-payouts');

  // The mechanic inspector sets where the mechanic's payouts go.
  await page.getByRole('link', { name: 'Mechanic inspector' }).click();
  await page.getByLabel('Name or email').fill(mechanic.email);
  await page.getByRole('button', { name: 'Search' }).click();
  await page
    .getByRole('region', { name: 'People found' })
    .getByRole('link', { name: /^Inspect/ })
    .click();
  const form = page.getByRole('form', { name: 'Payout account' });
  await form.getByLabel('Connected account id').fill('acct_');
  await form.getByRole('button', { name: 'Set account' }).click();
  await expect(form.getByRole('link', { name: /^Type a Stripe connected account id/ })).toBeVisible();
  await expect(form.getByRole('link', { name: 'Give a reason: it is recorded in the audit log.' })).toBeVisible();
  await form.getByLabel('Connected account id').fill('acct_1TestMechanic');
  await form.getByLabel('Reason (recorded in the audit log)').fill('Onboarded to Stripe Connect');
  await form.getByRole('button', { name: 'Set account' }).click();
  await expect(form.getByText('Payouts to this mechanic now go to acct_1TestMechanic.')).toBeVisible();
  await shotBoth(page, 'admin-mechanic-payout-account');

  await admin.context.close();
  await customer.context.close();
  await mechanic.context.close();
});
