import { eq, sql } from 'drizzle-orm';
import type { ParsedMail } from 'mailparser';
import { PDFParse } from 'pdf-parse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emails, jobs, mechanics, notificationPreferences, users } from '../../src/server/db/schema.js';
import { enqueueEmail } from '../../src/server/notifications/send-email.js';
import { admin, customer, mechanic, paidSessionBody, signUp, type TestUser } from '../factories/index.js';
import { liveSession, pendingSession } from '../factories/sessions.js';
import { call, get, post, put } from '../helpers/http.js';
import { addressesOf, startSmtpListener, type SmtpListener } from '../helpers/smtp-listener.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';
import { connect } from '../helpers/ws-client.js';

const reportBody = {
  summary: 'Front pads worn to the backing plate.',
  findings: 'Grinding on braking, worse when cold. Pads below 2 mm.',
  severity: 'unsafe_to_drive',
  recommendations: [
    {
      title: 'Replace front pads and rotors',
      urgency: 'urgent',
      estimatedCostMinCents: 25000,
      estimatedCostMaxCents: 40000,
    },
  ],
  followUp: 'repair_quote',
  submit: true,
};

/** A header's raw value as it arrived (mailparser folds List-* headers into objects). */
const headerOf = (mail: ParsedMail, name: string) => {
  const line = mail.headerLines.find((h) => h.key === name);
  if (!line) throw new Error(`no ${name} header`);
  return line.line.slice(line.line.indexOf(':') + 1).trim();
};

/** The link in a plain-text part that starts with `prefix`. */
const linkIn = (text: string | undefined, prefix: string) => {
  const found = (text ?? '').split(/\s+/).find((word) => word.startsWith(prefix));
  if (!found) throw new Error(`no link starting ${prefix} in:\n${text}`);
  return found;
};

