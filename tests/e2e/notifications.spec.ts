import { expect, test } from '@playwright/test';
import { newCustomer, newMechanic, requestHelp, shot, signIn, watchErrors } from './helpers.js';

test('the bell lights up when a mechanic accepts, and the admin reads the email in the outbox', async ({ browser }) => {
  const mechanic = await newMechanic(browser);
  const customer = await newCustomer(browser);
  const bell = customer.page.getByRole('button', { name: /^Notifications/ });
  await expect(bell).toHaveAccessibleName('Notifications');

  const sessionId = await requestHelp(customer.page);
  await mechanic.page.locator(`[data-session-id="${sessionId}"]`).getByRole('button', { name: 'Accept' }).click();
  // Live, without a reload: the count on the bell, and the notification in its panel.
  await expect(bell).toHaveAccessibleName('Notifications, 1 unread');
  await bell.click();
  const panel = customer.page.getByRole('region', { name: 'Notifications' });
  await expect(panel.getByText('Morgan Wrench accepted your request')).toBeVisible();
  await shot(customer.page, 'notifications-bell');
  await panel.getByRole('button', { name: /accepted your request/ }).click();
  await expect(customer.page).toHaveURL(new RegExp(`/sessions/${sessionId}`));
  await expect(bell).toHaveAccessibleName('Notifications');

  // No SMTP server here: the email is in Admin → Outbox, as the customer would see it.
  const adminContext = await browser.newContext();
  const admin = await adminContext.newPage();
  watchErrors(admin);
  await signIn(admin, 'admin@test.com');
  await admin.goto('/admin/outbox');
  await admin.getByLabel("Recipient's email").fill(customer.email);
  await admin.getByRole('button', { name: 'Show their emails' }).click();
  const email = admin.getByRole('button', { name: /Morgan Wrench accepted your request/ });
  await email.click();
  const rendered = admin.frameLocator('iframe[title^="Email:"]');
  await expect(rendered.getByRole('link', { name: 'Join the session' })).toBeVisible();
  await shot(admin, 'admin-outbox');
  await adminContext.close();
  await customer.context.close();
  await mechanic.context.close();
});

test('a forgotten password: the link from the email sets a new one, and it signs in', async ({ browser }) => {
  const customer = await newCustomer(browser);
  await customer.page.getByRole('button', { name: 'Sign out' }).click();
  await expect(customer.page.getByRole('link', { name: 'Create account' })).toBeVisible(); // signed out
  await customer.page.goto('/sign-in');
  await expect(customer.page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  await customer.page.getByRole('link', { name: 'Forgot your password?' }).click();
  await customer.page.getByLabel('Email').fill(customer.email);
  await customer.page.getByRole('button', { name: 'Email me a link' }).click();
  await expect(customer.page.getByText(`If ${customer.email} has an AutoDoctor account`)).toBeVisible();
  await shot(customer.page, 'forgot-password');

  // The admin's outbox holds the email (no SMTP server here); its link is the one the customer follows.
  const adminContext = await browser.newContext();
  const admin = await adminContext.newPage();
  await signIn(admin, 'admin@test.com');
  let link: string | undefined;
  await expect(async () => {
    const outbox = await (
      await admin.request.get(`/api/admin/outbox?to=${encodeURIComponent(customer.email)}&kind=password_reset`)
    ).json();
    link = String(outbox.items[0]?.text ?? '').match(/https?:\/\/\S+\/api\/auth\/reset-password\/\S+/)?.[0];
    expect(link).toBeTruthy();
  }).toPass({ timeout: 10_000 });
  await adminContext.close();

  await customer.page.goto(link!);
  await expect(customer.page.getByRole('heading', { name: 'Choose a new password' })).toBeVisible();
  await customer.page.getByLabel('New password', { exact: true }).fill('short');
  await customer.page.getByRole('button', { name: 'Set my new password' }).click();
  await expect(customer.page.getByRole('link', { name: 'Choose a password of at least 8 characters.' })).toBeVisible();
  await customer.page.getByLabel('New password', { exact: true }).fill('my-new-long-password');
  await customer.page.getByLabel('The same password again').fill('my-new-long-password');
  await customer.page.getByRole('button', { name: 'Set my new password' }).click();
  await expect(customer.page.getByRole('heading', { name: 'Password changed' })).toBeVisible();
  await signIn(customer.page, customer.email, 'my-new-long-password');
  await customer.context.close();
});

test('signing up again with a taken address says "check your email", and its owner is told', async ({ browser }) => {
  const customer = await newCustomer(browser);
  const strangerContext = await browser.newContext();
  const stranger = await strangerContext.newPage();
  watchErrors(stranger);
  await stranger.goto('/sign-up');
  await stranger.getByLabel('Your name').fill('Sam Stranger');
  await stranger.getByLabel('Email').fill(customer.email);
  await stranger.getByLabel('Password').fill('another-long-password');
  await stranger.getByRole('button', { name: 'Create account' }).click();
  await expect(stranger.getByRole('heading', { name: 'Check your email' })).toBeVisible();
  await expect(stranger.getByText(/already has an account|USER_ALREADY/i)).toHaveCount(0);
  await shot(stranger, 'sign-up-taken-address');
  await strangerContext.close();

  const adminContext = await browser.newContext();
  const admin = await adminContext.newPage();
  await signIn(admin, 'admin@test.com');
  await expect(async () => {
    const outbox = await (
      await admin.request.get(`/api/admin/outbox?to=${encodeURIComponent(customer.email)}&kind=account_exists`)
    ).json();
    expect(outbox.items[0]?.subject).toBe('You already have an AutoDoctor account');
  }).toPass({ timeout: 10_000 });
  await adminContext.close();
  await customer.context.close();
});
