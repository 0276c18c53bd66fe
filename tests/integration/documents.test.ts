import crypto from 'node:crypto';
import { eq } from 'drizzle-orm';
import { PDFParse } from 'pdf-parse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mechanics, payments, shareLinks, workshops } from '../../src/server/db/schema.js';
import { renderReportPdf } from '../../src/server/documents/render-report-pdf.js';
import { admin, customer, mechanic, type TestUser } from '../factories/index.js';
import { liveSession } from '../factories/sessions.js';
import { call, get, post, put } from '../helpers/http.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

/* Documents (notifications.md §5): the report and receipt PDFs, and share links to the report. */

let t: TestApp;
let boss: TestUser;
beforeAll(async () => {
  t = await createTestApp();
  boss = await admin(t);
});
afterAll(() => t.close());

const VIN = '1HGCM82633A004352';
const CONCERN = 'Grinding noise from the front left wheel when braking, worse in the morning.';
const FINDINGS = 'Metal-on-metal grinding; front pads below 2 mm and the left rotor is scored.';

const reportBody = (overrides: Record<string, unknown> = {}) => ({
  summary: 'Front brake pads are worn through.',
  findings: FINDINGS,
  severity: 'unsafe_to_drive',
  troubleCodes: ['P0420'],
  recommendations: [
    {
      title: 'Replace front pads and rotors',
      urgency: 'unsafe_to_drive',
      estimatedCostMinCents: 25000,
      estimatedCostMaxCents: 40000,
    },
    { title: 'Check the catalytic converter', urgency: 'soon' },
  ],
  followUp: 'repair_quote',
  submit: true,
  ...overrides,
});

type Scenario = { c: TestUser; m: TestUser; sessionId: string };

/**
 * A quick-plan session with a VIN and an intake code, one paid extension, ended and captured;
 * its mechanic (a workshop partner with a name of their own) submits a report unless told not to.
 */
async function finishedSession(options: { report?: boolean; plan?: string } = {}): Promise<Scenario> {
  const c = await customer(t);
  const [shop] = await t.database.db
    .insert(workshops)
    .values({ name: `Brake Masters ${crypto.randomBytes(3).toString('hex')}`, city: 'Shelbyville', country: 'US' })
    .returning();
  const m = await mechanic(t, { workshopId: shop!.id });
  await t.database.db.update(mechanics).set({ displayName: 'Riley Torque' }).where(eq(mechanics.userId, m.id));
  const plan = options.plan ?? 'quick';
  const session = await liveSession(t, c, m, {
    plan,
    vehicle: { year: 2016, make: 'Toyota', model: 'Corolla', vin: VIN, mileage: 98000 },
    concern: CONCERN,
    troubleCodes: ['P0301'],
  });
  if (plan === 'quick') {
    const extended = await post(t, `/api/sessions/${session.id}/extensions`, c, { blocks: 1 });
    expect(extended.status).toBe(201);
  }
  expect((await post(t, `/api/sessions/${session.id}/end`, c)).status).toBe(200);
  await t.jobs.drain();
  if (options.report !== false) {
    const saved = await put(t, `/api/sessions/${session.id}/report`, m, reportBody());
    expect(saved.status).toBe(200);
  }
  return { c, m, sessionId: session.id };
}

async function download(url: string, as?: TestUser) {
  const response = await t.app.inject({ method: 'GET', url, headers: as?.headers ?? {} });
  return { status: response.statusCode, headers: response.headers, body: response.rawPayload };
}

async function textOf(pdf: Buffer): Promise<string> {
  const parser = new PDFParse({ data: new Uint8Array(pdf) });
  try {
    // Lines are joined with spaces: a table cell that wraps still reads as one phrase.
    return (await parser.getText()).text.replace(/\s+/g, ' ');
  } finally {
    await parser.destroy();
  }
}

function expectPdf(reply: { status: number; headers: Record<string, unknown>; body: Buffer }) {
  expect(reply.status).toBe(200);
  expect(reply.headers['content-type']).toBe('application/pdf');
  expect(String(reply.headers['content-disposition'])).toMatch(
    /^attachment; filename="autodoctor-[a-z]+-[\w-]+\.pdf"$/,
  );
  expect(reply.body.subarray(0, 5).toString('latin1')).toBe('%PDF-');
}