describe('email over SMTP (notifications.md §2)', () => {
  let t: TestApp;
  let smtp: SmtpListener;

  beforeAll(async () => {
    smtp = await startSmtpListener();
    t = await createTestApp({ env: { SMTP_URL: smtp.url, EMAIL_FROM: 'AutoDoctor <help@autodoctor.test>' } });
  });
  afterAll(async () => {
    await t?.close();
    await smtp?.close();
  });

  const mailTo = (user: TestUser, subject: RegExp) =>
    smtp.next((m) => addressesOf(m).includes(user.email) && subject.test(m.subject ?? ''));

  it('a mechanic accepts: the customer gets one email with the mechanic’s name and the room’s link, and a notification', async () => {
    const c = await customer(t);
    const m = await mechanic(t);
    await t.database.db.update(mechanics).set({ displayName: 'Dana Wrench' }).where(eq(mechanics.userId, m.id));
    const session = await pendingSession(t, c);
    expect((await post(t, `/api/sessions/${session.id}/accept`, m)).status).toBe(200);
    await t.jobs.drain();
    const mail = await mailTo(c, /accepted your request/);
    expect(mail.subject).toBe('Dana Wrench accepted your request');
    expect(mail.from?.text).toContain('help@autodoctor.test');
    expect(mail.text).toContain(`${t.config.publicUrl}/sessions/${session.id}`);
    expect(mail.html).toContain(`href="${t.config.publicUrl}/sessions/${session.id}"`);
    // A kind the customer may turn off carries the one-click unsubscribe headers.
    expect(headerOf(mail, 'list-unsubscribe')).toMatch(/^<http:\/\/.+\/api\/unsubscribe\?token=.+>$/);
    expect(headerOf(mail, 'list-unsubscribe-post')).toBe('List-Unsubscribe=One-Click');
    const bell = await get(t, '/api/notifications', c);
    expect(bell.body.unread).toBe(1);
    expect(bell.body.items[0]).toMatchObject({
      title: 'Dana Wrench accepted your request',
      link: `/sessions/${session.id}`,
    });
    // The mechanic hears nothing of their own accept.
    expect(smtp.to(m.email).filter((mail) => /accepted/.test(mail.subject ?? ''))).toHaveLength(0);
  });

  it('a job that runs twice sends the email once', async () => {
    const c = await customer(t);
    const session = await pendingSession(t, c);
    await post(t, `/api/sessions/${session.id}/accept`, await mechanic(t));
    await t.jobs.drain();
    await mailTo(c, /accepted your request/);
    // As after a crash between sending and recording "done": both jobs run again.
    await t.database.db.execute(
      sql`UPDATE ${jobs} SET state = 'queued', run_at = ${t.clock.now().toISOString()}::timestamptz
          WHERE key LIKE ${`%${c.id}`} OR key LIKE ${'notify:session_event:%'}`,
    );
    await t.jobs.drain();
    expect(smtp.to(c.email).filter((m) => /accepted your request/.test(m.subject ?? ''))).toHaveLength(1);
    expect((await get(t, '/api/notifications', c)).body.items).toHaveLength(1);
  });

  it('nothing is sent for a transaction that rolled back', async () => {
    const c = await customer(t);
    await expect(
      t.database.db.transaction(async (tx) => {
        await enqueueEmail(tx, t.clock.now(), {
          kind: 'mechanic_available',
          userId: c.id,
          about: 'rolled-back',
          data: { planName: 'Quick Chat', vehicle: 'Honda Civic' },
        });
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    await t.jobs.drain();
    expect(smtp.to(c.email).filter((m) => /available/.test(m.subject ?? ''))).toHaveLength(0);
    const kept = await t.database.db.select().from(emails).where(eq(emails.userId, c.id));
    expect(kept.filter((e) => e.kind === 'mechanic_available')).toHaveLength(0);
  });

  it('report ready: the PDF is attached, and “unsafe to drive” is said first', async () => {
    const c = await customer(t);
    const m = await mechanic(t);
    const session = await liveSession(t, c, m);
    await post(t, `/api/sessions/${session.id}/end`, c);
    expect((await put(t, `/api/sessions/${session.id}/report`, m, reportBody)).status).toBe(200);
    await t.jobs.drain();
    const mail = await mailTo(c, /report/);
    expect(mail.text).toMatch(/unsafe to drive/);
    expect(mail.attachments).toHaveLength(1);
    const [pdf] = mail.attachments;
    expect(pdf).toMatchObject({ filename: 'autodoctor-report.pdf', contentType: 'application/pdf' });
    expect(pdf!.content.subarray(0, 4).toString()).toBe('%PDF');
    const text = (await new PDFParse({ data: new Uint8Array(pdf!.content) }).getText()).text;
    expect(text).toContain('Grinding on braking');
    // And the receipt of the paid session went out once it was captured.
    const receipt = await mailTo(c, /receipt/i);
    expect(receipt.text).toMatch(/charged \$9\.99 to your visa ending 4242/i);
  });

  it('unsubscribe by link: that kind stops, others go on; the link cannot be forged', async () => {
    const c = await customer(t);
    const first = await pendingSession(t, c);
    await post(t, `/api/sessions/${first.id}/accept`, await mechanic(t));
    await t.jobs.drain();
    const mail = await mailTo(c, /accepted your request/);
    const link = linkIn(mail.text, `${t.config.publicUrl}/api/unsubscribe?token=`);
    const path = link.slice(t.config.publicUrl.length);
    const forged = await call(
      t,
      'GET',
      path.replace(/.$/, (ch) => (ch === 'A' ? 'B' : 'A')),
    );
    expect(forged.status).toBe(404);
    const page = await call(t, 'GET', path);
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toMatch(/text\/html/);
    expect(page.body).toContain('You are unsubscribed');
    expect((await get(t, '/api/me/notifications', c)).body.email.request_accepted).toBe(false);
    // The next acceptance is kept, marked suppressed, and not sent.
    await post(t, `/api/sessions/${first.id}/end`, c);
    const second = await pendingSession(t, c);
    await post(t, `/api/sessions/${second.id}/accept`, await mechanic(t));
    await t.jobs.drain();
    expect(smtp.to(c.email).filter((m) => /accepted your request/.test(m.subject ?? ''))).toHaveLength(1);
    const kept = await t.database.db.select().from(emails).where(eq(emails.userId, c.id));
    expect(
      kept
        .filter((e) => e.kind === 'request_accepted')
        .map((e) => e.status)
        .sort(),
    ).toEqual(['sent', 'suppressed']);
  });

  it('one-click unsubscribe: the mail client’s POST of List-Unsubscribe=One-Click', async () => {
    const c = await customer(t);
    const session = await pendingSession(t, c);
    await post(t, `/api/sessions/${session.id}/accept`, await mechanic(t));
    await t.jobs.drain();
    const mail = await mailTo(c, /accepted your request/);
    const url = headerOf(mail, 'list-unsubscribe').replace(/^<|>$/g, '');
    const reply = await call(t, 'POST', url.slice(t.config.publicUrl.length), {
      rawBody: 'List-Unsubscribe=One-Click',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(reply.status).toBe(200);
    expect((await get(t, '/api/me/notifications', c)).body.email.request_accepted).toBe(false);
  });

  it('preferences: read and change the kinds one may turn off; account emails are not among them', async () => {
    const m = await mechanic(t);
    const mine = await get(t, '/api/me/notifications', m);
    expect(mine.body.email).toMatchObject({ new_request: false, report_ready: true });
    expect(mine.body.email).not.toHaveProperty('password_reset');
    const changed = await put(t, '/api/me/notifications', m, { email: { new_request: true, weekly_statement: false } });
    expect(changed.status).toBe(200);
    expect(changed.body.email).toMatchObject({ new_request: true, weekly_statement: false, report_ready: true });
    const refused = await put(t, '/api/me/notifications', m, { email: { password_reset: false } });
    expect(refused.status).toBe(400);
    expect((await call(t, 'GET', '/api/me/notifications')).status).toBe(401);
  });

  it('password reset, end to end: request, email, link, new password, signed in with it', async () => {
    const user = await signUp(t, 'forgetful');
    const asked = await call(t, 'POST', '/api/auth/request-password-reset', {
      body: { email: user.email, redirectTo: `${t.config.publicUrl}/reset-password` },
    });
    expect(asked.status).toBe(200);
    await t.jobs.drain();
    const mail = await mailTo(user, /reset your password/i);
    const link = linkIn(mail.text, `${t.config.publicUrl}/api/auth/reset-password/`);
    const followed = await call(t, 'GET', link.slice(t.config.publicUrl.length));
    expect(followed.status).toBe(302);
    const landing = new URL(String(followed.headers.location));
    expect(landing.pathname).toBe('/reset-password');
    const token = landing.searchParams.get('token')!;
    const reset = await call(t, 'POST', '/api/auth/reset-password', {
      body: { newPassword: 'a-brand-new-passphrase', token },
    });
    expect(reset.status).toBe(200);
    const signIn = await call(t, 'POST', '/api/auth/sign-in/email', {
      body: { email: user.email, password: 'a-brand-new-passphrase' },
    });
    expect(signIn.status).toBe(200);
    // A reset signs every old session out.
    expect((await get(t, '/api/me', user)).status).toBe(401);
    // An unknown address gets the same answer, and no email.
    const unknown = await call(t, 'POST', '/api/auth/request-password-reset', {
      body: { email: 'nobody-here@example.test', redirectTo: `${t.config.publicUrl}/reset-password` },
    });
    expect(unknown.status).toBe(200);
  });

  it('sign-up sends the address-verification email, whose link verifies it', async () => {
    const user = await signUp(t, 'fresh');
    await t.jobs.drain();
    const mail = await mailTo(user, /confirm your email/i);
    const link = linkIn(mail.text, `${t.config.publicUrl}/api/auth/verify-email?token=`);
    const followed = await call(t, 'GET', link.slice(t.config.publicUrl.length));
    expect([200, 302]).toContain(followed.status);
    const [row] = await t.database.db.select().from(users).where(eq(users.id, user.id));
    expect(row!.emailVerified).toBe(true);
  });

  it('signing up with an address that has an account answers as for a new one, and tells its owner once an hour', async () => {
    const owner = await signUp(t, 'taken');
    const fresh = `fresh-${crypto.randomUUID()}@example.test`;
    const attempt = (email: string) =>
      call(t, 'POST', '/api/auth/sign-up/email', {
        body: { name: 'Sam Stranger', email, password: 'a-long-password' },
        headers: { origin: t.config.publicUrl },
        remoteAddress: '10.9.8.7',
      });
    const again = await attempt(owner.email.toUpperCase());
    const created = await attempt(fresh);
    // Same status, same body shape (the browser never sees a token either way); no account taken over.
    expect(again.status).toBe(200);
    expect(created.status).toBe(200);
    expect(Object.keys(again.body).sort()).toEqual(Object.keys(created.body).sort());
    expect(Object.keys(again.body.user).sort()).toEqual(Object.keys(created.body.user).sort());
    expect(again.body.user).toMatchObject({ email: owner.email, name: 'Sam Stranger', emailVerified: false });
    expect(again.body.user.id).not.toBe(owner.id);
    expect(again.headers['set-cookie']).toBeUndefined();
    const [kept] = await t.database.db.select().from(users).where(eq(users.id, owner.id));
    expect(kept!.name).not.toBe('Sam Stranger');
    // The owner hears of it by email, with the way back in; a second try within the hour adds nothing.
    await attempt(owner.email);
    await t.jobs.drain();
    const mail = await mailTo(owner, /already have an AutoDoctor account/);
    expect(mail.text).toContain(`${t.config.publicUrl}/forgot-password`);
    const told = await t.database.db.select().from(emails).where(eq(emails.userId, owner.id));
    expect(told.filter((e) => e.kind === 'account_exists')).toHaveLength(1);
    // The password still opens only the owner's account.
    const stranger = await call(t, 'POST', '/api/auth/sign-in/email', {
      body: { email: owner.email, password: 'a-long-password' },
    });
    expect(stranger.status).toBe(401);
  });
});

describe('the off-shift alert (new request matching you)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  const alertsOf = async (m: TestUser) =>
    (await t.database.db.select().from(emails).where(eq(emails.userId, m.id))).filter((e) => e.kind === 'new_request');

  it('opted-in, off-shift, would-be-eligible mechanics only; at most one email per 15 minutes', async () => {
    const optedIn = await mechanic(t, { onShift: false });
    const notOptedIn = await mechanic(t, { onShift: false });
    const workshopOnly = await mechanic(t, { onShift: false, tier: 'workshop_partner' });
    const onShift = await mechanic(t, { onShift: true });
    for (const m of [optedIn, workshopOnly, onShift])
      await t.database.db.insert(notificationPreferences).values({ userId: m.id, kind: 'new_request', email: true });
    // A plan any tier may take: the workshop partner would be eligible too; restrict it with a workshop of another.
    const otherWorkshop = await mechanic(t, { onShift: false, tier: 'workshop_partner' });
    const [row] = await t.database.db.select().from(mechanics).where(eq(mechanics.userId, otherWorkshop.id));
    const c1 = await customer(t);
    await post(t, '/api/sessions', c1, await paidSessionBody(t, c1, { workshopId: row!.workshopId }));
    await t.jobs.drain();
    // Only a mechanic of that workshop could take it, and none of them opted in.
    expect(await alertsOf(optedIn)).toHaveLength(0);
    expect(await alertsOf(workshopOnly)).toHaveLength(0);

    const c2 = await customer(t);
    await post(t, '/api/sessions', c2, await paidSessionBody(t, c2));
    const c3 = await customer(t);
    await post(t, '/api/sessions', c3, await paidSessionBody(t, c3));
    await t.jobs.drain();
    expect(await alertsOf(optedIn)).toHaveLength(1);
    expect(await alertsOf(workshopOnly)).toHaveLength(1);
    expect(await alertsOf(notOptedIn)).toHaveLength(0);
    expect(await alertsOf(onShift)).toHaveLength(0); // on shift: the queue tells them
    const [alert] = await alertsOf(optedIn);
    expect(alert!.subject).toMatch(/needs help with a 2016 Toyota Corolla/);

    t.clock.advanceSeconds(15 * 60 + 1);
    const c4 = await customer(t);
    await post(t, '/api/sessions', c4, await paidSessionBody(t, c4));
    await t.jobs.drain();
    expect(await alertsOf(optedIn)).toHaveLength(2);
  });
});

describe('the waitlist (notifications.md §4)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it('a mechanic coming on shift tells each waiting customer once, by email and notification', async () => {
    const c = await customer(t);
    const joined = await post(t, '/api/waitlist', c, { plan: 'quick', vehicle: '2016 Toyota Corolla' });
    expect(joined.status).toBe(201);
    expect((await get(t, '/api/waitlist', c)).body.entry).toMatchObject({
      plan: 'quick',
      vehicle: '2016 Toyota Corolla',
    });
    const m = await mechanic(t, { onShift: false });
    expect((await post(t, '/api/mechanic/shift', m, { onShift: true })).status).toBe(200);
    await t.jobs.drain();
    const sent = (await t.database.db.select().from(emails).where(eq(emails.userId, c.id))).filter(
      (e) => e.kind === 'mechanic_available',
    );
    expect(sent).toHaveLength(1);
    expect(sent[0]!.text).toContain('2016 Toyota Corolla');
    expect((await get(t, '/api/notifications', c)).body.items[0].title).toBe('A mechanic is available now');
    expect((await get(t, '/api/waitlist', c)).body.entry).toBeNull();
    // Off and on again: the customer has left the list and hears nothing more.
    await post(t, '/api/mechanic/shift', m, { onShift: false });
    await post(t, '/api/mechanic/shift', m, { onShift: true });
    await t.jobs.drain();
    const again = (await t.database.db.select().from(emails).where(eq(emails.userId, c.id))).filter(
      (e) => e.kind === 'mechanic_available',
    );
    expect(again).toHaveLength(1);
  });

  it('entries expire after 24 hours; leaving works; only customers; the plan must exist', async () => {
    const c = await customer(t);
    await post(t, '/api/waitlist', c, { plan: 'quick', vehicle: 'Honda Civic' });
    t.clock.advanceSeconds(24 * 3600 + 1);
    expect((await get(t, '/api/waitlist', c)).body.entry).toBeNull();
    const m = await mechanic(t, { onShift: false });
    await post(t, '/api/mechanic/shift', m, { onShift: true });
    await t.jobs.drain();
    expect(
      (await t.database.db.select().from(emails).where(eq(emails.userId, c.id))).filter(
        (e) => e.kind === 'mechanic_available',
      ),
    ).toHaveLength(0);
    await post(t, '/api/waitlist', c, { plan: 'quick', vehicle: 'Honda Civic' });
    expect((await call(t, 'DELETE', '/api/waitlist', { as: c })).status).toBe(200);
    expect((await get(t, '/api/waitlist', c)).body.entry).toBeNull();
    expect((await post(t, '/api/waitlist', m, { plan: 'quick', vehicle: 'Honda Civic' })).status).toBe(403);
    expect((await post(t, '/api/waitlist', undefined, { plan: 'quick', vehicle: 'Honda Civic' })).status).toBe(401);
    const unknown = await post(t, '/api/waitlist', c, { plan: 'platinum', vehicle: 'Honda Civic' });
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors[0].path).toBe('body.plan');
  });
});

