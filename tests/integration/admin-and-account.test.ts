import crypto from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminActions, mechanics, users } from '../../src/server/db/schema.js';
import { admin, customer, mechanic, signUp, type TestUser } from '../factories/index.js';
import { acceptedSession, liveSession, pendingSession } from '../factories/sessions.js';
import { call, get, post, type Reply } from '../helpers/http.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

/*
 * The account page (PATCH /api/me, the auth library's change-password) and the admin console's
 * new and changed endpoints: people search, decline, the session list's names and prices, and the
 * inspectors' sentences.
 */

const PASSWORD = 'correct-horse-battery';
const NOBODY = '00000000-0000-4000-8000-000000000000';

let t: TestApp;
let boss: TestUser;
beforeAll(async () => {
  t = await createTestApp();
  boss = await admin(t);
});
afterAll(() => t.close());

const patch = <T = any>(url: string, as: TestUser | undefined, body: unknown, headers: Record<string, string> = {}) =>
  call<T>(t, 'PATCH', url, { as, body, headers });

/** A word nobody else in this database has, so a search finds exactly what a test made. */
const token = () => `qz${crypto.randomBytes(4).toString('hex')}`;

/** Names a user the way an operator would see them (the factories name users after their role). */
async function rename(user: TestUser, name: string, displayName?: string) {
  await t.database.db.update(users).set({ name }).where(eq(users.id, user.id));
  if (displayName) await t.database.db.update(mechanics).set({ displayName }).where(eq(mechanics.userId, user.id));
  return user;
}

const fieldPaths = (reply: Reply) => (reply.body.errors ?? []).map((e: { path: string }) => e.path);

/** Every admin endpoint: 401 anonymous, 403 for customers and mechanics, allowed for an admin. */
async function expectAdminOnly(method: 'GET' | 'POST', url: string, body?: unknown) {
  expect((await call(t, method, url, { body })).status).toBe(401);
  expect((await call(t, method, url, { as: await customer(t), body })).status).toBe(403);
  expect((await call(t, method, url, { as: await mechanic(t), body })).status).toBe(403);
  const allowed = await call(t, method, url, { as: boss, body });
  expect(allowed.status, JSON.stringify(allowed.body)).toBe(200);
  return allowed;
}

