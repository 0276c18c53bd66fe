import { AxeBuilder } from '@axe-core/playwright';
import { devices, expect, test, type Browser, type BrowserContext, type Locator, type Page } from '@playwright/test';
import config from '../../playwright.config.js';
import { newCustomer, newMechanic, requestHelp, watchErrors } from './helpers.js';

/*
 * "Trust and polish", items 4–6 (#17): the room on a phone (the composer in reach, the rear camera
 * and a camera switch, no screen sharing), the way back to an open session from anywhere, the
 * end-session dialog's time and money, and the ended screen's order (summary → report → rating once
 * → what next). At a desktop's size and at a phone's, with an axe scan and screenshots of each.
 */

const DESKTOP = { width: 1280, height: 800 };
const PHONE = { width: 390, height: 844 };

// Two fake cameras instead of one, so that "Switch camera" has something to switch to.
const launch = config.use?.launchOptions ?? {};
test.use({
  launchOptions: {
    ...launch,
    args: (launch.args ?? []).map((arg) =>
      arg === '--use-fake-device-for-media-stream' ? '--use-fake-device-for-media-stream=device-count=2' : arg,
    ),
  },
});

async function expectNoSeriousAxeViolations(page: Page, name: string) {
  const results = await new AxeBuilder({ page }).analyze();
  const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(serious.map((v) => `${name}: ${v.id} ${v.help} (${v.nodes.map((n) => n.target).join(', ')})`)).toEqual([]);
}

/** test-results/screens/<name>.png: the whole page, or what the screen shows (`fullPage: false`). */
async function screen(page: Page, name: string, { fullPage = true } = {}) {
  await page.screenshot({ path: `test-results/screens/${name}.png`, fullPage });
}

/** The same signed-in customer on a phone: a Pixel 7's user agent and touch screen, at 390×844. */
async function onPhone(browser: Browser, signedIn: BrowserContext) {
  const context = await browser.newContext({
    ...devices['Pixel 7'],
    viewport: PHONE,
    screen: PHONE,
    storageState: await signedIn.storageState(),
  });
  const page = await context.newPage();
  watchErrors(page);
  return { context, page };
}

/** The parts appear top to bottom in this order. */
async function expectInOrder(parts: Locator[]) {
  const tops: number[] = [];
  for (const part of parts) tops.push((await part.boundingBox())!.y);
  expect(tops).toEqual([...tops].sort((a, b) => a - b));
}

/** The mechanic submits a short report from the ended room. */
async function submitReport(mechanic: Page, summary: string) {
  const report = mechanic.getByRole('form', { name: 'Report' });
  await report.getByLabel('Summary').fill(summary);
  await report.getByLabel('Findings').fill('Charging voltage drops to 12.1 V at idle; the belt is fine.');
  await report.getByRole('button', { name: 'Submit report' }).click();
  await expect(mechanic.getByRole('article', { name: 'Mechanic’s report' })).toBeVisible();
}

/** Controls a thumb taps that are smaller than 44×44 px, by name. */
async function smallTapTargets(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    [
      ...document.querySelectorAll(
        'main button, main select, main a.btn-primary, main a.btn-secondary, main input:not([type=file]):not([type=radio]), main label:has(input[type=file])',
      ),
    ]
      .map((element) => ({ element, box: element.getBoundingClientRect() }))
      .filter(({ box }) => box.width > 0 && box.height > 0)
      .filter(({ box }) => box.height < 44 || box.width < 44)
      .map(
        ({ element, box }) =>
          `${element.tagName.toLowerCase()} "${element.textContent?.trim() || element.getAttribute('aria-label') || element.id}" ${Math.round(box.width)}×${Math.round(box.height)}`,
      ),
  );
}

