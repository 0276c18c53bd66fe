import fs from 'node:fs/promises';
import { expect, test, type Download, type Page } from '@playwright/test';
import { newCustomer, newMechanic, requestHelp, shot, signIn, watchErrors } from './helpers.js';

/* Documents (notifications.md §5): the report and receipt as PDFs, and a read-only share link. */

async function downloaded(page: Page, name: string): Promise<{ download: Download; bytes: Buffer }> {
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByText(name).click()]);
  const path = await download.path();
  return { download, bytes: await fs.readFile(path) };
}

function expectPdf(bytes: Buffer) {
  expect(bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
  expect(bytes.length).toBeGreaterThan(1500);
}

test('a customer downloads the report and receipt as PDFs, shares the report, and revokes the link', async ({
  browser,
}) => {
  // A whole session, three downloads and two browsers: longer than the default minute on a busy machine.
  test.setTimeout(120_000);
  const mechanic = await newMechanic(browser);
  const customer = await newCustomer(browser);
  await customer.context.grantPermissions(['clipboard-read', 'clipboard-write']);
  const sessionId = await requestHelp(customer.page, {
    concern: 'Grinding noise from the front left wheel when braking.',
  });
  await mechanic.page.locator(`[data-session-id="${sessionId}"]`).getByRole('button', { name: 'Accept' }).click();
  await mechanic.page.waitForURL(`**/sessions/${sessionId}`);
  await expect(customer.page.getByText('In session')).toBeVisible();
  await customer.page.getByRole('button', { name: 'End session' }).click();
  await customer.page.getByRole('button', { name: 'Yes, end it' }).click();
  await expect(customer.page.getByTestId('outcome')).toContainText('Completed');

  const findings = 'Pads worn to the backing plate; the left rotor is scored.';
  const report = mechanic.page.getByRole('form', { name: 'Report' });
  await report.getByLabel('Summary').fill('Front brake pads are worn through.');
  await report.getByLabel('Findings').fill(findings);
  await report.getByLabel('Severity').selectOption('unsafe_to_drive');
  await report.getByLabel('Recommendation 1').fill('Replace front pads and rotors');
  await report.getByLabel('Cost from ($)').fill('250');
  await report.getByLabel('Cost to ($)').fill('400');
  await report.getByRole('button', { name: 'Submit report' }).click();
  await expect(mechanic.page.getByRole('article', { name: 'Mechanic’s report' })).toBeVisible();

  // The mechanic has the report PDF too, but no receipt and no sharing.
  const mechanicPdf = await downloaded(mechanic.page, 'Download report (PDF)');
  expectPdf(mechanicPdf.bytes);
  await expect(mechanic.page.getByText('Download receipt (PDF)')).toHaveCount(0);
  await expect(mechanic.page.getByRole('button', { name: 'Share a read-only link' })).toHaveCount(0);

  // The customer's page shows the report as it is submitted, with its documents.
  const page = customer.page;
  await expect(page.getByText(findings)).toBeVisible();
  const reportPdf = await downloaded(page, 'Download report (PDF)');
  expectPdf(reportPdf.bytes);
  expect(reportPdf.download.suggestedFilename()).toMatch(/^autodoctor-report-\d{4}-\d{2}-\d{2}-honda-civic\.pdf$/);
  const receiptPdf = await downloaded(page, 'Download receipt (PDF)');
  expectPdf(receiptPdf.bytes);
  expect(receiptPdf.download.suggestedFilename()).toMatch(/^autodoctor-receipt-/);

  await page.getByRole('button', { name: 'Share a read-only link' }).click();
  const link = page.getByLabel(/Your link/);
  await expect(link).toHaveValue(/\/r\/[A-Za-z0-9_-]{43}$/);
  const url = await link.inputValue();
  await expect(page.getByTestId('new-share-link')).toContainText('Works until');
  await page.getByRole('button', { name: 'Copy link' }).click();
  await expect(page.getByRole('button', { name: 'Copied' })).toBeVisible();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(url);
  await expect(page.getByRole('list', { name: 'Working share links' }).getByRole('listitem')).toHaveCount(1);
  await shot(page, 'documents-customer');

  // Someone without an account opens the link: the report, read-only, with its PDF.
  const stranger = await browser.newContext();
  const shared = await stranger.newPage();
  watchErrors(shared);
  await shared.goto(url);
  await expect(shared.getByRole('heading', { name: /Honda Civic/ })).toBeVisible();
  await expect(shared.getByText(findings)).toBeVisible();
  await expect(shared.getByText('Unsafe to drive', { exact: true })).toBeVisible();
  await expect(shared.getByText('Do not drive this car.')).toBeVisible();
  await expect(shared.getByText(customer.email)).toHaveCount(0);
  await expect(shared.getByRole('button', { name: 'Sign out' })).toHaveCount(0);
  await shot(shared, 'documents-shared-report');
  const sharedPdf = await downloaded(shared, 'Download PDF');
  expectPdf(sharedPdf.bytes);

  // Revoked: the same link now says it does not work.
  await page.getByRole('button', { name: /^Revoke the link made/ }).click();
  await expect(page.getByRole('list', { name: 'Working share links' })).toHaveCount(0);
  await shared.reload();
  await expect(shared.getByText('This link does not work')).toBeVisible();
  await expect(shared.getByText(findings)).toHaveCount(0);

  await stranger.close();

  // Operations read the same documents from the session inspector.
  const adminContext = await browser.newContext();
  const admin = await adminContext.newPage();
  watchErrors(admin);
  await signIn(admin, 'admin@test.com');
  await admin.goto(`/admin/sessions/${sessionId}`);
  expectPdf((await downloaded(admin, 'Report (PDF)')).bytes);
  expectPdf((await downloaded(admin, 'Receipt (PDF)')).bytes);
  await adminContext.close();
  await customer.context.close();
  await mechanic.context.close();
});