describe('PATCH /api/me: the account page changes the name', () => {
  it.each(['customer', 'mechanic', 'admin'] as const)(
    'a %s renames themself, and /api/me says the new name at once although sign-ins are cached',
    async (role) => {
      const user = role === 'customer' ? await customer(t) : role === 'mechanic' ? await mechanic(t) : await admin(t);
      expect((await get(t, '/api/me', user)).body.user.name).toBe(role); // cached now
      const reply = await patch('/api/me', user, { name: '  Robin Quill  ' });
      expect(reply.status, JSON.stringify(reply.body)).toBe(200);
      expect(reply.body.user).toEqual({ id: user.id, email: user.email, name: 'Robin Quill', role });
      expect((await get(t, '/api/me', user)).body.user.name).toBe('Robin Quill');
      const [row] = await t.database.db.select().from(users).where(eq(users.id, user.id));
      expect(row!.name).toBe('Robin Quill');
    },
  );

  it('a mechanic changes the name they work under; their standing stays as it was', async () => {
    const m = await mechanic(t, { onShift: true });
    const reply = await patch('/api/me', m, { displayName: 'Sam the Brake Specialist' });
    expect(reply.status).toBe(200);
    expect(reply.body.mechanic).toMatchObject({
      displayName: 'Sam the Brake Specialist',
      approvalStatus: 'approved',
      onShift: true,
    });
    expect(reply.body.user.name).toBe('mechanic');
  });

  it('a customer or an admin has no name they work under: refused with the field named', async () => {
    for (const user of [await customer(t), await admin(t)]) {
      const reply = await patch('/api/me', user, { name: 'Changed', displayName: 'Nobody' });
      expect(reply.status).toBe(400);
      expect(fieldPaths(reply)).toEqual(['body.displayName']);
      // One transaction: the name was not changed either.
      expect((await get(t, '/api/me', user)).body.user.name).not.toBe('Changed');
    }
  });

  it.each([
    ['nothing to change', {}, 'body'],
    ['an empty name', { name: '   ' }, 'body.name'],
    ['a name over 100 characters', { name: 'x'.repeat(101) }, 'body.name'],
    ['a control character', { name: 'Robin\u0007Quill' }, 'body.name'],
    ['a one-letter work name', { displayName: 'x' }, 'body.displayName'],
    ['a field it does not know (the role is never the caller’s to set)', { name: 'Ok', role: 'admin' }, 'body'],
  ])('refuses %s with 400 naming the field', async (_what, body, path) => {
    const m = await mechanic(t);
    const reply = await patch('/api/me', m, body);
    expect(reply.status).toBe(400);
    expect(reply.body.code).toBe('VALIDATION_FAILED');
    expect(fieldPaths(reply).some((p: string) => p.startsWith(path))).toBe(true);
    expect((await get(t, '/api/me', m)).body.user).toMatchObject({ name: 'mechanic', role: 'mechanic' });
  });

  it('anonymous is 401; a cookie from a foreign page is 403', async () => {
    expect((await patch('/api/me', undefined, { name: 'Anon' })).status).toBe(401);
    const email = `rename-${token()}@example.test`;
    const signedUp = await call(t, 'POST', '/api/auth/sign-up/email', {
      body: { email, password: PASSWORD, name: 'Cookie Person' },
    });
    const cookie = String(signedUp.headers['set-cookie']).split(';')[0]!;
    const foreign = await call(t, 'PATCH', '/api/me', {
      headers: { cookie, origin: 'https://evil.example' },
      body: { name: 'Hijacked' },
    });
    expect(foreign.status).toBe(403);
    const own = await call(t, 'PATCH', '/api/me', {
      headers: { cookie, origin: t.config.publicUrl },
      body: { name: 'Cookie Person Renamed' },
    });
    expect(own.status).toBe(200);
    expect(own.body.user.name).toBe('Cookie Person Renamed');
  });
});

