import { AxeBuilder } from '@axe-core/playwright';
import { expect, test, type Browser, type Page } from '@playwright/test';
import { newCustomer, newMechanic, requestHelp, shot, signIn, watchErrors } from './helpers.js';

/*
 * "Trust and polish", items 7 and 8: signing up as a mechanic, the terms and privacy pages, the
 * account page, and the admin console's dialogs, application details, people search and named
 * conversation.
 */

const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1280, height: 800 };
const SUPPORT = 'support@autodoctor.example';

async function expectNoSeriousAxeViolations(page: Page, name: string) {
  const results = await new AxeBuilder({ page }).analyze();
  const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(serious.map((v) => `${name}: ${v.id} ${v.help} (${v.nodes.map((n) => n.target).join(', ')})`)).toEqual([]);
}

/** Full page at a desktop's width, then at a phone's; a modal as the viewport shows it. */
async function shotBoth(page: Page, name: string, { modal = false } = {}) {
  const take = (file: string) =>
    modal ? page.screenshot({ path: `test-results/screens/${file}.png` }) : shot(page, file);
  await page.setViewportSize(DESKTOP);
  await take(name);
  await page.setViewportSize(PHONE);
  await take(`${name}-390px`);
  await page.setViewportSize(DESKTOP);
}

async function signedInAdmin(browser: Browser) {
  const context = await browser.newContext({ viewport: DESKTOP });
  const page = await context.newPage();
  watchErrors(page);
  await signIn(page, 'admin@test.com');
  return { context, page };
}

const unique = () => Math.random().toString(36).slice(2, 8);

/** Someone who signs up from "I'm a mechanic" and sends an application (pending). */
async function applyAsMechanic(page: Page, name: string, email: string) {
  await page.goto('/');
  await page.getByRole('link', { name: 'I’m a mechanic' }).click();
  await expect(page.getByRole('heading', { name: 'Work with AutoDoctor' })).toBeVisible();
  await page.getByRole('link', { name: 'Create a mechanic account' }).click();
  await expect(page.getByRole('heading', { name: 'Create your mechanic account' })).toBeVisible();
  await page.getByLabel('Your name').fill(name);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill('a-long-password');
  await page.getByRole('button', { name: 'Create account and continue' }).click();
  // The application, not the customer's intake.
  await expect(page.getByRole('heading', { name: 'Apply as a mechanic' })).toBeVisible();
  await expect(page).toHaveURL(/\/apply$/);
  await page.getByLabel('Makes you specialise in').fill('Toyota, Honda');
  await page.getByLabel('Years of experience').fill('12');
  await page.getByLabel('About you').fill('Twelve years on Japanese hybrids, mostly brakes and electrics.');
  await page.getByRole('button', { name: 'Send application' }).click();
  await expect(page.getByText('Your application is being reviewed')).toBeVisible();
}

test('signing up from “I’m a mechanic” leads to the application; the terms and privacy are a click away', async ({
  browser,
}) => {
  test.setTimeout(120_000);
  const context = await browser.newContext({ viewport: DESKTOP });
  const page = await context.newPage();
  watchErrors(page);

  // Sign-up links to both pages; the footer does too, with the support address.
  await page.goto('/sign-up?as=mechanic');
  await expect(page.getByRole('heading', { name: 'Create your mechanic account' })).toBeVisible();
  await expect(page.getByText('Step 1 of 2')).toBeVisible();
  await expectNoSeriousAxeViolations(page, 'mechanic sign-up');
  await shotBoth(page, 'sign-up-mechanic');
  const footer = page.getByRole('contentinfo');
  await expect(footer.getByRole('link', { name: `Support: ${SUPPORT}` })).toHaveAttribute('href', `mailto:${SUPPORT}`);

  await page.getByRole('main').getByRole('link', { name: 'terms of service' }).click();
  await expect(page.getByRole('heading', { name: 'Terms of service', level: 1 })).toBeVisible();
  await expect(page.getByText('charged (captured) only when a mechanic has helped you')).toBeVisible();
  await expect(page.getByRole('main').getByRole('link', { name: SUPPORT })).toBeVisible();
  await expectNoSeriousAxeViolations(page, 'terms');
  await shotBoth(page, 'terms');
  await page.goBack();

  await page.getByRole('main').getByRole('link', { name: 'privacy notice' }).click();
  await expect(page.getByRole('heading', { name: 'Privacy notice', level: 1 })).toBeVisible();
  await expect(page.getByText('How long we keep it')).toBeVisible();
  await expect(page.getByRole('main').getByRole('link', { name: SUPPORT })).toBeVisible();
  await expectNoSeriousAxeViolations(page, 'privacy');
  await shotBoth(page, 'privacy');

  // From the footer of any page, too.
  await page.goto('/');
  await footer.getByRole('link', { name: 'Terms of service' }).click();
  await expect(page).toHaveURL(/\/terms$/);
  await footer.getByRole('link', { name: 'Privacy' }).click();
  await expect(page).toHaveURL(/\/privacy$/);

  // The path itself: landing → "I'm a mechanic" → sign-up → the application.
  await applyAsMechanic(page, 'Riley Torque', `applicant-${unique()}@e2e.test`);
  await context.close();
});