describe('the report PDF', () => {
  it('is searchable text: the car and VIN, concern, mechanic and workshop, findings, severity, costs, codes, money', async () => {
    const { c, sessionId } = await finishedSession();
    const reply = await download(`/api/sessions/${sessionId}/report.pdf`, c);
    expectPdf(reply);
    expect(String(reply.headers['content-disposition'])).toContain('toyota-corolla');
    const text = await textOf(reply.body);
    for (const expected of [
      '2016 Toyota Corolla',
      `VIN ${VIN}`,
      '98,000 miles',
      CONCERN,
      'Riley Torque',
      'Workshop partner — Brake Masters',
      'Shelbyville',
      'Quick Chat',
      'Front brake pads are worn through.',
      FINDINGS,
      'Unsafe to drive',
      'Do not drive it until the problem is fixed',
      'Replace front pads and rotors',
      '$250.00–$400.00',
      'Not estimated',
      'Get a repair quote',
      'P0420',
      'P0301',
      'Confirmed by the mechanic',
      'Given by the owner',
      'RECEIPT SUMMARY',
      'Extra time $4.99',
      'Charged $14.98',
      'Paid $14.98',
    ]) {
      expect(text, expected).toContain(expected);
    }
    // The report PDF names no card: that is the receipt's business.
    expect(text).not.toContain('4242');
  });

  it('the participants and admins get it; anyone else is told the session does not exist', async () => {
    const { c, m, sessionId } = await finishedSession();
    const url = `/api/sessions/${sessionId}/report.pdf`;
    expect((await download(url)).status).toBe(401);
    expect((await download(url, await customer(t))).status).toBe(404);
    expect((await download(url, await mechanic(t))).status).toBe(404);
    for (const allowed of [c, m, boss]) expectPdf(await download(url, allowed));
  });

  it('without a submitted report: 404 saying so, also for the mechanic holding a draft', async () => {
    const { c, m, sessionId } = await finishedSession({ report: false });
    const none = await get(t, `/api/sessions/${sessionId}/report.pdf`, c);
    expect(none.status).toBe(404);
    expect(none.body.detail).toBe('No report has been submitted for this session yet');
    expect((await put(t, `/api/sessions/${sessionId}/report`, m, reportBody({ submit: false }))).status).toBe(200);
    expect((await get(t, `/api/sessions/${sessionId}/report.pdf`, m)).status).toBe(404);
    expect(await renderReportPdf(t.ctx, sessionId)).toBeNull();
    expect((await put(t, `/api/sessions/${sessionId}/report`, m, reportBody())).status).toBe(200);
    const pdf = await renderReportPdf(t.ctx, sessionId);
    expect(pdf!.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(await textOf(pdf!)).toContain(FINDINGS);
  });

  it('a free session’s report says nothing was charged; a severity below unsafe has no warning banner', async () => {
    const c = await customer(t);
    const m = await mechanic(t);
    const session = await liveSession(t, c, m, { plan: 'free' });
    await post(t, `/api/sessions/${session.id}/end`, c);
    await put(t, `/api/sessions/${session.id}/report`, m, reportBody({ severity: 'soon', troubleCodes: [] }));
    const text = await textOf((await download(`/api/sessions/${session.id}/report.pdf`, c)).body);
    expect(text).toContain('Severity: Fix soon');
    expect(text).toContain('Free Quick Question: free of charge. Nothing was charged.');
    expect(text).not.toContain('Do not drive it');
    expect(text).not.toContain('Trouble codes'.toUpperCase());
  });

  it('text the standard fonts cannot print becomes "?", and the PDF still renders', async () => {
    const c = await customer(t);
    const m = await mechanic(t);
    const session = await liveSession(t, c, m, { plan: 'free' });
    await post(t, `/api/sessions/${session.id}/end`, c);
    const findings = 'Bremsbeläge verschlissen — 刹车片 ✓ café';
    await put(t, `/api/sessions/${session.id}/report`, m, reportBody({ findings }));
    const text = await textOf((await download(`/api/sessions/${session.id}/report.pdf`, c)).body);
    expect(text).toContain('Bremsbeläge verschlissen — ??? ? café');
  });
});

describe('the receipt PDF', () => {
  it('says what was authorised, charged for the plan and extra time, refunded, on which card, and who charged it', async () => {
    const { c, sessionId } = await finishedSession();
    const [payment] = await t.database.db.select().from(payments).where(eq(payments.sessionId, sessionId));
    expect(payment).toMatchObject({ status: 'captured', capturedCents: 1498 });
    const refund = await call(t, 'POST', `/api/admin/payments/${payment!.id}/refunds`, {
      as: boss,
      body: { amountCents: 500, reason: 'the call dropped' },
      headers: { 'idempotency-key': `documents-${sessionId}` },
    });
    expect(refund.status).toBe(201);
    await t.jobs.drain();
    const reply = await download(`/api/sessions/${sessionId}/receipt.pdf`, c);
    expectPdf(reply);
    expect(String(reply.headers['content-disposition'])).toContain('autodoctor-receipt-');
    const text = await textOf(reply.body);
    for (const expected of [
      'Receipt',
      `Receipt number ${payment!.id}`,
      c.email,
      'Visa •••• 4242',
      'Authorised $9.99',
      'Quick Chat plan $9.99',
      'Extra time: 10 minutes $4.99',
      'Total charged $14.98',
      'Total refunded -$5.00',
      'Net paid $9.98',
      'Paid $9.98',
      '2016 Toyota Corolla',
      'Riley Torque',
      'AutoDoctor',
      'support@autodoctor.example',
    ]) {
      expect(text, expected).toContain(expected);
    }
  });

  it('for the session’s customer and admins: the mechanic is refused, strangers get 404', async () => {
    const { c, m, sessionId } = await finishedSession({ report: false });
    const url = `/api/sessions/${sessionId}/receipt.pdf`;
    expect((await download(url)).status).toBe(401);
    expect((await download(url, await customer(t))).status).toBe(404);
    expect((await download(url, await mechanic(t))).status).toBe(404);
    expect((await download(url, m)).status).toBe(403);
    expectPdf(await download(url, c));
    expectPdf(await download(url, boss));
  });

  it('a free session has no receipt', async () => {
    const c = await customer(t);
    const session = await liveSession(t, c, await mechanic(t), { plan: 'free' });
    await post(t, `/api/sessions/${session.id}/end`, c);
    const reply = await get(t, `/api/sessions/${session.id}/receipt.pdf`, c);
    expect(reply.status).toBe(404);
    expect(reply.body.detail).toContain('free of charge');
  });
});

describe('share links', () => {
  const tokenOf = (url: string) => url.split('/r/')[1]!;

  it('the customer makes one; anyone with it reads the report and nothing about the customer', async () => {
    const { c, m, sessionId } = await finishedSession();
    const created = await post(t, `/api/sessions/${sessionId}/share`, c);
    expect(created.status).toBe(201);
    expect(created.body.url).toMatch(new RegExp(`^${t.config.publicUrl}/r/[A-Za-z0-9_-]{43}$`));
    expect(Date.parse(created.body.expiresAt)).toBe(t.clock.now().getTime() + 7 * 86_400_000);
    const token = tokenOf(created.body.url);

    // Only the token's SHA-256 is kept.
    const [row] = await t.database.db.select().from(shareLinks).where(eq(shareLinks.id, created.body.id));
    expect(row!.tokenHash).toBe(crypto.createHash('sha256').update(token).digest('hex'));
    expect(JSON.stringify(row)).not.toContain(token);

    const shared = await get(t, `/api/shared/${token}`); // no sign-in
    expect(shared.status).toBe(200);
    expect(shared.headers['cache-control']).toBe('private, no-store');
    expect(shared.body).toMatchObject({
      vehicle: { year: 2016, make: 'Toyota', model: 'Corolla', mileage: 98000 },
      concern: CONCERN,
      mechanic: { displayName: 'Riley Torque', tier: 'workshop_partner', workshop: { city: 'Shelbyville' } },
      report: { findings: FINDINGS, severity: 'unsafe_to_drive', followUp: 'repair_quote', troubleCodes: ['P0420'] },
      expiresAt: created.body.expiresAt,
    });
    const [payment] = await t.database.db.select().from(payments).where(eq(payments.sessionId, sessionId));
    const json = JSON.stringify(shared.body);
    for (const secret of [c.email, c.id, m.id, m.email, sessionId, payment!.id, VIN, 'customer', 'payment', '1498']) {
      expect(json, secret).not.toContain(secret);
    }

    const pdf = await download(`/api/shared/${token}/report.pdf`);
    expectPdf(pdf);
    const text = await textOf(pdf.body);
    expect(text).toContain(FINDINGS);
    expect(text).toContain('Unsafe to drive');
    for (const secret of [VIN, 'RECEIPT SUMMARY', 'Quick Chat', '$14.98', sessionId.slice(0, 8)]) {
      expect(text, secret).not.toContain(secret);
    }

    const listed = await get(t, `/api/sessions/${sessionId}/share`, c);
    expect(listed.body.items).toEqual([
      { id: created.body.id, createdAt: t.clock.now().toISOString(), expiresAt: created.body.expiresAt },
    ]);
  });

  it('a revoked link is 404, for the JSON and the PDF; revoking twice is still 204', async () => {
    const { c, sessionId } = await finishedSession();
    const kept = await post(t, `/api/sessions/${sessionId}/share`, c);
    const revoked = await post(t, `/api/sessions/${sessionId}/share`, c);
    const token = tokenOf(revoked.body.url);
    expect((await get(t, `/api/shared/${token}`)).status).toBe(200);
    const gone = await call(t, 'DELETE', `/api/sessions/${sessionId}/share/${revoked.body.id}`, { as: c });
    expect(gone.status).toBe(204);
    expect(gone.body).toBe('');
    const after = await get(t, `/api/shared/${token}`);
    expect(after.status).toBe(404);
    expect(after.body.detail).toContain('expired or been revoked');
    expect((await download(`/api/shared/${token}/report.pdf`)).status).toBe(404);
    expect((await call(t, 'DELETE', `/api/sessions/${sessionId}/share/${revoked.body.id}`, { as: c })).status).toBe(
      204,
    );
    // The other link still works, and is the only one listed.
    expect((await get(t, `/api/shared/${tokenOf(kept.body.url)}`)).status).toBe(200);
    const listed = await get(t, `/api/sessions/${sessionId}/share`, c);
    expect(listed.body.items.map((l: { id: string }) => l.id)).toEqual([kept.body.id]);
    // A link of another session is not this session's to revoke.
    const other = await finishedSession();
    const foreign = await post(t, `/api/sessions/${other.sessionId}/share`, other.c);
    expect((await call(t, 'DELETE', `/api/sessions/${sessionId}/share/${foreign.body.id}`, { as: c })).status).toBe(
      404,
    );
    expect((await get(t, `/api/shared/${tokenOf(foreign.body.url)}`)).status).toBe(200);
  });

  it('works for 7 days, then is 404', async () => {
    const { c, sessionId } = await finishedSession();
    const created = await post(t, `/api/sessions/${sessionId}/share`, c);
    const token = tokenOf(created.body.url);
    t.clock.advanceSeconds(7 * 86_400 - 1);
    expect((await get(t, `/api/shared/${token}`)).status).toBe(200);
    t.clock.advanceSeconds(1);
    expect((await get(t, `/api/shared/${token}`)).status).toBe(404);
    expect((await download(`/api/shared/${token}/report.pdf`)).status).toBe(404);
    expect((await get(t, `/api/sessions/${sessionId}/share`, c)).body.items).toEqual([]);
  });

  it('a guessed or malformed token is 404, like an unknown one', async () => {
    const guessed = crypto.randomBytes(32).toString('base64url');
    for (const token of [guessed, 'abc', 'x'.repeat(100), '%00']) {
      const reply = await get(t, `/api/shared/${encodeURIComponent(token)}`);
      expect([token, reply.status]).toEqual([token, 404]);
    }
    expect((await download(`/api/shared/${guessed}/report.pdf`)).status).toBe(404);
  });

  it('only the session’s customer shares, and only once a report exists', async () => {
    const { c, m, sessionId } = await finishedSession({ report: false });
    const url = `/api/sessions/${sessionId}/share`;
    const early = await post(t, url, c);
    expect(early.status).toBe(409);
    expect(early.body.detail).toContain('no report to share yet');
    expect((await put(t, `/api/sessions/${sessionId}/report`, m, reportBody({ submit: false }))).status).toBe(200);
    expect((await post(t, url, c)).status).toBe(409); // a draft is not a report yet
    await put(t, `/api/sessions/${sessionId}/report`, m, reportBody());
    expect((await post(t, url)).status).toBe(401);
    expect((await post(t, url, m)).status).toBe(403);
    expect((await post(t, url, boss)).status).toBe(403);
    expect((await post(t, url, await customer(t))).status).toBe(404);
    expect((await post(t, url, await mechanic(t))).status).toBe(404);
    expect((await get(t, url, m)).status).toBe(403);
    const created = await post(t, url, c);
    expect(created.status).toBe(201);
    expect((await call(t, 'DELETE', `${url}/${created.body.id}`, { as: m })).status).toBe(403);
    expect((await get(t, `/api/shared/${tokenOf(created.body.url)}`)).status).toBe(200);
    expect(await t.database.db.select().from(shareLinks).where(eq(shareLinks.sessionId, sessionId))).toHaveLength(1);
  });

  it('at most 10 working links per report: the eleventh is refused until one is revoked', async () => {
    const { c, sessionId } = await finishedSession();
    const url = `/api/sessions/${sessionId}/share`;
    const links = [];
    for (let i = 0; i < 10; i++) links.push((await post(t, url, c)).body);
    const eleventh = await post(t, url, c);
    expect(eleventh.status).toBe(409);
    await call(t, 'DELETE', `${url}/${links[0].id}`, { as: c });
    expect((await post(t, url, c)).status).toBe(201);
  });
});