describe('change password (the auth library’s endpoint, our checks first)', () => {
  const signIn = (email: string, password: string) =>
    call(t, 'POST', '/api/auth/sign-in/email', { body: { email, password } });
  /*
   * The library allows 3 password changes per 10 s from one address: each call here comes from an
   * address of its own, so the tests do not trip over one another's.
   */
  let host = 10;
  const changePassword = (options: { as?: TestUser; headers?: Record<string, string>; body: unknown }) =>
    call(t, 'POST', '/api/auth/change-password', { ...options, remoteAddress: `192.0.2.${host++}` });

  it('with the current password: the new one signs in, the old one does not, other devices are signed out', async () => {
    const user = await signUp(t, 'changer');
    const other = await signIn(user.email, PASSWORD);
    const otherDevice = { headers: { authorization: `Bearer ${other.body.token}` } };
    expect((await get(t, '/api/me', otherDevice)).status).toBe(200); // cached now
    const reply = await changePassword({
      as: user,
      body: { currentPassword: PASSWORD, newPassword: 'a-brand-new-passphrase', revokeOtherSessions: true },
    });
    expect(reply.status, JSON.stringify(reply.body)).toBe(200);
    expect((await get(t, '/api/me', otherDevice)).status).toBe(401);
    // This client carries on with the session the change issued.
    expect((await get(t, '/api/me', { headers: { authorization: `Bearer ${reply.body.token}` } })).status).toBe(200);
    expect((await signIn(user.email, PASSWORD)).status).toBe(401);
    expect((await signIn(user.email, 'a-brand-new-passphrase')).status).toBe(200);
  });

  it('from a browser, the new session stays in the cookie and never reaches page scripts', async () => {
    const email = `browser-${token()}@example.test`;
    const browser = { origin: t.config.publicUrl, 'sec-fetch-mode': 'cors' };
    const signedUp = await call(t, 'POST', '/api/auth/sign-up/email', {
      headers: browser,
      body: { email, password: PASSWORD, name: 'Browser Person' },
    });
    const cookie = String(signedUp.headers['set-cookie']).split(';')[0]!;
    const reply = await changePassword({
      headers: { ...browser, cookie },
      body: { currentPassword: PASSWORD, newPassword: 'another-long-passphrase', revokeOtherSessions: true },
    });
    expect(reply.status).toBe(200);
    expect(reply.body.token).toBeUndefined();
    expect(reply.headers['set-auth-token']).toBeUndefined();
    const renewed = String(reply.headers['set-cookie']).split(';')[0]!;
    expect(renewed).toMatch(/better-auth\.session_token=/);
    expect((await call(t, 'GET', '/api/me', { headers: { cookie: renewed } })).status).toBe(200);
    expect((await call(t, 'GET', '/api/me', { headers: { cookie } })).status).toBe(401);
  });

  it('a wrong current password changes nothing', async () => {
    const user = await signUp(t, 'forgetful');
    const reply = await changePassword({
      as: user,
      body: { currentPassword: 'not-my-password', newPassword: 'a-brand-new-passphrase' },
    });
    expect(reply.status).toBe(400);
    expect(reply.body.code).toBe('INVALID_PASSWORD');
    expect((await signIn(user.email, PASSWORD)).status).toBe(200);
  });

  it.each([
    ['too short', 'short'],
    ['blank', '         '],
    ['one of the most common', 'password123'],
  ])('a new password that is %s is refused with the field named', async (_what, newPassword) => {
    const user = await signUp(t, 'weak');
    const reply = await changePassword({ as: user, body: { currentPassword: PASSWORD, newPassword } });
    expect(reply.status).toBe(400);
    expect(reply.body.code).toBe('VALIDATION_FAILED');
    expect(fieldPaths(reply)).toContain('body.newPassword');
    expect((await signIn(user.email, PASSWORD)).status).toBe(200);
  });

  it('anonymous is refused', async () => {
    const reply = await changePassword({
      body: { currentPassword: PASSWORD, newPassword: 'a-brand-new-passphrase' },
    });
    expect(reply.status).toBe(401);
  });
});

