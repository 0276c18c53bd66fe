import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/server/db/client.js';
import { admin, customer, mechanic, workshop, type TestUser } from '../factories/index.js';
import { acceptedSession, liveSession, pendingSession } from '../factories/sessions.js';
import { call, get, post } from '../helpers/http.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

let t: TestApp;
let boss: TestUser;
beforeAll(async () => {
  t = await createTestApp();
  boss = await admin(t);
});
afterAll(() => t.close());

const inspect = async (id: string) => (await get(t, `/api/admin/sessions/${id}/inspect`, boss)).body;
const inspectMechanic = async (user: TestUser) =>
  (await get(t, `/api/admin/mechanics/inspect?email=${encodeURIComponent(user.email)}`, boss)).body;

describe('session inspector', () => {
  it('explains a pending session, and one past its deadline the sweeper has not reached', async () => {
    const c = await customer(t);
    const s = await pendingSession(t, c);
    const fresh = await inspect(s.id);
    expect(fresh.location.table).toBe('sessions');
    expect(fresh.session.status).toBe('pending');
    expect(fresh.deadline).toMatchObject({ overdue: false, action: expect.stringContaining('T4') });
    expect(fresh.events.map((e: { type: string }) => e.type)).toEqual(['session.created']);
    expect(fresh.allowedActions).toEqual(['force_end']);
    expect(fresh.participants[0]).toMatchObject({ role: 'customer', email: c.email, joinedAt: null });
    t.clock.advanceSeconds(960);
    const late = await inspect(s.id);
    expect(late.deadline.overdue).toBe(true);
    expect(late.recommendations.join(' ')).toMatch(/sweeper runs every 5 s and will expire it/);
    expect(late.violations).toEqual([]); // one interval + 60 s has not passed... by the I2 rule
    t.clock.advanceSeconds(120);
    expect((await inspect(s.id)).violations).toContainEqual(expect.objectContaining({ invariant: 'I2' }));
    await post(t, `/api/admin/sessions/${s.id}/force-end`, boss, { reason: 'test cleanup' });
  });

  it('explains accepted (who has not joined), live (countdown, abandonment) and ended sessions', async () => {
    const c = await customer(t);
    const m = await mechanic(t);
    const accepted = await acceptedSession(t, c, m);
    await post(t, `/api/sessions/${accepted.id}/join`, c);
    const a = await inspect(accepted.id);
    expect(a.deadline.action).toBe('end it as a no-show by the mechanic (T9)');
    expect(a.recommendations.join(' ')).toContain('Waiting for the mechanic to join');
    await post(t, `/api/sessions/${accepted.id}/end`, c);

    const live = await liveSession(t, c, m);
    const l = await inspect(live.id);
    expect(l.statusExplained).toBe('Both joined; the session is running.');
    expect(l.deadline.action).toMatch(/T11.*T12/);
    await post(t, `/api/sessions/${live.id}/end`, m);
    const ended = await inspect(live.id);
    expect(ended).toMatchObject({ allowedActions: [], deadline: { overdue: false } });
    expect(ended.statusExplained).toBe('Completed: the mechanic ended it.');
    expect(ended.events.at(-1)).toMatchObject({ type: 'session.ended', actorRole: 'mechanic' });
  });

  it('404 for an unknown id, saying there is only one table', async () => {
    const reply = await get(t, '/api/admin/sessions/00000000-0000-4000-8000-000000000000/inspect', boss);
    expect(reply.status).toBe(404);
    expect(reply.body.detail).toContain('one table');
  });
});

describe('mechanic inspector names each eligibility rule', () => {
  it('NOT_A_MECHANIC, NOT_APPROVED, ACCEPT_DISABLED, OFF_SHIFT, BUSY', async () => {
    expect((await inspectMechanic(await customer(t))).eligibility).toEqual({
      eligible: false,
      blockedBy: 'NOT_A_MECHANIC',
    });
    expect((await inspectMechanic(await mechanic(t, { approval: 'pending' }))).eligibility.blockedBy).toBe(
      'NOT_APPROVED',
    );
    expect((await inspectMechanic(await mechanic(t, { canAccept: false }))).eligibility.blockedBy).toBe(
      'ACCEPT_DISABLED',
    );
    const off = await inspectMechanic(await mechanic(t, { onShift: false }));
    expect(off.eligibility.blockedBy).toBe('OFF_SHIFT');
    expect(off.recommendations.join(' ')).toContain('on shift');
    const busy = await mechanic(t);
    const session = await acceptedSession(t, await customer(t), busy);
    const report = await inspectMechanic(busy);
    expect(report.eligibility.blockedBy).toBe('BUSY');
    expect(report.activeSession.id).toBe(session.id);
    expect(report.authLinked).toBe(true);
    await post(t, `/api/sessions/${session.id}/release`, busy);
  });

  it('per pending session: TIER_REQUIRED, OTHER_WORKSHOP, RESERVED, RELEASED_BEFORE, or visible', async () => {
    const virtual = await mechanic(t, { tier: 'virtual_only' });
    const preferred = await mechanic(t);
    const shop = await workshop(t);
    const diag = await pendingSession(t, await customer(t), { plan: 'diagnostic' });
    const forShop = await pendingSession(t, await customer(t), { workshopId: shop.id, plan: 'standard' });
    const reserved = await pendingSession(t, await customer(t), { preferredMechanicId: preferred.id });
    const released = await acceptedSession(t, await customer(t), virtual);
    await post(t, `/api/sessions/${released.id}/release`, virtual);
    const open = await pendingSession(t, await customer(t));
    const report = await get(t, `/api/admin/mechanics/inspect?userId=${virtual.id}`, boss);
    const rule = (id: string) => report.body.queueVisibility.find((q: { sessionId: string }) => q.sessionId === id);
    expect(rule(diag.id)).toMatchObject({ visible: false, hiddenBy: 'TIER_REQUIRED' });
    expect(rule(forShop.id)).toMatchObject({ visible: false, hiddenBy: 'OTHER_WORKSHOP' });
    expect(rule(reserved.id)).toMatchObject({ visible: false, hiddenBy: 'RESERVED' });
    expect(rule(released.id)).toMatchObject({ visible: false, hiddenBy: 'RELEASED_BEFORE' });
    expect(rule(open.id)).toMatchObject({ visible: true, hiddenBy: null });
    expect(report.body.recommendations.join(' ')).toContain('workshop partner');
  });

  it('needs exactly one of email or userId; unknown users are 404', async () => {
    expect((await get(t, '/api/admin/mechanics/inspect', boss)).status).toBe(400);
    expect((await get(t, '/api/admin/mechanics/inspect?email=nobody@example.test', boss)).status).toBe(404);
  });
});