test('desktop: the return bar leads back, End-now says the time left and the charge, the ended screen in order', async ({
  browser,
}) => {
  test.setTimeout(180_000);
  const mechanic = await newMechanic(browser);
  const customer = await newCustomer(browser);
  const page = customer.page;
  for (const p of [page, mechanic.page]) await p.setViewportSize(DESKTOP);
  const sessionId = await requestHelp(page, { concern: 'The battery light comes on at idle and the headlights dim.' });
  const room = `**/sessions/${sessionId}`;
  const nav = page.getByRole('navigation', { name: 'Main' });
  const bar = page.getByRole('complementary', { name: 'Your open session' });

  // Away from the waiting page: the bar is on every other page, and "Get help" is the open session.
  await nav.getByRole('link', { name: 'My garage' }).click();
  await expect(bar).toContainText('We are finding a mechanic for your');
  await expect(nav.getByRole('link', { name: 'Get help' })).toHaveCount(0);
  await expect(nav.getByRole('link', { name: 'Your session' })).toHaveAttribute('href', `/sessions/${sessionId}`);
  await page.goto('/request');
  await expect(page.getByRole('heading', { name: 'You already have a session open' })).toBeVisible();
  await expect(page.getByLabel('What is happening?')).toHaveCount(0);

  // The mechanic accepts: the customer's bar says so without a reload.
  await mechanic.page.locator(`[data-session-id="${sessionId}"]`).getByRole('button', { name: 'Accept' }).click();
  await mechanic.page.waitForURL(room);
  await expect(bar).toContainText('A mechanic accepted your request');
  await expectNoSeriousAxeViolations(page, 'intake with the return bar');
  await screen(page, 'return-bar-desktop');
  await bar.getByRole('link', { name: 'Return to your session' }).click();
  await page.waitForURL(room);
  await expect(page.getByText('In session')).toBeVisible();
  await expect(bar).toHaveCount(0);

  // Back from the room lands on the intake, which now leads back instead of starting a second request.
  await page.goBack();
  await expect(page.getByRole('heading', { name: 'You already have a session open' })).toBeVisible();
  await expect(bar).toContainText('is live');
  await page.getByRole('link', { name: 'Go to your session' }).click();
  await page.waitForURL(room);

  // The mechanic has the bar too, anywhere but the room.
  await mechanic.page.goto('/earnings');
  const mechanicBar = mechanic.page.getByRole('complementary', { name: 'Your open session' });
  await expect(mechanicBar).toContainText('Your session about a');
  await mechanicBar.getByRole('link', { name: 'Return to your session' }).click();
  await mechanic.page.waitForURL(room);

  await page.getByLabel('Message').fill('The light flickers more with the fan on.');
  await page.getByRole('button', { name: 'Send' }).click();
  await expect(mechanic.page.getByText('The light flickers more with the fan on.')).toBeVisible();
  await expectNoSeriousAxeViolations(page, 'room');
  await screen(page, 'room-desktop');

  // "End now?": the time left and what it costs, in the app's own dialog.
  await page.getByRole('button', { name: 'End session' }).click();
  const dialog = page.getByRole('dialog', { name: 'End the session now?' });
  await expect(dialog.getByTestId('end-time-left')).toHaveText(/^You have (29|30) minutes left\.$/);
  await expect(dialog.getByTestId('end-payment')).toHaveText(
    'Ending now charges your card (Visa •••• 4242) $9.99 for this session — the full price, whatever time is left.',
  );
  await expectNoSeriousAxeViolations(page, 'end dialog');
  await screen(page, 'end-dialog-desktop', { fullPage: false });
  await dialog.getByRole('button', { name: 'Keep going' }).click();
  await expect(dialog).toHaveCount(0);
  await expect(page.getByText('In session')).toBeVisible();
  await page.getByRole('button', { name: 'End session' }).click();
  await dialog.getByRole('button', { name: 'Yes, end it' }).click();

  // Ended: what happened first; the report is being written; no rating before it.
  const summary = page.getByTestId('ended-summary');
  await expect(summary.getByTestId('outcome')).toContainText('Completed after');
  await expect(summary.getByTestId('money-outcome')).toContainText('Charged $9.99 to Visa •••• 4242');
  await expect(page.getByTestId('report-pending')).toContainText('The mechanic is writing your report');
  await expect(page.getByRole('form', { name: 'Rate your mechanic' })).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'End session' })).toHaveCount(0);
  await screen(page, 'ended-writing-desktop');

  // The report arrives live, and only then the rating is asked.
  await submitReport(mechanic.page, 'The alternator is failing: replace it soon.');
  const report = page.getByRole('article', { name: 'Mechanic’s report' });
  await expect(report).toContainText('The alternator is failing');
  await expect(page.getByTestId('report-pending')).toHaveCount(0);
  const rating = page.getByRole('form', { name: 'Rate your mechanic' });
  const whatNext = page.getByRole('navigation', { name: 'What next' });
  await expect(rating).toBeVisible();
  await expectInOrder([summary, report, rating, whatNext]);
  await expectNoSeriousAxeViolations(page, 'ended screen');
  await rating.locator('label', { hasText: '5 stars' }).click();
  await rating.getByRole('button', { name: 'Send rating' }).click();
  await expect(page.getByTestId('rating-done')).toContainText('You rated 5/5 — thanks');

  // A reload remembers the rating instead of asking again.
  await page.reload();
  const thanks = page.getByTestId('rating-done');
  await expect(thanks).toContainText('You rated 5/5 — thanks');
  await expect(page.getByRole('form', { name: 'Rate your mechanic' })).toHaveCount(0);
  await expectInOrder([summary, report, thanks, whatNext]);
  await expect(whatNext.getByRole('link', { name: 'Book again' })).toBeVisible();
  await expect(whatNext.getByRole('link', { name: 'Your receipts' })).toBeVisible();
  await screen(page, 'ended-desktop');

  // Nothing open any more: no bar, and "Get help" is back.
  await page.goto('/garage');
  await expect(page.getByRole('heading', { name: /garage/i }).first()).toBeVisible();
  await expect(bar).toHaveCount(0);
  await expect(nav.getByRole('link', { name: 'Get help' })).toHaveAttribute('href', '/request');
  await customer.context.close();
  await mechanic.context.close();
});