describe('GET /api/admin/users: find people by part of their name or email', () => {
  const search = (query: string, as: TestUser = boss) => get(t, `/api/admin/users?${query}`, as);
  const ids = (reply: Reply) => reply.body.items.map((i: { id: string }) => i.id);

  it('finds customers and mechanics by part of the name, in any case, with role and approval status', async () => {
    const word = token();
    const c = await rename(await customer(t), `Ana ${word}son`);
    const m = await rename(await mechanic(t, { approval: 'pending' }), `Bo ${word}berg`);
    const reply = await search(`q=${word.toUpperCase().slice(0, 6)}${word.slice(6)}`);
    expect(reply.status).toBe(200);
    expect(reply.body.hasMore).toBe(false);
    expect(reply.body.items).toEqual(
      expect.arrayContaining([
        {
          id: c.id,
          role: 'customer',
          name: `Ana ${word}son`,
          email: c.email,
          banned: false,
          displayName: null,
          approvalStatus: null,
        },
        {
          id: m.id,
          role: 'mechanic',
          name: `Bo ${word}berg`,
          email: m.email,
          banned: false,
          displayName: 'Test Mechanic',
          approvalStatus: 'pending',
        },
      ]),
    );
    expect(reply.body.items).toHaveLength(2);
  });

  it('finds by part of the email, and by the name a mechanic works under', async () => {
    const m = await mechanic(t);
    const byEmail = await search(`q=${encodeURIComponent(m.email.slice(9, 17))}`);
    expect(ids(byEmail)).toContain(m.id);
    const word = token();
    await rename(m, 'Plain Name', `Wrench ${word}`);
    expect(ids(await search(`q=${word}`))).toEqual([m.id]);
  });

  it('narrows to one role', async () => {
    const word = token();
    const c = await rename(await customer(t), `Cy ${word}`);
    const m = await rename(await mechanic(t), `Di ${word}`);
    expect(ids(await search(`q=${word}&role=mechanic`))).toEqual([m.id]);
    expect(ids(await search(`q=${word}&role=customer`))).toEqual([c.id]);
  });

  it('puts names and emails that start with the text first', async () => {
    const word = token();
    const inside = await rename(await customer(t), `Aaron ${word}`);
    const starts = await rename(await customer(t), `${word} Zimmer`);
    expect(ids(await search(`q=${word}`))).toEqual([starts.id, inside.id]);
  });

  it('takes % and _ and \\ literally: they are text, never patterns', async () => {
    const word = token();
    const percent = await rename(await customer(t), `Per%cent ${word}`);
    await rename(await customer(t), `Perxcent ${word}`);
    const underscore = await rename(await customer(t), `Under_score ${word}`);
    await rename(await customer(t), `Underxscore ${word}`);
    expect(ids(await search(`q=${encodeURIComponent('r%c')}`))).toEqual([percent.id]);
    expect(ids(await search(`q=${encodeURIComponent('r_s')}`))).toEqual([underscore.id]);
    const wildcards = await search(`q=${encodeURIComponent('%%')}`);
    expect(wildcards.status).toBe(200);
    expect(wildcards.body.items).toEqual([]);
    const backslash = await search(`q=${encodeURIComponent('r\\')}`);
    expect(backslash.status).toBe(200);
    expect(backslash.body.items).toEqual([]);
  });

  it('answers at most 20, and says when there were more', async () => {
    const word = token();
    for (let i = 0; i < 21; i++) await rename(await customer(t), `Many ${word} ${String(i).padStart(2, '0')}`);
    const reply = await search(`q=${word}`);
    expect(reply.body.items).toHaveLength(20);
    expect(reply.body.hasMore).toBe(true);
    const fewer = await search(`q=${encodeURIComponent(`${word} 2`)}`);
    expect(fewer.body).toMatchObject({ hasMore: false, items: [expect.objectContaining({ name: `Many ${word} 20` })] });
  });

  it.each([
    ['no text', ''],
    ['one character', 'q=a'],
    ['one character among spaces', `q=${encodeURIComponent('  a  ')}`],
    ['over 100 characters', `q=${'x'.repeat(101)}`],
    ['an unknown role', 'q=ab&role=owner'],
    ['an unknown parameter', 'q=ab&email=x'],
  ])('refuses %s with 400', async (_what, query) => {
    const reply = await search(query);
    expect(reply.status).toBe(400);
    expect(reply.body.code).toBe('VALIDATION_FAILED');
  });

  it('names the field when the text is too short', async () => {
    const reply = await search('q=a');
    expect(reply.body.errors).toEqual([{ path: 'querystring.q', message: 'must be at least 2 characters' }]);
  });

  it('is for admins only', async () => {
    await expectAdminOnly('GET', '/api/admin/users?q=ab');
  });
});

