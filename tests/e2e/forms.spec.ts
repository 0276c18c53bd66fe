import { AxeBuilder } from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { newCustomer, newMechanic, shot, signIn, watchErrors } from './helpers.js';

/*
 * "Trust and polish", item 1: every form says what is wrong in words — under each field, and in a
 * summary at the top that links to the fields and takes focus — clears a field's message as the
 * field changes, and never shows the validator's or the server's developer text.
 */

const SIZES = [
  ['desktop', { width: 1280, height: 800 }],
  ['phone', { width: 390, height: 844 }],
] as const;

const DEVELOPER_TEXT = ['expected', 'Invalid input', 'body.', 'The body is not valid', 'Some fields are not valid'];

async function expectNoDeveloperText(page: Page) {
  const text = await page.locator('body').innerText();
  for (const phrase of DEVELOPER_TEXT) expect(text, `the page says “${phrase}”`).not.toContain(phrase);
}

async function expectNoSeriousAxeViolations(page: Page, name: string) {
  const results = await new AxeBuilder({ page }).analyze();
  const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(serious.map((v) => `${name}: ${v.id} ${v.help} (${v.nodes.map((n) => n.target).join(', ')})`)).toEqual([]);
}

for (const [size, viewport] of SIZES) {
  test(`an empty sign-up says what to fix in words, focuses the summary, and clears as fields change (${size})`, async ({
    browser,
  }) => {
    const context = await browser.newContext({ viewport });
    const page = await context.newPage();
    watchErrors(page);
    await page.goto('/sign-up');
    await page.getByRole('button', { name: 'Create account' }).click();

    const summary = page.getByRole('alert').filter({ has: page.getByRole('heading', { name: /^Please fix/ }) });
    await expect(summary.getByRole('heading')).toHaveText('Please fix 3 things');
    await expect(summary).toBeFocused();
    await expect(summary.getByRole('link')).toHaveText([
      'Enter your name.',
      'Enter your email address.',
      'Choose a password of at least 8 characters.',
    ]);
    const email = page.getByLabel('Email');
    await expect(email).toHaveAttribute('aria-invalid', 'true');
    await expect(email).toHaveAccessibleDescription(/Enter your email address\./);
    await expectNoDeveloperText(page);
    await expectNoSeriousAxeViolations(page, 'sign-up with errors');
    await shot(page, `form-errors-sign-up-${size}`);

    // A link in the summary goes to its field; typing there clears that field's message only.
    await summary.getByRole('link', { name: 'Enter your email address.' }).click();
    await expect(email).toBeFocused();
    await email.pressSequentially('casey');
    await expect(page.getByText('Enter your email address.')).toHaveCount(0);
    await expect(email).not.toHaveAttribute('aria-invalid', 'true');
    await expect(summary.getByRole('heading')).toHaveText('Please fix 2 things');
    await expect(page.getByLabel('Your name')).toHaveAttribute('aria-invalid', 'true');

    // What is still wrong is said again on the next try, and nothing is sent until it is right.
    await page.getByLabel('Your name').fill('Casey Driver');
    await page.getByLabel('Password').fill('password');
    await page.getByRole('button', { name: 'Create account' }).click();
    await expect(summary.getByRole('link')).toHaveText([
      'Enter an email address like name@example.com.',
      'That is one of the most common passwords: choose another.',
    ]);
    await expect(summary).toBeFocused();
    await expect(page).toHaveURL(/\/sign-up$/);
    await context.close();
  });

  test(`the intake sent empty, or refused by the server, speaks plainly (${size})`, async ({ browser }) => {
    const customer = await newCustomer(browser);
    const page = customer.page;
    await page.setViewportSize(viewport);
    await page.goto('/request');
    await expect(page.getByText('Your vehicle')).toBeVisible();
    await page.getByRole('radio', { name: /Free/ }).check();
    await page.getByRole('button', { name: 'Find me a mechanic' }).click();

    const summary = page.getByRole('alert').filter({ has: page.getByRole('heading', { name: /^Please fix/ }) });
    await expect(summary).toBeFocused();
    await expect(summary.getByRole('link')).toHaveText([
      'Enter the make, for example Toyota.',
      'Enter the model, for example Corolla.',
      'Tell us what is happening — at least 10 characters.',
    ]);
    const concern = page.getByLabel('What is happening?');
    await expect(concern).toHaveAccessibleDescription(/Tell us what is happening — at least 10 characters\./);
    await expectNoDeveloperText(page);
    await shot(page, `form-errors-intake-${size}`);

    await summary.getByRole('link', { name: /^Tell us what is happening/ }).click();
    await expect(concern).toBeFocused();
    await concern.fill('Squealing from the engine bay when I start the car.');
    await expect(concern).not.toHaveAttribute('aria-invalid', 'true');
    await expect(summary.getByRole('heading')).toHaveText('Please fix 2 things');
    await page.getByLabel('Make').fill('Honda');
    await page.getByLabel('Model').fill('Civic');
    await expect(summary).toBeHidden();

    // What only the server can refuse is said in the form's words too: here the request is
    // changed on its way so that the server refuses the description (zod's "Too small: …").
    await page.route('**/api/sessions', async (route) => {
      const body = JSON.parse(route.request().postData() ?? '{}');
      await route.continue({ postData: JSON.stringify({ ...body, concern: 'short' }) });
    });
    await page.getByRole('button', { name: 'Find me a mechanic' }).click();
    await expect(summary.getByRole('link')).toHaveText([
      'Tell us a little more about what is happening — at least 10 characters.',
    ]);
    await expect(summary).toBeFocused();
    await expect(concern).toHaveAttribute('aria-invalid', 'true');
    await expectNoDeveloperText(page);
    await shot(page, `form-errors-intake-server-${size}`);
    await customer.context.close();
  });
}