test('phone: the composer in reach, no Share screen, the rear camera and Switch camera; the bar and the ended screen at 390 px', async ({
  browser,
}) => {
  test.setTimeout(180_000);
  const mechanic = await newMechanic(browser);
  await mechanic.page.setViewportSize(DESKTOP);
  const customer = await newCustomer(browser);
  const sessionId = await requestHelp(customer.page, {
    plan: 'Standard Video',
    concern: 'A rattle from under the bonnet at idle, worse when the engine is cold.',
  });
  const room = `**/sessions/${sessionId}`;
  // The customer carries on from their phone.
  const phone = await onPhone(browser, customer.context);
  await customer.page.close();
  const page = phone.page;
  await page.goto(`/sessions/${sessionId}`);
  await expect(page.getByRole('heading', { name: 'Finding a mechanic…' })).toBeVisible();
  await mechanic.page.locator(`[data-session-id="${sessionId}"]`).getByRole('button', { name: 'Accept' }).click();
  await mechanic.page.waitForURL(room);
  await expect(page.getByText('In session')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Snapshot to chat' })).toBeVisible();

  // One hand: the message box and Send are on screen without scrolling past the video.
  expect(await page.evaluate(() => window.scrollY)).toBe(0);
  await expect(page.getByLabel('Message')).toBeInViewport({ ratio: 1 });
  await expect(page.getByRole('button', { name: 'Send' })).toBeInViewport({ ratio: 1 });
  await expect(page.getByTestId('remote-video')).toBeVisible();
  expect(await smallTapTargets(page)).toEqual([]);
  await page.getByLabel('Message').fill('Sent from my phone, one-handed.');
  await page.getByRole('button', { name: 'Send' }).click();
  await expect(mechanic.page.getByText('Sent from my phone, one-handed.')).toBeVisible();
  // The chat is below the video: the mechanic's latest message shows above the composer, a tap from the rest.
  await mechanic.page.getByLabel('Message').fill('Can you point the camera at the belt?');
  await mechanic.page.getByRole('button', { name: 'Send' }).click();
  const latest = page.getByTestId('latest-message');
  await expect(latest).toContainText('Mechanic: Can you point the camera at the belt?');
  await expect(latest).toBeInViewport({ ratio: 1 });

  // A phone cannot share its screen; it can take a photo with the rear camera and switch cameras.
  await expect(page.getByRole('button', { name: 'Share screen' })).toHaveCount(0);
  await expect(mechanic.page.getByRole('button', { name: 'Share screen' })).toBeVisible();
  await expect(page.locator('input[type=file][accept="image/*"][capture="environment"]')).toHaveCount(1);
  await expect(mechanic.page.locator('input[type=file][capture]')).toHaveCount(0);
  const local = page.getByTestId('local-video');
  const remote = mechanic.page.getByTestId('remote-video');
  const frames = async () => Number(await remote.getAttribute('data-frames'));
  await expect(local).toHaveAttribute('data-camera', 'fake_device_0');
  await page.getByRole('button', { name: 'Switch camera' }).click();
  await expect(local).toHaveAttribute('data-camera', 'fake_device_1');
  // Chromium's second fake camera feeds the preview but never a peer connection (seen with Chromium
  // 156), so the proof that the track is replaced on the live connection is switching back to the
  // first: its frames reach the mechanic again, without a new negotiation.
  await page.getByRole('button', { name: 'Switch camera' }).click();
  await expect(local).toHaveAttribute('data-camera', 'fake_device_0');
  // The camera's new track replaced the old one on the connection: the mechanic receives its frames.
  const framesAfterSwitch = await frames();
  await expect.poll(frames, { timeout: 20_000 }).toBeGreaterThan(framesAfterSwitch + 10);
  await expectNoSeriousAxeViolations(page, 'room (phone)');
  // Clicking the camera buttons scrolled the page: back to the top, as the room opens.
  await page.evaluate(() => window.scrollTo(0, 0));
  await expect(latest).toBeInViewport({ ratio: 1 });
  await screen(page, 'room-phone', { fullPage: false });
  await latest.click();
  const chatList = page.getByRole('region', { name: 'Chat' }).getByRole('list');
  await expect(chatList.getByText('Can you point the camera at the belt?')).toBeInViewport();
  await expect(latest).toHaveCount(0);
  await screen(page, 'room-phone-chat', { fullPage: false });
  await page.evaluate(() => window.scrollTo(0, 0));
  await screen(page, 'room-phone-full');
  await page.getByRole('button', { name: 'Hide video' }).click();
  await expect(page.getByTestId('remote-video')).toBeHidden();
  await screen(page, 'room-phone-video-hidden', { fullPage: false });
  await page.getByRole('button', { name: 'Show video' }).click();
  await expect(page.getByTestId('remote-video')).toBeVisible();
  await screen(mechanic.page, 'room-mechanic-desktop');

  // Off to another page and back through the bar.
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Receipts' }).click();
  const bar = page.getByRole('complementary', { name: 'Your open session' });
  await expect(bar).toContainText('is live');
  await expect(bar.getByRole('link', { name: 'Return to your session' })).toBeInViewport();
  await expectNoSeriousAxeViolations(page, 'receipts with the return bar (phone)');
  await screen(page, 'return-bar-phone', { fullPage: false });
  await bar.getByRole('link', { name: 'Return to your session' }).click();
  await page.waitForURL(room);
  await expect(page.getByText('In session')).toBeVisible();

  // End now, on a phone: the dialog fits and says the time and the charge.
  await page.getByRole('button', { name: 'End session' }).click();
  const dialog = page.getByRole('dialog', { name: 'End the session now?' });
  await expect(dialog.getByTestId('end-time-left')).toHaveText(/^You have (44|45) minutes left\.$/);
  await expect(dialog.getByTestId('end-payment')).toContainText('charges your card (Visa •••• 4242) $29.99');
  await expect(dialog.getByRole('button', { name: 'Yes, end it' })).toBeInViewport({ ratio: 1 });
  await screen(page, 'end-dialog-phone', { fullPage: false });
  await dialog.getByRole('button', { name: 'Yes, end it' }).click();

  const summary = page.getByTestId('ended-summary');
  await expect(summary.getByTestId('money-outcome')).toContainText('Charged $29.99');
  await expect(page.getByTestId('report-pending')).toBeVisible();
  await expect(page.getByRole('form', { name: 'Rate your mechanic' })).toHaveCount(0);
  await screen(page, 'ended-writing-phone');
  await submitReport(mechanic.page, 'A loose heat shield on the exhaust: refit the clamp.');
  const report = page.getByRole('article', { name: 'Mechanic’s report' });
  const rating = page.getByRole('form', { name: 'Rate your mechanic' });
  await expect(rating).toBeVisible();
  await expectInOrder([summary, report, rating, page.getByRole('navigation', { name: 'What next' })]);
  expect(await smallTapTargets(page)).toEqual([]);
  await expectNoSeriousAxeViolations(page, 'ended screen (phone)');
  await rating.locator('label', { hasText: '4 stars' }).click();
  await rating.getByRole('button', { name: 'Send rating' }).click();
  await page.reload();
  await expect(page.getByTestId('rating-done')).toContainText('You rated 4/5 — thanks');
  await expect(page.getByRole('form', { name: 'Rate your mechanic' })).toHaveCount(0);
  await screen(page, 'ended-phone');
  await phone.context.close();
  await customer.context.close();
  await mechanic.context.close();
});
