import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sessionEvents, sessions } from '../../src/server/db/schema.js';
import { sweepOnce } from '../../src/server/jobs/sweeper.js';
import { findViolations } from '../../src/server/admin/invariants.repository.js';
import { admin, customer, mechanic, paidSessionBody, type TestUser } from '../factories/index.js';
import { liveSession, pendingSession } from '../factories/sessions.js';
import { call, post } from '../helpers/http.js';
import { createTestApp, isPostgres, openTestDatabase, type TestApp } from '../helpers/test-app.js';

/*
 * Real concurrency needs real PostgreSQL: PGlite runs one transaction at a time, so these run
 * only when TEST_DATABASE_URL is set (.ci/run does).
 */
describe.runIf(isPostgres())('races on PostgreSQL', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ database: await openTestDatabase(40) });
  });
  afterAll(async () => {
    await t.close();
  });

  it('50 concurrent accepts of one session: one 200, 49 ALREADY_TAKEN — 20 times over', async () => {
    const c = await customer(t);
    const crew: TestUser[] = await Promise.all(Array.from({ length: 50 }, () => mechanic(t)));
    for (let round = 0; round < 20; round++) {
      const session = await pendingSession(t, c);
      const replies = await Promise.all(crew.map((m) => post(t, `/api/sessions/${session.id}/accept`, m)));
      const statuses = replies.map((r) => r.status);
      expect(
        statuses.filter((s) => s === 200),
        `round ${round}`,
      ).toHaveLength(1);
      expect(
        replies.filter((r) => r.status === 409 && r.body.code === 'ALREADY_TAKEN'),
        `round ${round}`,
      ).toHaveLength(49);
      const accepted = await t.database.db
        .select()
        .from(sessionEvents)
        .where(and(eq(sessionEvents.sessionId, session.id), eq(sessionEvents.type, 'session.accepted')));
      expect(accepted).toHaveLength(1);
      await post(t, `/api/sessions/${session.id}/end`, c); // frees the winner for the next round
    }
  });

  it('one mechanic accepting two sessions at once wins exactly one', async () => {
    for (let round = 0; round < 10; round++) {
      const m = await mechanic(t);
      const [a, b] = await Promise.all([pendingSession(t, await customer(t)), pendingSession(t, await customer(t))]);
      const replies = await Promise.all([
        post(t, `/api/sessions/${a.id}/accept`, m),
        post(t, `/api/sessions/${b.id}/accept`, m),
      ]);
      expect(replies.map((r) => r.status).sort()).toEqual([200, 403]);
      expect(replies.find((r) => r.status === 403)!.body.reason).toBe('BUSY');
      const held = await t.database.db.select().from(sessions).where(eq(sessions.mechanicId, m.id));
      expect(held).toHaveLength(1);
    }
  });

  it('both participants ending at once while the sweeper runs: one terminal event', async () => {
    for (let round = 0; round < 10; round++) {
      const c = await customer(t);
      const m = await mechanic(t);
      const session = await liveSession(t, c, m);
      if (round % 2 === 1) t.clock.advanceSeconds(33 * 60); // the sweeper is due too
      const [byCustomer, byMechanic] = await Promise.all([
        post(t, `/api/sessions/${session.id}/end`, c),
        post(t, `/api/sessions/${session.id}/end`, m),
        sweepOnce(t.ctx),
        sweepOnce(t.ctx),
      ]);
      expect([byCustomer!.status, byMechanic!.status]).toEqual([200, 200]);
      const ended = await t.database.db
        .select()
        .from(sessionEvents)
        .where(and(eq(sessionEvents.sessionId, session.id), eq(sessionEvents.type, 'session.ended')));
      expect(ended, `round ${round}`).toHaveLength(1);
      const alreadyEnded = [byCustomer!.body.alreadyEnded, byMechanic!.body.alreadyEnded];
      expect(alreadyEnded.filter((x) => x === false).length).toBeLessThanOrEqual(1);
    }
  });

  it('concurrent creations for one customer make one session', async () => {
    for (let round = 0; round < 10; round++) {
      const c = await customer(t);
      // Each attempt paid for on its own, so only the one-active-session rule can refuse them.
      const bodies = await Promise.all(Array.from({ length: 8 }, () => paidSessionBody(t, c)));
      const replies = await Promise.all(bodies.map((body) => post(t, '/api/sessions', c, body)));
      expect(replies.filter((r) => r.status === 201)).toHaveLength(1);
      expect(replies.filter((r) => r.status === 409 && r.body.code === 'ACTIVE_SESSION_EXISTS')).toHaveLength(7);
    }
  });

  it('concurrent retries with one Idempotency-Key return one session', async () => {
    const c = await customer(t);
    const body = await paidSessionBody(t, c);
    const replies = await Promise.all(
      Array.from({ length: 8 }, () =>
        call(t, 'POST', '/api/sessions', { as: c, body, headers: { 'idempotency-key': 'k-1' } }),
      ),
    );
    expect(new Set(replies.map((r) => r.body.id)).size).toBe(1);
    expect(replies.filter((r) => r.status === 201)).toHaveLength(1);
    expect(replies.filter((r) => r.status === 200)).toHaveLength(7);
  });

  it('concurrent sends with one clientId store one message', async () => {
    const c = await customer(t);
    const session = await liveSession(t, c, await mechanic(t));
    const clientId = crypto.randomUUID();
    const replies = await Promise.all(
      Array.from({ length: 8 }, () => post(t, `/api/sessions/${session.id}/messages`, c, { body: 'once', clientId })),
    );
    expect(new Set(replies.map((r) => r.body.id)).size).toBe(1);
    const more = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        post(t, `/api/sessions/${session.id}/messages`, c, { body: `m${i}`, clientId: crypto.randomUUID() }),
      ),
    );
    expect(more.map((r) => r.body.seq).sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i + 2));
  });

  it('a suspension racing an accept: never both (I4 holds), 20 times over', async () => {
    const boss = await admin(t);
    for (let round = 0; round < 20; round++) {
      const m = await mechanic(t);
      const session = await pendingSession(t, await customer(t));
      const [accept, suspend] = await Promise.all([
        post(t, `/api/sessions/${session.id}/accept`, m),
        post(t, `/api/admin/mechanics/${m.id}/suspend`, boss, { reason: 'race' }),
      ]);
      const outcome = `${accept.status}/${suspend.status}`;
      expect(['200/409', '403/200'], `round ${round}: ${outcome}`).toContain(outcome);
      if (accept.status === 403) expect(accept.body.reason).toBe('NOT_APPROVED');
    }
    const violations = await findViolations(t.database.db, { now: t.clock.now(), sweepIntervalMs: 5000 });
    expect(violations.filter((v) => v.invariant === 'I4')).toEqual([]);
  });
});