for (const [size, viewport] of SIZES) {
  test(`the mechanic’s profile says what is wrong in words, at the field and at the top, and forgets it on change (${size})`, async ({
    browser,
  }) => {
    const mechanic = await newMechanic(browser);
    const page = mechanic.page;
    await page.setViewportSize(viewport);
    await page.goto('/profile');
    const years = page.getByLabel('Years of experience');
    await years.fill('200');
    await page.getByRole('button', { name: 'Save profile' }).click();

    const summary = page.getByRole('alert').filter({ has: page.getByRole('heading', { name: /^Please fix/ }) });
    await expect(summary.getByRole('heading')).toHaveText('Please fix 1 thing');
    await expect(summary).toBeFocused();
    await expect(summary.getByRole('link')).toHaveText(['Years of experience must be between 0 and 80.']);
    await expect(years).toHaveAttribute('aria-invalid', 'true');
    await expect(years).toHaveAccessibleDescription(/Years of experience must be between 0 and 80\./);
    await expectNoDeveloperText(page);
    await expectNoSeriousAxeViolations(page, 'profile with errors');
    await shot(page, `form-errors-profile-${size}`);

    await summary.getByRole('link', { name: 'Years of experience must be between 0 and 80.' }).click();
    await expect(years).toBeFocused();
    await years.fill('14');
    await expect(years).not.toHaveAttribute('aria-invalid', 'true');
    await expect(summary).toBeHidden();

    // What only the server refuses is said in the form's words too: the makes are changed on
    // their way so that the server refuses one as too long (its phrase, "must be at most 40
    // characters each", is not shown).
    await page.route('**/api/mechanic/profile', async (route) => {
      if (route.request().method() !== 'PUT') return route.continue();
      const body = JSON.parse(route.request().postData() ?? '{}');
      await route.continue({ postData: JSON.stringify({ ...body, brands: ['x'.repeat(41)] }) });
    });
    await page.getByRole('button', { name: 'Save profile' }).click();
    await expect(summary.getByRole('link')).toHaveText([
      'Each make must be at most 40 characters: separate makes with commas.',
    ]);
    await expect(summary).toBeFocused();
    await expect(page.getByLabel('Makes you know best')).toHaveAttribute('aria-invalid', 'true');
    await expectNoDeveloperText(page);
    await page.unroute('**/api/mechanic/profile');
    await page.getByRole('button', { name: 'Save profile' }).click();
    await expect(page.getByText('Your profile is saved.')).toBeVisible();
    await expect(summary).toBeHidden();

    // A photo refused for too many changes: a sentence, not the server's detail.
    await page.route('**/api/mechanic/profile/photo', (route) =>
      route.fulfill({
        status: 429,
        contentType: 'application/problem+json',
        body: JSON.stringify({ code: 'RATE_LIMITED', detail: 'Too many photo changes: try again in 1234 seconds' }),
      }),
    );
    await page
      .getByLabel('Upload a photo')
      .setInputFiles({ name: 'me.png', mimeType: 'image/png', buffer: Buffer.from('not drawn: refused anyway') });
    await expect(
      page.getByRole('alert').filter({ hasText: 'You have changed your photo many times in the last hour.' }),
    ).toBeVisible();
    await expect(page.getByText('1234 seconds')).toHaveCount(0);
    await mechanic.context.close();
  });
}

