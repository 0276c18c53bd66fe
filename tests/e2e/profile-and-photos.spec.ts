import zlib from 'node:zlib';
import { AxeBuilder } from '@axe-core/playwright';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { newCustomer, newMechanic, requestHelp } from './helpers.js';

/*
 * Issue #17, items 2 and 3: the photos of a request are the server's from the start (a reload of
 * the waiting page keeps them, the mechanic sees them), and the mechanic has a profile the
 * customer meets in the room, on the report and after the session. Each at a desktop's size and
 * a phone's; every page added here is scanned for serious accessibility problems.
 */

const SIZES = [
  ['desktop', { width: 1280, height: 800 }],
  ['phone', { width: 390, height: 844 }],
] as const;

/** A real PNG (the browser must be able to draw it): a diagonal gradient in the given tint. */
function png(width: number, height: number, tint: [number, number, number]): Buffer {
  const rows = Buffer.alloc((width * 3 + 1) * height);
  for (let y = 0; y < height; y++) {
    rows[y * (width * 3 + 1)] = 0; // filter: none
    for (let x = 0; x < width; x++) {
      const shade = (x + y) / (width + height);
      const at = y * (width * 3 + 1) + 1 + x * 3;
      rows[at] = Math.round(tint[0] * (0.4 + 0.6 * shade));
      rows[at + 1] = Math.round(tint[1] * (0.4 + 0.6 * shade));
      rows[at + 2] = Math.round(tint[2] * (0.4 + 0.6 * shade));
    }
  }
  const chunk = (type: string, data: Buffer) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(zlib.crc32(body));
    return Buffer.concat([length, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8); // 8-bit RGB
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', zlib.deflateSync(rows)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

const photo = (name: string, tint: [number, number, number]) => ({
  name,
  mimeType: 'image/png',
  buffer: png(320, 240, tint),
});

async function expectAccessible(page: Page, name: string) {
  const results = await new AxeBuilder({ page }).analyze();
  const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(serious.map((v) => `${name}: ${v.id} ${v.help} (${v.nodes.map((n) => n.target).join(', ')})`)).toEqual([]);
}

async function shot(page: Page, name: string) {
  await page.screenshot({ path: `test-results/screens/${name}.png`, fullPage: true });
}

/** Every image in `list` has been drawn (not a broken-image icon). */
async function expectImagesDrawn(list: Locator, count: number) {
  await expect(list.getByRole('img')).toHaveCount(count);
  await expect
    .poll(() =>
      list.getByRole('img').evaluateAll((imgs) => imgs.every((i) => (i as HTMLImageElement).naturalWidth > 0)),
    )
    .toBe(true);
}

for (const [size, viewport] of SIZES) {
  test(`intake photos survive a reload of the waiting page, and the mechanic sees them (${size})`, async ({
    browser,
  }) => {
    const mechanic = await newMechanic(browser);
    const customer = await newCustomer(browser);
    await customer.page.setViewportSize(viewport);
    await mechanic.page.setViewportSize(viewport);
    const page = customer.page;

    await page.goto('/request');
    await page.getByLabel('Make').fill('Subaru');
    await page.getByLabel('Model').fill('Outback');
    await page.getByLabel('What is happening?').fill('A rattle from under the car at idle, since the last service.');
    await page.getByRole('radio', { name: /Free/ }).check();
    const choose = page.getByLabel('Choose photos');
    // Not a photo: said in words, and nothing is added.
    await choose.setInputFiles({ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('rattle at idle') });
    await expect(page.getByRole('alert').filter({ hasText: '“notes.txt” is not a photo we can use.' })).toBeVisible();
    await choose.setInputFiles([photo('under-the-car.png', [200, 90, 40]), photo('exhaust.png', [40, 110, 200])]);
    const chosen = page.getByRole('list', { name: 'Photos chosen' });
    await expectImagesDrawn(chosen, 2);
    await expect(page.getByRole('alert')).toHaveCount(0);
    await expectAccessible(page, 'intake with photos');
    await shot(page, `intake-photos-${size}`);
    await page.getByRole('button', { name: 'Find me a mechanic' }).click();
    await expect(page.getByRole('heading', { name: 'Finding a mechanic…' })).toBeVisible();
    const sessionId = page.url().split('/sessions/')[1]!;

    const fromRequest = page.getByRole('region', { name: /Photos from the request/ });
    await expectImagesDrawn(fromRequest, 2);
    // A phone killing the tab, or a refresh: the photos are the server's now.
    await page.reload();
    await expect(page.getByRole('heading', { name: 'Finding a mechanic…' })).toBeVisible();
    await expectImagesDrawn(fromRequest, 2);
    await expect(fromRequest.getByRole('img', { name: /under-the-car\.png/ })).toBeVisible();
    await expectAccessible(page, 'waiting page with photos');
    await shot(page, `waiting-photos-${size}`);

    // The mechanics it is offered to see them on the card, before they accept.
    const card = mechanic.page.locator(`[data-session-id="${sessionId}"]`);
    await expect(card).toBeVisible();
    await expectImagesDrawn(card.getByRole('list', { name: '2 photos from the customer' }), 2);
    await shot(mechanic.page, `queue-photos-${size}`);
    await card.getByRole('button', { name: 'Accept' }).click();
    await mechanic.page.waitForURL(`**/sessions/${sessionId}`);
    const inRoom = mechanic.page.getByRole('region', { name: /Photos from the request/ });
    await expectImagesDrawn(inRoom, 2);
    await expect(mechanic.page.getByRole('region', { name: 'Chat' })).toBeVisible();
    await expectAccessible(mechanic.page, 'mechanic room with the request’s photos');
    await shot(mechanic.page, `room-photos-mechanic-${size}`);
    await customer.context.close();
    await mechanic.context.close();
  });

  test(`the mechanic fills their profile; the customer meets it in the room, on the report and after (${size})`, async ({
    browser,
  }) => {
    const mechanic = await newMechanic(browser);
    const customer = await newCustomer(browser);
    await customer.page.setViewportSize(viewport);
    const m = mechanic.page;
    await m.setViewportSize(viewport);

    await m.getByRole('link', { name: 'Your profile' }).first().click();
    await expect(m.getByRole('heading', { name: 'Your profile' })).toBeVisible();
    await m.getByLabel('The name customers see').fill('Jordan Brakes');
    await m.getByLabel('Years of experience').fill('-3');
    await m.getByLabel('Makes you know best').fill('Toyota, Honda, toyota');
    await m
      .getByLabel('A few words about you')
      .fill('Fourteen years in a Toyota dealership workshop. I like the odd noises nobody else can find.');
    await m.getByRole('button', { name: 'Save profile' }).click();
    // Said at the top, as a link to the field, and under the field (forms.spec.ts has the details).
    await expect(m.getByRole('link', { name: 'Years of experience must be between 0 and 80.' })).toBeVisible();
    await expect(m.getByLabel('Years of experience')).toHaveAccessibleDescription(
      /Years of experience must be between 0 and 80\./,
    );
    await m.getByLabel('Years of experience').fill('14');
    await m.getByRole('button', { name: 'Save profile' }).click();
    await expect(m.getByText('Your profile is saved.')).toBeVisible();
    await expect(m.getByLabel('Makes you know best')).toHaveValue('Toyota, Honda');
    // A photo that is not one is refused in words; a real one replaces the initials.
    await m
      .getByLabel('Upload a photo')
      .setInputFiles({ name: 'cv.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.7') });
    await expect(m.getByRole('alert').filter({ hasText: 'Photos must be JPEG, PNG or WebP images.' })).toBeVisible();
    await m.getByLabel('Upload a photo').setInputFiles(photo('jordan.png', [90, 160, 120]));
    await expect(m.getByRole('img', { name: 'Photo of Jordan Brakes' }).first()).toBeVisible();
    const preview = m.getByTestId('mechanic-card');
    await expect(preview).toContainText('Jordan Brakes');
    await expect(preview).toContainText('14 years of experience · Toyota, Honda');
    await expectAccessible(m, 'profile page');
    await shot(m, `profile-page-${size}`);

    await m.getByRole('link', { name: 'Back to your queue' }).click();
    const sessionId = await requestHelp(customer.page, {
      plan: 'Free',
      concern: 'Brakes squeal when cold, then stop.',
    });
    const card = m.locator(`[data-session-id="${sessionId}"]`);
    await card.getByRole('button', { name: 'Accept' }).click();
    await m.waitForURL(`**/sessions/${sessionId}`);

    const c = customer.page;
    const mechanicCard = c.getByTestId('mechanic-card');
    await expect(mechanicCard).toBeVisible();
    await expect(mechanicCard).toContainText('Jordan Brakes');
    await expect(mechanicCard).toContainText('Remote mechanic');
    await expect(mechanicCard).toContainText('14 years of experience · Toyota, Honda');
    await expect(mechanicCard).toContainText('New on AutoDoctor');
    await expect(mechanicCard.getByRole('img', { name: 'Photo of Jordan Brakes' })).toBeVisible();
    await expect(c.getByText('In session')).toBeVisible();
    await expectAccessible(c, 'customer room with the mechanic card');
    await shot(c, `room-mechanic-card-${size}`);

    await c.getByRole('button', { name: 'End session' }).click();
    await c.getByRole('button', { name: 'Yes, end it' }).click();
    await expect(c.getByTestId('outcome')).toContainText('Completed');
    const report = m.getByRole('form', { name: 'Report' });
    await report.getByLabel('Summary').fill('The brake pads glaze when cold.');
    await report.getByLabel('Findings').fill('Squeal only for the first few stops; typical of glazed pads.');
    await report.getByLabel('Severity').selectOption('soon');
    await report.getByRole('button', { name: 'Submit report' }).click();
    await expect(m.getByTestId('report-signature')).toContainText('Report by Jordan Brakes, Remote mechanic');

    const written = c.getByRole('article', { name: 'Mechanic’s report' });
    await expect(written).toContainText('The brake pads glaze when cold.');
    await expect(written.getByTestId('report-signature')).toContainText('Report by Jordan Brakes, Remote mechanic');
    // The ended screen still says who helped (no presence once it is over).
    await expect(mechanicCard).toContainText('Jordan Brakes');
    await expectAccessible(c, 'ended screen with the signed report');
    await shot(c, `ended-signed-report-${size}`);
    await customer.context.close();
    await mechanic.context.close();
  });
}