describe('doctor over HTTP', () => {
  it('reports ok, then the violation after the database is broken', async () => {
    const before = await get(t, '/api/admin/invariants', boss);
    expect(before.body.ok).toBe(before.body.violations.length === 0);
    const c = await customer(t);
    const s = await liveSession(t, c, await mechanic(t));
    await t.database.db.execute(sql.raw(`UPDATE sessions SET status = 'accepted' WHERE id = '${s.id}'`));
    const after = await get(t, '/api/admin/invariants', boss);
    expect(after.body.ok).toBe(false);
    expect(after.body.violations).toContainEqual(expect.objectContaining({ invariant: 'I5', sessionId: s.id }));
  });
});

describe('admin endpoints are guarded in every environment', () => {
  it.each([
    ['GET', '/api/admin/sessions/00000000-0000-4000-8000-000000000000/inspect'],
    ['GET', '/api/admin/mechanics/inspect?email=x@example.test'],
    ['GET', '/api/admin/invariants'],
    ['POST', '/api/admin/sessions/00000000-0000-4000-8000-000000000000/force-end'],
    ['POST', '/api/admin/mechanics/00000000-0000-4000-8000-000000000000/approve'],
    ['POST', '/api/admin/workshops/00000000-0000-4000-8000-000000000000/members'],
  ] as const)('%s %s: 401 anonymous, 403 customer and mechanic', async (method, url) => {
    const body = method === 'POST' ? { reason: 'x', userId: '00000000-0000-4000-8000-000000000000' } : undefined;
    expect((await call(t, method, url, { body })).status).toBe(401);
    expect((await call(t, method, url, { as: await customer(t), body })).status).toBe(403);
    expect((await call(t, method, url, { as: await mechanic(t), body })).status).toBe(403);
    expect((await call(t, method, url, { as: boss, body })).status).not.toBe(403);
  });
});

describe('command line', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'autodoctor-cli-'));
  const cli = (...args: string[]) =>
    spawnSync(process.execPath, ['--import', 'tsx', 'src/server/cli.ts', ...args], {
      env: { ...process.env, DATA_DIR: dataDir, DATABASE_URL: '', LOG_LEVEL: 'silent' },
      encoding: 'utf8',
      timeout: 60_000,
    });
  afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  it('seeds, inspects a mechanic and runs the doctor, in human and --json form', async () => {
    expect(cli('seed', '--demo').status).toBe(0);
    const human = cli('mechanic', 'inspect', 'mechanic.pending@test.com');
    expect(human.status).toBe(0);
    expect(human.stdout).toContain('eligible: no (NOT_APPROVED)');
    const json = JSON.parse(cli('mechanic', 'inspect', 'mechanic.workshop@test.com', '--json').stdout);
    expect(json.eligibility).toEqual({ eligible: false, blockedBy: 'OFF_SHIFT' });
    expect(json.mechanic.serviceTier).toBe('workshop_partner');
    const clean = cli('doctor');
    expect(clean.status).toBe(0);
    expect(clean.stdout).toContain('OK');

    const database = await openDatabase({ dataDir });
    await database.db.execute(
      sql.raw(`INSERT INTO sessions (id, customer_id, plan, kind, vehicle, concern, status, requested_at, planned_minutes, deadline_at)
        SELECT '11111111-1111-4111-8111-111111111111', id, 'quick', 'chat', '{}', 'Broken on purpose.', 'pending', now(), 30, now() - interval '1 hour'
        FROM users WHERE email = 'cust1@test.com'`),
    );
    await database.close();
    const broken = cli('doctor', '--json');
    expect(broken.status).toBe(1);
    const report = JSON.parse(broken.stdout);
    expect(report.ok).toBe(false);
    expect(report.violations.map((v: { invariant: string }) => v.invariant)).toEqual(
      expect.arrayContaining(['I2', 'I5']),
    );
    const session = cli('session', 'inspect', '11111111-1111-4111-8111-111111111111');
    expect(session.stdout).toContain('OVERDUE');
    expect(session.stdout).toContain('I5');
    expect(cli('user', 'create-admin', 'ops@example.test').stdout).toMatch(/Password \(shown once\): \S{12,}/);
  }, 120_000);
});
