import { AxeBuilder } from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { newCustomer, newMechanic, payWithTestCard, shot } from './helpers.js';

const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1280, height: 800 };
/** A 2003 Honda Accord EX-V6 coupe: decoded offline from the NHTSA vPIC data shipped with the server. */
const ACCORD_VIN = '1HGCM82633A004352';

async function expectNoSeriousAxeViolations(page: Page, name: string) {
  const results = await new AxeBuilder({ page }).analyze();
  const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(
    serious.map((v) => `${name}: ${v.id} ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`),
  ).toEqual([]);
}

/** A full-page screenshot at desktop width, then at a phone's. */
async function shotBoth(page: Page, name: string) {
  await page.setViewportSize(DESKTOP);
  await shot(page, name);
  await page.setViewportSize(PHONE);
  await shot(page, `${name}-390px`);
  await page.setViewportSize(DESKTOP);
}

test('the garage: a VIN fills the car, a code is decoded, the mechanic triages with both, the saved car is one click next time', async ({
  browser,
}) => {
  test.setTimeout(240_000); // a whole journey in two browsers: request, room, report, garage, second request
  const mechanic = await newMechanic(browser);
  const customer = await newCustomer(browser);
  const page = customer.page;
  await page.setViewportSize(DESKTOP);
  await mechanic.page.setViewportSize(DESKTOP);

  // A first request: no saved vehicles yet, so the form itself, not the picker.
  await page.goto('/request');
  await expect(page.getByText('Your vehicle')).toBeVisible();
  await expect(page.getByTestId('vehicle-picker')).toHaveCount(0);
  await expectNoSeriousAxeViolations(page, 'intake');

  // A North American VIN with a wrong check digit: the server's reason, under the field.
  const vin = page.getByLabel('VIN (optional)');
  await vin.fill('1HGCM82633A004353');
  await expect(page.getByText('This VIN’s check digit (9th character) does not match')).toBeVisible();

  // The real VIN fills year, make and model, and says so.
  await vin.fill(ACCORD_VIN);
  await expect(page.getByText('Filled from the VIN — you can correct them.')).toBeVisible();
  await expect(page.getByLabel('Year')).toHaveValue('2003');
  await expect(page.getByLabel('Make')).toHaveValue('Honda');
  await expect(page.getByLabel('Model')).toHaveValue('Accord');
  await page.getByLabel('Mileage (optional)').fill('184000');
  await page.getByLabel('Save this vehicle to my garage').check();
  // Saving it keeps trim, engine and fuel, already filled from the same decode.
  await expect(page.getByLabel('Trim (optional)')).toHaveValue('EX-V6');

  // Trouble codes: what is not a code is refused with the reason; P0301 is decoded as it is added.
  const codes = page.getByLabel('Trouble codes (optional)');
  await codes.fill('P9X01');
  await codes.press('Enter');
  await expect(page.getByText('“P9X01” is not a trouble code.')).toBeVisible();
  await codes.fill('p0301');
  await codes.press('Enter');
  const added = page.getByRole('list', { name: 'Trouble codes added' });
  await expect(added).toContainText('P0301');
  await expect(added).toContainText('Cylinder 1 Misfire Detected');
  await expect(added).toContainText('Urgent');
  await expect(codes).toHaveValue('');
  await page.getByLabel('What is happening?').fill('It shakes at idle and the check engine light flashes.');
  await expectNoSeriousAxeViolations(page, 'intake with the VIN filled');
  await shotBoth(page, 'garage-intake-vin-filled');

  await page.getByRole('button', { name: 'Continue to payment' }).click();
  await expect(page.getByRole('region', { name: 'Your request' })).toContainText('2003 Honda Accord');
  await payWithTestCard(page);
  await expect(page.getByRole('heading', { name: 'Finding a mechanic…' })).toBeVisible();
  const sessionId = page.url().split('/sessions/')[1]!;
  const created = await (await page.request.get(`/api/sessions/${sessionId}`)).json();
  expect(created.vehicleId).toEqual(expect.any(String));
  expect(created.troubleCodes).toEqual(['P0301']);

  // The mechanic triages before accepting: the car, its details, its mileage and the code decoded.
  const card = mechanic.page.locator(`[data-session-id="${sessionId}"]`);
  await expect(card).toContainText('2003 Honda Accord');
  await expect(card).toContainText('EX-V6');
  await expect(card).toContainText('184,000 miles');
  await expect(card).toContainText('P0301');
  await expect(card).toContainText('Cylinder 1 Misfire Detected');
  await expect(card).toContainText('Urgent');
  await shotBoth(mechanic.page, 'garage-queue-card');
  await card.getByRole('button', { name: 'Accept' }).click();
  await mechanic.page.waitForURL(`**/sessions/${sessionId}`);

  // In the room, both sides see the car and the code decoded; the mechanic opens its history.
  for (const side of [page, mechanic.page]) {
    await expect(side.getByText('In session')).toBeVisible();
    const intakeCodes = side.getByRole('list', { name: /^Trouble codes (you gave|the customer read)$/ });
    await expect(intakeCodes).toContainText('Cylinder 1 Misfire Detected');
  }
  await mechanic.page.getByRole('button', { name: 'Show this vehicle’s service history' }).click();
  await expect(mechanic.page.getByText('(this session)')).toBeVisible();
  await shot(mechanic.page, 'garage-room-mechanic-history');
  await page.getByRole('button', { name: 'End session' }).click();
  await page.getByRole('button', { name: 'Yes, end it' }).click();
  await expect(mechanic.page.getByTestId('outcome')).toContainText('Completed');

  // The report starts from the customer's code, and its severity from the worst hint.
  const report = mechanic.page.getByRole('form', { name: 'Report' });
  await expect(report.getByRole('list', { name: 'Trouble codes added' })).toContainText('P0301');
  await expect(report.getByLabel('Severity')).toHaveValue('urgent');
  await expect(report.getByText('From the worst trouble code (P0301: Urgent)')).toBeVisible();
  const reportCodes = report.getByLabel('Trouble codes (read or confirmed)');
  await reportCodes.fill('P0351');
  await reportCodes.press('Enter');
  await expect(report.getByRole('list', { name: 'Trouble codes added' })).toContainText('Primary/Secondary Circuit');
  await report.getByLabel('Summary').fill('Cylinder 1 misfires: the ignition coil is failing.');
  await report.getByLabel('Findings').fill('Misfire on cylinder 1 under load; coil A primary circuit fault.');
  await report.getByLabel('Recommendation 1').fill('Replace the cylinder 1 ignition coil and spark plug');
  await report.getByLabel('Cost from ($)').fill('150');
  await report.getByLabel('Cost to ($)').fill('260');
  await shot(mechanic.page, 'garage-report-form');
  await report.getByRole('button', { name: 'Submit report' }).click();
  const article = page.getByRole('article', { name: 'Mechanic’s report' });
  await expect(article).toContainText('Cylinder 1 misfires');
  await expect(article.getByRole('list', { name: 'Trouble codes in the report' })).toContainText('P0351');

  // My garage: the car, and its service history with the report and the open recommendation.
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'My garage' }).click();
  await expect(page.getByRole('heading', { name: 'My garage' })).toBeVisible();
  const garage = page.getByRole('list', { name: 'Saved vehicles' });
  await expect(garage).toContainText('2003 Honda Accord');
  await expect(garage).toContainText('EX-V6 · 6 cylinders, J30A4 · Gasoline · 184,000 miles');
  await expectNoSeriousAxeViolations(page, 'garage');
  await shotBoth(page, 'garage');
  await garage.getByRole('link', { name: /Service history/ }).click();
  await expect(page.getByText('1 session, 1 with a mechanic’s report.')).toBeVisible();
  await expect(page.getByRole('list', { name: 'Open recommendations' })).toContainText('$150.00–$260.00');
  await expect(page.getByRole('list', { name: 'Trouble codes seen' })).toContainText('Cylinder 1 Misfire Detected');
  await expect(page.getByText('Cylinder 1 misfires: the ignition coil is failing.')).toBeVisible();
  await expectNoSeriousAxeViolations(page, 'service history');
  await shotBoth(page, 'garage-history');

  // Edit: a nickname and the new mileage.
  await page.getByRole('link', { name: '← My garage' }).click();
  await garage.getByRole('button', { name: /^Edit/ }).click();
  await page.getByLabel('Nickname (optional)').fill('Family Accord');
  await page.getByLabel('Mileage (optional)').fill('185200');
  await page.getByRole('button', { name: 'Save changes' }).click();
  await expect(page.getByText('2003 Honda Accord was updated.')).toBeVisible();
  await expect(garage.getByRole('heading', { name: 'Family Accord' })).toBeVisible();
  await expect(garage).toContainText('185,200 miles');

  // The next request offers the saved car first, already chosen: one click, or none.
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Get help' }).click();
  await expect(page.getByRole('radio', { name: /Family Accord/ })).toBeChecked();
  await expect(page.getByLabel('Make')).toHaveCount(0);
  await expectNoSeriousAxeViolations(page, 'intake with a saved vehicle');
  await shotBoth(page, 'garage-intake-picker');
  await page.getByLabel('What is happening?').fill('The misfire is back after the coil was replaced.');
  await page.getByRole('radio', { name: /Free Quick Question/ }).check();
  await page.getByRole('button', { name: 'Find me a mechanic' }).click();
  await expect(page.getByRole('heading', { name: 'Finding a mechanic…' })).toBeVisible();
  const second = await (await page.request.get(`/api/sessions/${page.url().split('/sessions/')[1]!}`)).json();
  expect(second.vehicleId).toBe(created.vehicleId);
  expect(second.vehicle).toMatchObject({ year: 2003, make: 'Honda', model: 'Accord', mileage: 185200 });
  await page.getByRole('button', { name: 'Cancel request' }).click();
  await expect(page.getByTestId('outcome')).toContainText('Cancelled');

  // A car from outside North America: its unusual check digit is a warning, not a refusal; then delete it.
  await page.goto('/garage');
  await page.getByRole('button', { name: 'Add a vehicle' }).click();
  await page.getByLabel('VIN (optional)').fill('WVWZZZ1JZXW000001');
  await expect(page.getByText('The 9th character is not this VIN’s check digit.')).toBeVisible();
  await expect(page.getByLabel('Make')).toHaveValue('Volkswagen');
  await page.getByLabel('Model').fill('Golf');
  await page.getByRole('button', { name: 'Add to my garage' }).click();
  await expect(page.getByText('1999 Volkswagen Golf was added to your garage.')).toBeVisible();
  await garage.getByRole('button', { name: 'Delete 1999 Volkswagen Golf' }).click();
  const dialog = page.getByRole('dialog', { name: 'Delete this vehicle?' });
  await expect(dialog).toContainText('1999 Volkswagen Golf will be removed from your garage.');
  await expectNoSeriousAxeViolations(page, 'delete dialog');
  await page.screenshot({ path: 'test-results/screens/garage-delete-dialog.png' });
  await dialog.getByRole('button', { name: 'Delete vehicle' }).click();
  await expect(dialog).toHaveCount(0);
  await expect(page.getByText('1999 Volkswagen Golf was removed from your garage.')).toBeVisible();
  await expect(garage.getByRole('listitem')).toHaveCount(1);

  await customer.context.close();
  await mechanic.context.close();
});
