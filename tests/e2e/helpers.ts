import { expect, type Browser, type BrowserContext, type Page } from '@playwright/test';

export const PASSWORD = 'autodoctor-demo';
let counter = 0;
const unique = (prefix: string) => `${prefix}-${Date.now().toString(36)}-${counter++}@e2e.test`;

/** Uncaught errors in any page fail loudly instead of leaving a blank screen to puzzle over. */
export function watchErrors(page: Page) {
  page.on('pageerror', (error) => {
    console.error(`page error on ${page.url()}: ${error.message}\n${error.stack ?? ''}`);
  });
}

async function signUpThroughPage(page: Page, name: string, email: string) {
  await page.goto('/sign-up');
  await page.getByLabel('Your name').fill(name);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill('a-long-password');
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page.getByRole('heading', { name: 'Get help with your car' })).toBeVisible();
}

/** A fresh customer, signed in through the real sign-up page. */
export async function newCustomer(browser: Browser): Promise<{ context: BrowserContext; page: Page; email: string }> {
  const context = await browser.newContext();
  const page = await context.newPage();
  watchErrors(page);
  const email = unique('customer');
  await signUpThroughPage(page, 'Casey Driver', email);
  return { context, page, email };
}

export async function signIn(page: Page, email: string, password = PASSWORD) {
  await page.goto('/sign-in');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL('**/app');
}

/** A fresh approved mechanic: applies through the page, approved by the demo admin through the API. */
export async function newMechanic(browser: Browser, tier: 'virtual_only' | 'workshop_partner' = 'virtual_only') {
  const context = await browser.newContext();
  const page = await context.newPage();
  watchErrors(page);
  const email = unique('mechanic');
  await signUpThroughPage(page, 'Morgan Wrench', email);
  await page.goto('/apply');
  if (tier === 'workshop_partner') await page.getByLabel('How you work').selectOption('workshop_partner');
  await page.getByRole('button', { name: 'Send application' }).click();
  await expect(page.getByText('Your application is being reviewed')).toBeVisible();
  const me = await (await page.request.get('/api/me')).json();
  const admin = await page.context().browser()!.newContext();
  const adminPage = await admin.newPage();
  await signIn(adminPage, 'admin@test.com');
  const approved = await adminPage.request.post(`/api/admin/mechanics/${me.user.id}/approve`, {
    data: { reason: 'e2e' },
    headers: { origin: new URL(adminPage.url()).origin },
  });
  expect(approved.ok()).toBe(true);
  await admin.close();
  await page.reload();
  await page.getByRole('switch').check();
  await expect(page.getByRole('switch')).toBeChecked();
  await expect(page.getByText('No requests right now', { exact: false }).or(page.getByTestId('queue'))).toBeVisible();
  return { context, page, email, id: me.user.id as string };
}

/** The payment step: the card form of the embedded provider, with a test card. */
export async function payWithTestCard(page: Page, card = '4242 4242 4242 4242') {
  await expect(page.getByText('charged only when a mechanic has helped you')).toBeVisible();
  await page.getByLabel('Card number').fill(card);
  await page.getByLabel('Expiry (MM/YY)').fill('12/34');
  await page.getByLabel('CVC').fill('123');
  await page.getByRole('button', { name: /^Authorise/ }).click();
}

export async function requestHelp(page: Page, options: { plan?: string; concern?: string; card?: string } = {}) {
  await page.goto('/request');
  await page.getByLabel('Make').fill('Honda');
  await page.getByLabel('Model').fill('Civic');
  await page
    .getByLabel('What is happening?')
    .fill(options.concern ?? 'Squealing from the engine bay when I start the car.');
  if (options.plan) await page.getByRole('radio', { name: new RegExp(options.plan) }).check();
  if (options.plan === 'Free') {
    await page.getByRole('button', { name: 'Find me a mechanic' }).click();
  } else {
    await page.getByRole('button', { name: 'Continue to payment' }).click();
    await payWithTestCard(page, options.card);
  }
  await expect(page.getByRole('heading', { name: 'Finding a mechanic…' })).toBeVisible();
  return page.url().split('/sessions/')[1]!;
}

export async function shot(page: Page, name: string) {
  await page.screenshot({ path: `test-results/screens/${name}.png`, fullPage: true });
}