describe('POST /api/admin/mechanics/:userId/decline', () => {
  it('declines a pending application: it cannot take requests, and the audit log says decline', async () => {
    const m = await mechanic(t, { approval: 'pending', onShift: false });
    const reply = await post(t, `/api/admin/mechanics/${m.id}/decline`, boss, { reason: 'Certificate expired' });
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({ userId: m.id, approvalStatus: 'suspended', onShift: false });
    const [audit] = await t.database.db.select().from(adminActions).where(eq(adminActions.targetId, m.id));
    expect(audit).toMatchObject({
      adminId: boss.id,
      action: 'mechanic.decline',
      reason: 'Certificate expired',
      before: { approvalStatus: 'pending' },
      after: { approvalStatus: 'suspended' },
    });
    const inspection = await get(t, `/api/admin/mechanics/inspect?userId=${m.id}`, boss);
    expect(inspection.body.eligibility).toEqual({ eligible: false, blockedBy: 'NOT_APPROVED' });
    expect(inspection.body.recommendations.join(' ')).toContain('declined');
  });

  it('refuses to decline a mechanic who is not waiting (a second click, or after an approval)', async () => {
    const m = await mechanic(t, { approval: 'approved' });
    const reply = await post(t, `/api/admin/mechanics/${m.id}/decline`, boss, { reason: 'too late' });
    expect(reply.status).toBe(409);
    expect(reply.body.code).toBe('INVALID_TRANSITION');
    const [row] = await t.database.db.select().from(mechanics).where(eq(mechanics.userId, m.id));
    expect(row!.approvalStatus).toBe('approved');
  });

  it('needs a reason; an unknown mechanic is 404', async () => {
    const m = await mechanic(t, { approval: 'pending' });
    expect((await post(t, `/api/admin/mechanics/${m.id}/decline`, boss, {})).status).toBe(400);
    expect((await post(t, `/api/admin/mechanics/${m.id}/decline`, boss, { reason: '   ' })).status).toBe(400);
    expect((await post(t, `/api/admin/mechanics/${NOBODY}/decline`, boss, { reason: 'x' })).status).toBe(404);
  });

  it('is for admins only', async () => {
    const m = await mechanic(t, { approval: 'pending' });
    await expectAdminOnly('POST', `/api/admin/mechanics/${m.id}/decline`, { reason: 'Not certified' });
  });
});

describe('GET /api/admin/sessions names the customer and the mechanic, and says the price', () => {
  it('a paid session accepted by a mechanic: both by name, the plan’s price, the hold', async () => {
    const c = await rename(await customer(t), 'Casey Driver');
    const m = await rename(await mechanic(t), 'Morgan Wrench');
    const session = await acceptedSession(t, c, m);
    const reply = await get(t, `/api/admin/sessions?customerId=${c.id}`, boss);
    expect(reply.status).toBe(200);
    expect(reply.body.items).toHaveLength(1);
    expect(reply.body.items[0]).toMatchObject({
      id: session.id,
      status: 'accepted',
      customer: { id: c.id, name: 'Casey Driver', email: c.email },
      mechanic: { id: m.id, name: 'Morgan Wrench', email: m.email },
      price: {
        planName: 'Quick Chat',
        cents: 999,
        currency: 'USD',
        paymentStatus: 'authorized',
        chargedCents: 0,
        refundedCents: 0,
      },
    });
    await post(t, `/api/sessions/${session.id}/end`, c);
  });

  it('a free request waiting for a mechanic: no mechanic yet, no payment, free', async () => {
    const c = await customer(t);
    await pendingSession(t, c, { plan: 'free' });
    const reply = await get(t, `/api/admin/sessions?customerId=${c.id}`, boss);
    expect(reply.body.items[0]).toMatchObject({
      mechanic: null,
      price: { planName: 'Free Quick Question', cents: 0, paymentStatus: null, chargedCents: 0 },
    });
  });

  it('a completed session shows what was charged', async () => {
    const c = await customer(t);
    const m = await mechanic(t);
    const live = await liveSession(t, c, m, { plan: 'standard' });
    await post(t, `/api/sessions/${live.id}/end`, c);
    await t.jobs.drain();
    const reply = await get(t, `/api/admin/sessions?mechanicId=${m.id}`, boss);
    expect(reply.body.items.map((s: { id: string }) => s.id)).toEqual([live.id]);
    expect(reply.body.items[0].price).toMatchObject({
      planName: 'Standard Video',
      cents: 2999,
      paymentStatus: 'captured',
      chargedCents: 2999,
    });
  });

  it('refuses a person filter that is not an id', async () => {
    const reply = await get(t, '/api/admin/sessions?customerId=someone', boss);
    expect(reply.status).toBe(400);
    expect(fieldPaths(reply)).toContain('querystring.customerId');
  });

  it('is for admins only', async () => {
    await expectAdminOnly('GET', '/api/admin/sessions?limit=5');
  });
});

