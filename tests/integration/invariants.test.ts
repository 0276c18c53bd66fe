import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { findViolations } from '../../src/server/admin/invariants.repository.js';
import { customer, mechanic } from '../factories/index.js';
import { liveSession, pendingSession } from '../factories/sessions.js';
import { post, put } from '../helpers/http.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

const check = (sessionId?: string) =>
  findViolations(t.database.db, { now: t.clock.now(), sweepIntervalMs: 5000, sessionId });
/** Breaks the database on purpose, bypassing the CHECK constraints that would refuse it. */
async function breakWith(statements: string[]) {
  await t.database.db.transaction(async (tx) => {
    await tx.execute(sql.raw('SET LOCAL session_replication_role = replica'));
    for (const statement of statements) await tx.execute(sql.raw(statement));
  });
}

describe('invariants (doctor)', () => {
  it('a database used through the product has no violations', async () => {
    const c = await customer(t);
    const m = await mechanic(t);
    const session = await liveSession(t, c, m);
    await post(t, `/api/sessions/${session.id}/messages`, c, { body: 'hello', clientId: crypto.randomUUID() });
    await post(t, `/api/sessions/${session.id}/end`, c);
    await put(t, `/api/sessions/${session.id}/report`, m, {
      summary: 's',
      findings: 'f',
      severity: 'info',
      recommendations: [],
      followUp: 'none',
      submit: true,
    });
    await post(t, `/api/sessions/${session.id}/review`, c, { rating: 4 });
    await pendingSession(t, await customer(t));
    expect(await check()).toEqual([]);
  });

  it('I1: a live session without started_at', async () => {
    const s = await liveSession(t, await customer(t), await mechanic(t));
    await t.database.db.execute(sql.raw(`ALTER TABLE sessions DROP CONSTRAINT sessions_started_when_live_check`));
    try {
      await t.database.db.execute(sql.raw(`UPDATE sessions SET started_at = NULL WHERE id = '${s.id}'`));
      expect(await check(s.id)).toContainEqual(expect.objectContaining({ invariant: 'I1', sessionId: s.id }));
    } finally {
      await t.database.db.execute(sql.raw(`UPDATE sessions SET started_at = now() WHERE id = '${s.id}'`));
      await t.database.db.execute(
        sql.raw(
          `ALTER TABLE sessions ADD CONSTRAINT sessions_started_when_live_check CHECK (status NOT IN ('live', 'completed') OR started_at IS NOT NULL)`,
        ),
      );
    }
  });

  it('I2: an open session far past its deadline', async () => {
    const s = await pendingSession(t, await customer(t));
    t.clock.advanceSeconds(900 + 66);
    expect(await check(s.id)).toContainEqual(expect.objectContaining({ invariant: 'I2', sessionId: s.id }));
  });

  it('I3: two open sessions for one customer', async () => {
    const c = await customer(t);
    const s = await pendingSession(t, c, { plan: 'free' });
    await t.database.db.execute(sql.raw(`DROP INDEX sessions_one_open_per_customer_key`));
    try {
      await t.database.db.execute(
        sql.raw(`INSERT INTO sessions (customer_id, plan, kind, vehicle, concern, status, requested_at, planned_minutes, deadline_at)
          SELECT customer_id, plan, kind, vehicle, concern, status, requested_at, planned_minutes, deadline_at FROM sessions WHERE id = '${s.id}'`),
      );
      expect((await check()).filter((v) => v.invariant === 'I3')[0]?.detail).toContain(
        `customer ${c.id} has 2 open sessions`,
      );
    } finally {
      await t.database.db.execute(sql.raw(`DELETE FROM sessions WHERE customer_id = '${c.id}'`));
      await t.database.db.execute(
        sql.raw(
          `CREATE UNIQUE INDEX sessions_one_open_per_customer_key ON sessions (customer_id) WHERE status IN ('pending', 'accepted', 'live')`,
        ),
      );
    }
  });

  it('I4: a live session whose mechanic was suspended', async () => {
    const m = await mechanic(t);
    const s = await liveSession(t, await customer(t), m);
    await t.database.db.execute(
      sql.raw(`UPDATE mechanics SET approval_status = 'suspended' WHERE user_id = '${m.id}'`),
    );
    expect(await check(s.id)).toContainEqual(
      expect.objectContaining({ invariant: 'I4', detail: `mechanic ${m.id} is suspended` }),
    );
    await t.database.db.execute(sql.raw(`UPDATE mechanics SET approval_status = 'approved' WHERE user_id = '${m.id}'`));
  });

  it('I5: a status that disagrees with its events, or an event off the table', async () => {
    const s = await liveSession(t, await customer(t), await mechanic(t));
    await t.database.db.execute(sql.raw(`UPDATE sessions SET status = 'accepted' WHERE id = '${s.id}'`));
    const found = await check(s.id);
    expect(found).toContainEqual(
      expect.objectContaining({ invariant: 'I5', detail: 'status is accepted but the latest event says live' }),
    );
    await t.database.db.execute(
      sql.raw(
        `INSERT INTO session_events (session_id, type, actor_role, from_status, to_status) VALUES ('${s.id}', 'bogus', 'system', 'live', 'pending')`,
      ),
    );
    expect(
      (await check(s.id)).some((v) => v.invariant === 'I5' && v.detail.includes('not in the transition table')),
    ).toBe(true);
  });

  it('I6: a gap in message seq', async () => {
    const c = await customer(t);
    const s = await liveSession(t, c, await mechanic(t));
    for (const body of ['a', 'b', 'c'])
      await post(t, `/api/sessions/${s.id}/messages`, c, { body, clientId: crypto.randomUUID() });
    await t.database.db.execute(sql.raw(`DELETE FROM messages WHERE session_id = '${s.id}' AND seq = 2`));
    expect(await check(s.id)).toContainEqual(expect.objectContaining({ invariant: 'I6', sessionId: s.id }));
  });

  it('I7: a review on a session that did not complete', async () => {
    const c = await customer(t);
    const m = await mechanic(t);
    const s = await pendingSession(t, c);
    await breakWith([
      `INSERT INTO reviews (session_id, customer_id, mechanic_id, rating) VALUES ('${s.id}', '${c.id}', '${m.id}', 5)`,
    ]);
    expect(await check(s.id)).toContainEqual(
      expect.objectContaining({ invariant: 'I7', detail: 'review on a pending session' }),
    );
  });
});