test('the account page changes the name and the password; the new password signs in', async ({ browser }) => {
  test.setTimeout(120_000);
  const customer = await newCustomer(browser);
  const page = customer.page;
  await page.setViewportSize(DESKTOP);
  await page.getByRole('link', { name: 'Account' }).click();
  await expect(page.getByRole('heading', { name: 'Your account' })).toBeVisible();
  await expect(page.getByLabel('Your name')).toHaveValue('Casey Driver');
  await expectNoSeriousAxeViolations(page, 'account');
  await shotBoth(page, 'account');

  // The name: refused empty, saved otherwise, and the app says the new one.
  await page.getByLabel('Your name').fill('  ');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('link', { name: 'Your name is required.' })).toBeVisible();
  await expect(page.getByLabel('Your name')).toHaveAccessibleDescription(/Your name is required\./);
  await page.getByLabel('Your name').fill('Casey Renamed');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByText('Saved.')).toBeVisible();
  await page.getByRole('link', { name: 'My sessions' }).click();
  await expect(page.getByText('Hello, Casey Renamed')).toBeVisible();

  // The password: a wrong current one and a mistyped repeat are said plainly, then it changes.
  await page.getByRole('link', { name: 'Account' }).click();
  const form = page.getByRole('form', { name: 'Change your password' });
  await form.getByLabel('Current password').fill('not-my-password');
  await form.getByLabel('New password', { exact: true }).fill('a-newer-longer-password');
  await form.getByLabel('New password again').fill('a-newer-longer-passwort');
  await form.getByRole('button', { name: 'Change password' }).click();
  await expect(form.getByRole('link', { name: 'The two new passwords do not match.' })).toBeVisible();
  await form.getByLabel('New password again').fill('a-newer-longer-password');
  await form.getByRole('button', { name: 'Change password' }).click();
  await expect(form.getByLabel('Current password')).toHaveAccessibleDescription(/That is not your current password\./);
  await form.getByLabel('Current password').fill('a-long-password');
  await form.getByRole('button', { name: 'Change password' }).click();
  await expect(form.getByText('Your password is changed.')).toBeVisible();
  await expect(form.getByLabel('Current password')).toHaveValue('');
  // Still signed in here, with the session the change issued.
  await page.reload();
  await expect(page.getByRole('heading', { name: 'Your account' })).toBeVisible();
  await shotBoth(page, 'account-password-changed');

  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page.getByRole('banner').getByRole('link', { name: 'Sign in' })).toBeVisible();
  await page.goto('/sign-in');
  await page.getByLabel('Email').fill(customer.email);
  await page.getByLabel('Password').fill('a-long-password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByText('That email and password do not match.')).toBeVisible();
  await signIn(page, customer.email, 'a-newer-longer-password');
  await expect(page.getByText('Hello, Casey Renamed')).toBeVisible();
  await customer.context.close();
});