describe('the inspectors speak in sentences', () => {
  const inspect = async (id: string) => (await get(t, `/api/admin/sessions/${id}/inspect`, boss)).body;

  it('names the participants, and says what the sweeper will do in words', async () => {
    const c = await rename(await customer(t), 'Casey Driver');
    const m = await rename(await mechanic(t), 'Morgan Wrench');
    const accepted = await acceptedSession(t, c, m);
    await post(t, `/api/sessions/${accepted.id}/join`, c);
    const a = await inspect(accepted.id);
    expect(a.participants).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ role: 'customer', name: 'Casey Driver', email: c.email }),
        expect.objectContaining({ role: 'mechanic', name: 'Morgan Wrench', email: m.email }),
      ]),
    );
    expect(a.deadline.action).toBe('end it as a no-show by the mechanic (T9)');
    expect(a.recommendations).toContain(
      'Waiting for the mechanic to join; if the join window passes first, it ends as a no-show.',
    );
    await post(t, `/api/sessions/${accepted.id}/join`, m);
    const live = await inspect(accepted.id);
    expect(live.deadline.action).toBe(
      'complete it when its time runs out (T11), or earlier, as abandoned, if both participants stay away for 5 minutes (T12)',
    );
    expect(Date.parse(live.deadline.countdownEndsAt)).toBe(Date.parse(live.session.startedAt) + 30 * 60_000);
    expect(live.deadline.abandonAt).toEqual(expect.any(String));
    await post(t, `/api/sessions/${accepted.id}/end`, c);
    const ended = await inspect(accepted.id);
    expect(ended.statusExplained).toBe('Completed: the customer ended it.');
    expect(ended.deadline).toEqual({
      at: null,
      overdue: false,
      action: 'do nothing more: the session has ended',
      countdownEndsAt: null,
      abandonAt: null,
    });
    expect(ended.recommendations).toEqual(['Nothing to do: the session has ended, and its history stays readable.']);
  });

  it('a no-show says who did not join (it used to say they joined in time)', async () => {
    const c = await customer(t);
    const m = await mechanic(t);
    const accepted = await acceptedSession(t, c, m);
    await post(t, `/api/sessions/${accepted.id}/join`, c);
    t.clock.advanceSeconds(t.config.windows.joinSeconds + 1);
    await post(t, `/api/sessions/${accepted.id}/end`, c);
    const missed = await inspect(accepted.id);
    expect(missed.session.status).toBe('no_show');
    expect(missed.statusExplained).toBe('Missed: the mechanic did not join in time, and the customer ended it.');
  });

  it('an overdue request says how long ago in minutes, and what to check', async () => {
    const c = await customer(t);
    const s = await pendingSession(t, c);
    t.clock.advanceSeconds(t.config.windows.offerSeconds + 16 * 60);
    const late = await inspect(s.id);
    expect(late.recommendations).toContain(
      'The deadline passed 16 minutes ago. The sweeper runs every 5 s and will expire it, because no mechanic ' +
        'accepted in time (T4). If it stays overdue, check that a server process is running and look in its logs ' +
        'for "sweep failed".',
    );
    await post(t, `/api/admin/sessions/${s.id}/force-end`, boss, { reason: 'test cleanup' });
  });

  it('the mechanic inspector advises in words, not API paths', async () => {
    const cases: [TestUser, string][] = [
      [await mechanic(t, { approval: 'pending' }), 'approve it on the Approvals page'],
      [await mechanic(t, { canAccept: false }), '“Allow accepting” on the Approvals page'],
      [await mechanic(t, { onShift: false }), 'they go on shift from their dashboard'],
      [await customer(t), 'This account is not a mechanic'],
      [await admin(t), 'This is an admin account'],
    ];
    for (const [user, advice] of cases) {
      const report = await get(t, `/api/admin/mechanics/inspect?userId=${user.id}`, boss);
      const said = report.body.recommendations.join(' ');
      expect(said).toContain(advice);
      expect(said).not.toMatch(/\/api\/|POST |:userId/);
    }
  });
});