test('an admin suspending a mechanic without a reason is told so in the dialog, at the field', async ({ browser }) => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  watchErrors(page);
  await signIn(page, 'admin@test.com');
  await page.goto('/admin/approvals');
  const working = page
    .getByRole('region', { name: /Approved mechanics/ })
    .getByRole('article')
    .filter({ hasText: 'mechanic.virtual@test.com' });
  await working.getByRole('button', { name: 'Suspend' }).click();
  const dialog = page.getByRole('dialog', { name: 'Suspend this mechanic' });
  await dialog.getByRole('button', { name: 'Suspend' }).click();
  const reason = dialog.getByLabel('Reason (recorded in the audit log)');
  await expect(reason).toBeFocused();
  await expect(reason).toHaveAttribute('aria-invalid', 'true');
  await expect(reason).toHaveAccessibleDescription(/Give a reason: it is recorded in the audit log\./);
  await expectNoDeveloperText(page);
  await page.screenshot({ path: 'test-results/screens/form-errors-suspend-dialog-desktop.png' });
  await reason.fill('Checking the dialog');
  await expect(dialog.getByText('Give a reason: it is recorded in the audit log.')).toHaveCount(0);
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(dialog).toBeHidden();
  await expect(working).toContainText('Approved');
  await context.close();
});

test('the webhook form lists both problems at the top, each a link to its field', async ({ browser }) => {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
  const page = await context.newPage();
  watchErrors(page);
  await signIn(page, 'admin@test.com');
  await page.goto('/admin/webhooks');
  const form = page.getByRole('form', { name: 'Add a webhook endpoint' });
  await form.getByRole('button', { name: 'Add endpoint' }).click();
  const summary = form.getByRole('alert');
  await expect(summary.getByRole('heading')).toHaveText('Please fix 2 things');
  await expect(summary).toBeFocused();
  await summary.getByRole('link', { name: 'Choose at least one event to send.' }).click();
  await expect(form.getByRole('checkbox').first()).toBeFocused();
  await form.getByRole('checkbox').nth(2).check();
  await expect(summary.getByRole('heading')).toHaveText('Please fix 1 thing');
  await form.getByLabel('URL').fill('not a url');
  await form.getByRole('button', { name: 'Add endpoint' }).click();
  await expect(summary.getByRole('link')).toHaveText([
    'Type a full web address starting with https://, like https://example.com/hooks.',
  ]);
  await expectNoDeveloperText(page);
  await shot(page, 'form-errors-webhook-phone');
  await context.close();
});
