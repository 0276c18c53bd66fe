import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sessionParticipants } from '../../src/server/db/schema.js';
import { sweepOnce } from '../../src/server/jobs/sweeper.js';
import { touchParticipants } from '../../src/server/sessions/participant.repository.js';
import { admin, customer, mechanic } from '../factories/index.js';
import { acceptedSession, liveSession, pendingSession } from '../factories/sessions.js';
import { get, post } from '../helpers/http.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

const statusOf = async (id: string, as: Parameters<typeof get>[2]) => (await get(t, `/api/sessions/${id}`, as)).body;

describe('the sweeper ends what passed its deadline, with every client gone', () => {
  it('T4: a pending session expires when its offer window passes, not before', async () => {
    const c = await customer(t);
    const session = await pendingSession(t, c);
    t.clock.advanceSeconds(899);
    await sweepOnce(t.ctx);
    expect((await statusOf(session.id, c)).status).toBe('pending');
    t.clock.advanceSeconds(1);
    expect((await sweepOnce(t.ctx)).deadlines).toBeGreaterThanOrEqual(1);
    expect(await statusOf(session.id, c)).toMatchObject({
      status: 'expired',
      endReason: 'no_mechanic_available',
      endedBy: 'system',
    });
  });

  it('T9: nobody joins within the join window: no-show of both', async () => {
    const c = await customer(t);
    const session = await acceptedSession(t, c, await mechanic(t));
    t.clock.advanceSeconds(600);
    await sweepOnce(t.ctx);
    expect(await statusOf(session.id, c)).toMatchObject({
      status: 'no_show',
      noShowParty: 'both',
      endReason: 'join_window_passed',
    });
  });

  it('T11: a live session completes at its time limit plus grace', async () => {
    const c = await customer(t);
    const m = await mechanic(t);
    const session = await liveSession(t, c, m);
    // Keep both present, so only the time limit can end it.
    for (let minute = 0; minute < 32; minute++) {
      t.clock.advanceSeconds(60);
      await get(t, `/api/sessions/${session.id}`, c);
      await get(t, `/api/sessions/${session.id}`, m);
      await sweepOnce(t.ctx);
      if (minute < 31) expect((await statusOf(session.id, c)).status, `minute ${minute}`).toBe('live');
    }
    expect(await statusOf(session.id, c)).toMatchObject({
      status: 'completed',
      endReason: 'time_limit',
      durationMinutes: 32,
    });
  });

  it('T12: both participants gone longer than the abandon window: completed as abandoned', async () => {
    const c = await customer(t);
    const m = await mechanic(t);
    const session = await liveSession(t, c, m);
    t.clock.advanceSeconds(200);
    await get(t, `/api/sessions/${session.id}`, c); // the customer is still there at 200 s
    t.clock.advanceSeconds(200);
    await sweepOnce(t.ctx);
    // Observed as an admin: a participant's own read would count as a sign of life.
    const observer = await admin(t);
    expect((await statusOf(session.id, observer)).status).toBe('live');
    t.clock.advanceSeconds(101);
    await sweepOnce(t.ctx);
    expect(await statusOf(session.id, observer)).toMatchObject({
      status: 'completed',
      endReason: 'abandoned',
      endedBy: 'system',
    });
    const participants = await t.database.db
      .select()
      .from(sessionParticipants)
      .where(eq(sessionParticipants.sessionId, session.id));
    expect(participants).toHaveLength(2);
  });

  it('the socket heartbeat (one batched statement) keeps participants present', async () => {
    const c = await customer(t);
    const m = await mechanic(t);
    const session = await liveSession(t, c, m);
    const observer = await admin(t);
    t.clock.advanceSeconds(250);
    await touchParticipants(
      t.database.db,
      [
        { sessionId: session.id, userId: c.id },
        { sessionId: session.id, userId: m.id },
      ],
      t.clock.now(),
    );
    t.clock.advanceSeconds(250);
    await sweepOnce(t.ctx);
    const seen = await get(t, `/api/admin/sessions/${session.id}/inspect`, observer);
    expect(seen.body.session.status).toBe('live');
    expect(seen.body.participants.every((p: { connected: boolean }) => p.connected)).toBe(true);
    t.clock.advanceSeconds(60);
    await sweepOnce(t.ctx);
    expect((await get(t, `/api/sessions/${session.id}`, observer)).body.endReason).toBe('abandoned');
  });

  it('a user ending after the sweeper got there first sees alreadyEnded', async () => {
    const c = await customer(t);
    const session = await pendingSession(t, c);
    t.clock.advanceSeconds(901);
    await sweepOnce(t.ctx);
    const reply = await post(t, `/api/sessions/${session.id}/end`, c);
    expect(reply.body).toMatchObject({ alreadyEnded: true, session: { status: 'expired' } });
  });
});