test('an admin declines and suspends through the dialog, and finds a mechanic by part of the name', async ({
  browser,
}) => {
  test.setTimeout(120_000);
  const tag = unique();
  const applicantName = `Quinn Applicant${tag}`;
  const applicantEmail = `quinn-${tag}@e2e.test`;
  const applicant = await browser.newContext();
  const applicantPage = await applicant.newPage();
  watchErrors(applicantPage);
  await applyAsMechanic(applicantPage, applicantName, applicantEmail);
  await applicant.close();
  const approved = await newMechanic(browser);
  await approved.context.close();

  const { context, page } = await signedInAdmin(browser);
  await page.getByRole('link', { name: 'Approvals' }).click();
  await expect(page.getByRole('heading', { name: 'Mechanics and approvals' })).toBeVisible();

  // The application, beside what can be done about it.
  const application = page.getByRole('article').filter({ hasText: applicantEmail });
  await expect(application).toContainText('Waiting for approval');
  await expect(application).toContainText('Remote only');
  await expect(application).toContainText('Toyota, Honda');
  await expect(application).toContainText('12 years');
  await expect(application).toContainText('Twelve years on Japanese hybrids');
  await expectNoSeriousAxeViolations(page, 'approvals');
  await application.scrollIntoViewIfNeeded();
  await shotBoth(page, 'admin-approvals');

  // Cancel does nothing.
  await application.getByRole('button', { name: 'Decline' }).click();
  const decline = page.getByRole('dialog', { name: 'Decline this application' });
  await expect(decline).toBeVisible();
  await expect(decline.getByLabel('Reason (recorded in the audit log)')).toBeFocused();
  await decline.getByRole('button', { name: 'Cancel' }).click();
  await expect(decline).toBeHidden();
  await expect(application.getByRole('button', { name: 'Decline' })).toBeFocused();
  await expect(application).toContainText('Waiting for approval');

  // An empty reason is refused, with a message, in the dialog.
  await application.getByRole('button', { name: 'Decline' }).click();
  await decline.getByLabel('Reason (recorded in the audit log)').fill('   ');
  await decline.getByRole('button', { name: 'Decline application' }).click();
  await expect(decline.getByText('Give a reason: it is recorded in the audit log.')).toBeVisible();
  await expect(decline).toBeVisible();
  await expectNoSeriousAxeViolations(page, 'decline dialog');
  await shotBoth(page, 'admin-decline-dialog', { modal: true });
  await decline.getByLabel('Reason (recorded in the audit log)').fill('The certificate could not be verified.');
  await decline.getByRole('button', { name: 'Decline application' }).click();
  await expect(decline).toBeHidden();
  await expect(page.getByText(`${applicantName} was declined. The change is in the audit log.`)).toBeVisible();
  const declined = page
    .getByRole('region', { name: /Suspended or declined/ })
    .getByRole('article')
    .filter({ hasText: applicantEmail });
  await expect(declined.getByRole('button', { name: 'Approve again' })).toBeVisible();

  // Suspending: Escape does nothing, then with a reason it is done.
  const working = page
    .getByRole('region', { name: /Approved mechanics/ })
    .getByRole('article')
    .filter({ hasText: approved.email });
  await working.getByRole('button', { name: 'Suspend' }).click();
  const suspend = page.getByRole('dialog', { name: 'Suspend this mechanic' });
  await expect(suspend).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(suspend).toBeHidden();
  await expect(working).toContainText('Approved');
  await working.getByRole('button', { name: 'Suspend' }).click();
  await suspend.getByRole('button', { name: 'Suspend' }).click();
  await expect(suspend.getByText('Give a reason: it is recorded in the audit log.')).toBeVisible();
  await suspend.getByLabel('Reason (recorded in the audit log)').fill('Repeated complaints about rudeness.');
  await suspend.getByRole('button', { name: 'Suspend' }).click();
  await expect(suspend).toBeHidden();
  await expect(
    page
      .getByRole('region', { name: /Suspended or declined/ })
      .getByRole('article')
      .filter({ hasText: approved.email }),
  ).toBeVisible();

  // Finding a mechanic by part of the name: no exact email needed.
  await page.getByRole('link', { name: 'Mechanic inspector' }).click();
  const search = page.getByRole('search', { name: 'Find a person' });
  await search.getByLabel('Name or email').fill('Q');
  await search.getByRole('button', { name: 'Search' }).click();
  await expect(search.getByText('Type at least 2 characters of a name or email.')).toBeVisible();
  await search.getByLabel('Name or email').fill(`applicant${tag}`.toUpperCase());
  await search.getByRole('button', { name: 'Search' }).click();
  const found = page.getByRole('region', { name: 'People found' });
  await expect(found.getByRole('listitem')).toHaveCount(1);
  await expect(found).toContainText(applicantName);
  await expect(found).toContainText('Mechanic · Suspended or declined');
  await expectNoSeriousAxeViolations(page, 'people search');
  await shotBoth(page, 'admin-people-search');
  await found.getByRole('link', { name: `Inspect ${applicantName}` }).click();
  await expect(page.getByRole('heading', { name: applicantName })).toBeVisible();
  await expect(page.getByTestId('eligibility')).toHaveText('Cannot take requests: not approved.');
  await expect(page.getByText('They are suspended, or their application was declined')).toBeVisible();
  await expectNoSeriousAxeViolations(page, 'mechanic inspector');
  await shotBoth(page, 'admin-mechanic-inspector-found');
  await context.close();
});