describe('in-app notifications and the outbox', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ realClock: true });
  });
  afterAll(async () => {
    await t.close();
  });

  it('the bell lights up live over the user topic when a mechanic accepts; marking read', async () => {
    const base = await t.app.listen({ port: 0, host: '127.0.0.1' });
    const c = await customer(t);
    const socket = await connect(base, c.headers);
    socket.send({ type: 'subscribe', topic: 'user' });
    await socket.next((f) => f.type === 'subscribed');
    const session = await pendingSession(t, c);
    await post(t, `/api/sessions/${session.id}/accept`, await mechanic(t));
    const frame = await socket.next((f) => f.event?.kind === 'notification.created');
    expect(frame.topic).toBe('user');
    expect(frame.event).toMatchObject({ unread: 1, notification: { link: `/sessions/${session.id}` } });
    await socket.close();

    const other = await customer(t);
    const id = frame.event.notification.id;
    // Another user's ids change nothing of mine.
    expect((await post(t, '/api/notifications/read', other, { ids: [id] })).body.unread).toBe(0);
    expect((await get(t, '/api/notifications', c)).body.unread).toBe(1);
    expect((await post(t, '/api/notifications/read', c, { ids: [id] })).body.unread).toBe(0);
    expect((await post(t, '/api/notifications/read', c, { all: true })).status).toBe(200);
    expect((await post(t, '/api/notifications/read', c, {})).status).toBe(400);
    expect((await get(t, '/api/notifications', other)).body.items).toHaveLength(0);
    expect((await get(t, '/api/notifications')).status).toBe(401);
  });

  it('without SMTP every email is kept for Admin → Outbox, as the recipient would see it; admins only', async () => {
    const c = await customer(t);
    const session = await pendingSession(t, c);
    await post(t, `/api/sessions/${session.id}/accept`, await mechanic(t));
    await t.jobs.drain();
    const boss = await admin(t);
    const outbox = await get(t, `/api/admin/outbox?to=${encodeURIComponent(c.email)}`, boss);
    expect(outbox.status).toBe(200);
    const accepted = outbox.body.items.find((e: { kind: string }) => e.kind === 'request_accepted');
    expect(accepted).toMatchObject({ to: c.email, status: 'stored', subject: 'Test Mechanic accepted your request' });
    expect(accepted.html).toContain('<a href=');
    expect(accepted.text).toContain('Join the session');
    expect((await get(t, '/api/admin/outbox', c)).status).toBe(403);
    expect((await get(t, '/api/admin/outbox', await mechanic(t))).status).toBe(403);
    expect((await get(t, '/api/admin/outbox')).status).toBe(401);
    expect((await get(t, '/api/admin/outbox?kind=spam', boss)).status).toBe(400);
  });

  it('an application, its approval and a suspension reach the mechanic', async () => {
    const applicant = await signUp(t, 'applicant');
    const applied = await post(t, '/api/mechanics/apply', applicant, {
      displayName: 'Robin Gears',
      serviceTier: 'virtual_only',
      brands: ['Toyota'],
      yearsExperience: 6,
      bio: 'Ten years on Toyotas and Hondas, mostly brakes and suspension.',
    });
    expect(applied.status).toBe(201);
    const boss = await admin(t);
    expect((await post(t, `/api/admin/mechanics/${applicant.id}/approve`, boss, { reason: 'Checked' })).status).toBe(
      200,
    );
    await t.jobs.drain();
    const kinds = (await t.database.db.select().from(emails).where(eq(emails.userId, applicant.id)))
      .filter((e) => e.kind === 'application_update')
      .map((e) => e.subject);
    expect(kinds.sort()).toEqual(['We received your mechanic application', 'You are approved to take sessions']);
  });
});
