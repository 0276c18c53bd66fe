import { asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { messages, sessionEvents, sessionParticipants, sessions } from '../../src/server/db/schema.js';
import { findMessageBySeq, postMessage } from '../../src/server/messages/message.repository.js';
import { appendEvent, loadSession } from '../../src/server/sessions/session.repository.js';
import { customer, mechanic } from '../factories/index.js';
import { liveSession, pendingSession } from '../factories/sessions.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

// Hot-path reads and writes are hand-written named statements (db/statements.ts); they must
// return exactly what the Drizzle queries they replace returned, on either driver.
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

async function drizzleLoad(id: string) {
  const [session] = await t.database.db.select().from(sessions).where(eq(sessions.id, id));
  const participants = await t.database.db
    .select()
    .from(sessionParticipants)
    .where(eq(sessionParticipants.sessionId, id))
    .orderBy(asc(sessionParticipants.role));
  return session && { session, participants };
}

describe('named statements', () => {
  it('loadSession returns the rows Drizzle returns: every column, typed alike', async () => {
    const c = await customer(t);
    const m = await mechanic(t);
    const live = await liveSession(t, c, m, { urgent: true });
    const pending = await pendingSession(t, await customer(t));
    for (const id of [live.id, pending.id]) {
      const loaded = await loadSession(t.database.db, id);
      expect(loaded).toEqual(await drizzleLoad(id));
      expect(loaded!.session.requestedAt).toBeInstanceOf(Date);
    }
    expect((await loadSession(t.database.db, live.id))!.participants).toHaveLength(2);
    expect(await loadSession(t.database.db, crypto.randomUUID())).toBeUndefined();
  });

  it('loadSession sees the transaction it runs in', async () => {
    const c = await customer(t);
    const session = await pendingSession(t, c);
    await t.database.db
      .transaction(async (tx) => {
        await tx.update(sessions).set({ concern: 'changed inside' }).where(eq(sessions.id, session.id));
        expect((await loadSession(tx, session.id))!.session.concern).toBe('changed inside');
        tx.rollback();
      })
      .catch(() => {});
    expect((await loadSession(t.database.db, session.id))!.session.concern).not.toBe('changed inside');
  });

  it('postMessage and findMessageBySeq return the row Drizzle returns, attachment ids included', async () => {
    const c = await customer(t);
    const session = await liveSession(t, c, await mechanic(t));
    const attachmentIds = [crypto.randomUUID(), crypto.randomUUID()];
    const posted = await postMessage(t.database.db, {
      sessionId: session.id,
      senderId: c.id,
      body: 'with two photos',
      attachmentIds,
      clientId: crypto.randomUUID(),
      now: new Date('2026-06-01T09:00:00.123Z'),
    });
    const [stored] = await t.database.db.select().from(messages).where(eq(messages.id, posted!.id));
    expect(posted).toEqual(stored);
    expect(posted!.attachmentIds).toEqual(attachmentIds);
    expect(await findMessageBySeq(t.database.db, session.id, posted!.seq)).toEqual(stored);
    expect(await findMessageBySeq(t.database.db, session.id, posted!.seq + 1)).toBeUndefined();
  });

  it('appendEvent stores the event as given and returns its id', async () => {
    const c = await customer(t);
    const session = await pendingSession(t, c);
    const event = {
      sessionId: session.id,
      type: 'test.event',
      actorId: c.id,
      actorRole: 'customer' as const,
      fromStatus: 'pending' as const,
      toStatus: null,
      payload: { note: 'quotes \' and " and ünïcode', nested: { n: 1 } },
      createdAt: new Date('2026-06-01T09:00:00.123Z'),
    };
    const id = await appendEvent(t.database.db, event);
    const [row] = await t.database.db.select().from(sessionEvents).where(eq(sessionEvents.id, id));
    expect(row).toEqual({ id, ...event });
  });
});