test('an admin reads a session: the list names customer, mechanic and price, the conversation who wrote what', async ({
  browser,
}) => {
  test.setTimeout(120_000);
  const mechanic = await newMechanic(browser);
  const customer = await newCustomer(browser);
  const sessionId = await requestHelp(customer.page);
  await mechanic.page.locator(`[data-session-id="${sessionId}"]`).getByRole('button', { name: 'Accept' }).click();
  await expect(customer.page.getByText('In session')).toBeVisible();
  await customer.page.getByLabel('Message').fill('It squeals when I start it in the morning.');
  await customer.page.getByRole('button', { name: 'Send' }).click();
  await expect(mechanic.page.getByText('It squeals when I start it')).toBeVisible();
  await mechanic.page.getByLabel('Message').fill('That is usually the serpentine belt.');
  await mechanic.page.getByRole('button', { name: 'Send' }).click();
  await expect(customer.page.getByText('That is usually the serpentine belt.')).toBeVisible();

  const { context, page } = await signedInAdmin(browser);
  const row = page.locator(`tr[data-session-id="${sessionId}"]`);
  await expect(row).toContainText('Casey Driver');
  await expect(row).toContainText(customer.email);
  await expect(row).toContainText('Morgan Wrench');
  await expect(row).toContainText(mechanic.email);
  await expect(row).toContainText('$9.99');
  await expect(row).toContainText('Quick Chat');
  await expect(row).toContainText('On hold');
  await expectNoSeriousAxeViolations(page, 'admin sessions');
  await shotBoth(page, 'admin-sessions');

  // The session's own address brings an admin to the inspector, where every message is signed.
  await page.goto(`/sessions/${sessionId}`);
  await expect(page).toHaveURL(new RegExp(`/admin/sessions/${sessionId}$`));
  const conversation = page.getByTestId('conversation');
  await expect(conversation.getByRole('listitem').filter({ hasText: 'It squeals' })).toContainText(
    'Customer · Casey Driver',
  );
  await expect(conversation.getByRole('listitem').filter({ hasText: 'serpentine belt' })).toContainText(
    'Mechanic · Morgan Wrench',
  );
  await expect(conversation).not.toContainText('Them');
  await expect(page.getByText(/The sweeper will complete it when its time runs out/)).toBeVisible();
  await expect(page.getByText('Accepted by the mechanic')).toBeVisible();
  await expectNoSeriousAxeViolations(page, 'session inspector');
  await shotBoth(page, 'admin-session-inspector-conversation');

  // Force end through the same dialog: cancel first, then with a reason.
  await page.getByRole('button', { name: 'Force end…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Force-end this session' });
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByText('Both joined; the session is running.')).toBeVisible();
  await page.getByRole('button', { name: 'Force end…' }).click();
  await dialog.getByLabel('Reason (recorded in the audit log)').fill('Test: ended by support.');
  await dialog.getByRole('button', { name: 'End the session' }).click();
  await expect(page.getByText('The session was ended. The action is in the audit log.')).toBeVisible();
  await expect(page.getByText('Completed: an admin force-ended it.')).toBeVisible();
  await context.close();
  await customer.context.close();
  await mechanic.context.close();
});
