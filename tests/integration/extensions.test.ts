import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findViolations } from '../../src/server/admin/invariants.repository.js';
import {
  ledgerEntries,
  ledgerTransactions,
  localIntents,
  payments,
  sessionExtensions,
} from '../../src/server/db/schema.js';
import { sweepOnce } from '../../src/server/jobs/sweeper.js';
import { createLocalProvider } from '../../src/server/payments/local-provider.js';
import { admin, customer, mechanic, payFor, TEST_CARD, type TestUser } from '../factories/index.js';
import { liveSession } from '../factories/sessions.js';
import { call, get, post } from '../helpers/http.js';
import { flaky } from '../helpers/flaky-provider.js';
import { createTestApp, openTestDatabase, type TestApp } from '../helpers/test-app.js';
import { connect, type TestSocket } from '../helpers/ws-client.js';

/* Paid extensions (T14, payments.md §3): priced by the server, charged first, applied after. */

/** The local provider's card that authorises, then declines every later off-session charge. */
const DECLINES_LATER = { ...TEST_CARD, cardNumber: '4000 0000 0000 0341' };

let t: TestApp;
let faults: ReturnType<typeof flaky>;
let base: string;
const sockets: TestSocket[] = [];
beforeAll(async () => {
  const database = await openTestDatabase();
  faults = flaky(createLocalProvider(database.database.db, { now: () => new Date() }));
  t = await createTestApp({
    database,
    paymentProvider: faults.provider,
    hub: { heartbeatMs: 60_000, queueRefreshMs: 60_000 },
  });
  base = await t.app.listen({ port: 0, host: '127.0.0.1' });
});
afterAll(async () => {
  for (const socket of sockets) socket.socket.terminate();
  await t.close();
});

const extend = (id: string, as: TestUser, blocks = 1) => post(t, `/api/sessions/${id}/extensions`, as, { blocks });
const extensionsOf = (sessionId: string) =>
  t.database.db.select().from(sessionExtensions).where(eq(sessionExtensions.sessionId, sessionId));
const paymentOf = async (sessionId: string) => {
  const [row] = await t.database.db.select().from(payments).where(eq(payments.sessionId, sessionId));
  return row!;
};
const expectClean = async () =>
  expect(await findViolations(t.database.db, { now: t.clock.now(), sweepIntervalMs: 5000 })).toEqual([]);

async function live(plan = 'quick', card = TEST_CARD) {
  const c = await customer(t);
  const m = await mechanic(t);
  const paymentId = await payFor(t, c, plan, card);
  const session = await liveSession(t, c, m, { plan, paymentId });
  return { c, m, session };
}

describe('a paid extension', () => {
  it('charges the plan’s block, then moves the countdown and the deadline for both sides at once', async () => {
    const { c, m, session } = await live();
    const before = (await get(t, `/api/sessions/${session.id}`, c)).body;
    const watcher = await connect(base, m.headers);
    sockets.push(watcher);
    watcher.send({ type: 'subscribe', topic: `session:${session.id}` });
    await watcher.next((f) => f.type === 'subscribed');

    const reply = await extend(session.id, c, 2);
    expect(reply.status).toBe(201);
    expect(reply.body.extension).toMatchObject({ minutes: 20, amountCents: 998, status: 'succeeded' });
    expect(reply.body.session).toMatchObject({ status: 'live', extendedMinutes: 20, version: before.version + 1 });
    expect(Date.parse(reply.body.session.deadlineAt) - Date.parse(before.deadlineAt)).toBe(20 * 60_000);

    // The mechanic's countdown moves with the same event.
    const frame = await watcher.next(
      (f) => f.type === 'event' && f.event.kind === 'session.updated' && f.event.session.extendedMinutes === 20,
    );
    expect(frame.event.session.deadlineAt).toBe(reply.body.session.deadlineAt);
    const events = (await get(t, `/api/sessions/${session.id}/events`, c)).body.items;
    expect(events.at(-1)).toMatchObject({ type: 'session.extended', payload: { minutes: 20, extendedMinutes: 20 } });

    // Charged once, at the provider, off-session, under the extension's key.
    const charges = faults.calls('chargeSaved');
    expect(charges.at(-1)!.key).toBe(`extension:${reply.body.extension.id}`);
    const money = (await get(t, `/api/sessions/${session.id}/money`, c)).body;
    expect(money.extensions).toEqual([expect.objectContaining({ minutes: 20, amountCents: 998, status: 'succeeded' })]);
    expect(money.capturedCents).toBe(998);
    expect(money.extensionOffer).toEqual({ minutes: 10, priceCents: 499, remaining: 2 });

    // The ledger books the extension as a capture of its own, split 70/30.
    const rows = await t.database.db
      .select({ account: ledgerEntries.account, amount: ledgerEntries.amountCents })
      .from(ledgerTransactions)
      .innerJoin(ledgerEntries, eq(ledgerEntries.transactionId, ledgerTransactions.id))
      .where(eq(ledgerTransactions.reference, `extension:${reply.body.extension.id}`));
    expect(rows.map((r) => [r.account.split(':')[0], r.amount]).sort()).toEqual([
      ['mechanic', -699],
      ['platform_revenue', -299],
      ['provider', 998],
    ]);

    // At the end the plan is captured too: the customer paid the plan and the extension.
    await post(t, `/api/sessions/${session.id}/end`, c);
    await t.jobs.drain();
    expect(await paymentOf(session.id)).toMatchObject({ status: 'captured', capturedCents: 999 + 998 });
    const receipt = (await get(t, '/api/customer/receipts', c)).body.items[0];
    expect(receipt).toMatchObject({ capturedCents: 1997, extensionsCents: 998 });
    await expectClean();
  });

  it('a declined card is a clear 402 and changes nothing', async () => {
    const { c, session } = await live('quick', DECLINES_LATER);
    const before = (await get(t, `/api/sessions/${session.id}`, c)).body;
    const reply = await extend(session.id, c);
    expect(reply.status).toBe(402);
    expect(reply.body).toMatchObject({ code: 'PAYMENT_DECLINED', declineCode: 'generic_decline' });
    expect(reply.body.detail).toMatch(/nothing was charged/);
    const after = (await get(t, `/api/sessions/${session.id}`, c)).body;
    expect(after).toMatchObject({ version: before.version, extendedMinutes: 0, deadlineAt: before.deadlineAt });
    expect((await extensionsOf(session.id)).map((x) => x.status)).toEqual(['failed']);
    // A declined extension does not count against the three.
    expect((await get(t, `/api/sessions/${session.id}/money`, c)).body.extensionOffer.remaining).toBe(3);
    await expectClean();
  });

  it('at most three; the fourth is refused before any charge', async () => {
    const { c, session } = await live();
    for (let i = 0; i < 3; i++) expect((await extend(session.id, c)).status).toBe(201);
    const chargesBefore = faults.calls('chargeSaved').length;
    const fourth = await extend(session.id, c);
    expect(fourth.status).toBe(409);
    expect(fourth.body.detail).toMatch(/at most 3/);
    expect(faults.calls('chargeSaved')).toHaveLength(chargesBefore);
    expect((await get(t, `/api/sessions/${session.id}`, c)).body.extendedMinutes).toBe(30);
    await expectClean();
  });

  it('the session ending while the card is charged: the charge is refunded and nothing is applied', async () => {
    const { c, m, session } = await live();
    const held = faults.hold('chargeSaved');
    const pending = extend(session.id, c);
    await held.started;
    expect((await post(t, `/api/sessions/${session.id}/end`, m)).status).toBe(200);
    held.release();
    const reply = await pending;
    expect(reply.status).toBe(409);
    expect(reply.body).toMatchObject({ code: 'SESSION_CLOSED' });
    expect(reply.body.detail).toMatch(/refunded/);
    const [extension] = await extensionsOf(session.id);
    expect(extension).toMatchObject({ status: 'refunded' });
    expect(faults.calls('refund').at(-1)!.key).toBe(`refund:extension:${extension!.id}`);
    const [charge] = await t.database.db
      .select()
      .from(localIntents)
      .where(eq(localIntents.id, extension!.providerRef!));
    expect(charge).toMatchObject({ amountReceived: 499, amountRefunded: 499 });
    await t.jobs.drain();
    const ended = (await get(t, `/api/sessions/${session.id}`, c)).body;
    expect(ended).toMatchObject({ status: 'completed', extendedMinutes: 0 });
    expect(await paymentOf(session.id)).toMatchObject({ capturedCents: 999 });
    await expectClean();
  });

  it('the answer lost after the charge: the job applies it under the same key, charged once; a retry meanwhile is refused', async () => {
    const { c, session } = await live();
    faults.failNext('chargeSaved', 1, true);
    const lost = await extend(session.id, c);
    expect(lost.status).toBe(503);
    expect(lost.body.detail).toMatch(/never charged twice/);
    // The customer presses again: the first charge is still open, so nothing new is bought.
    const again = await extend(session.id, c);
    expect(again.status).toBe(409);
    expect(again.body.detail).toMatch(/still being charged/);
    t.clock.advanceSeconds(31);
    await t.jobs.drain();
    const [extension] = await extensionsOf(session.id);
    expect(extension).toMatchObject({ status: 'succeeded' });
    const charges = await t.database.db
      .select()
      .from(localIntents)
      .where(
        eq(localIntents.metadata, {
          paymentId: extension!.paymentId,
          offSession: 'true',
          savedFrom: (await paymentOf(session.id)).providerRef!,
        }),
      );
    expect(charges).toHaveLength(1);
    expect((await get(t, `/api/sessions/${session.id}`, c)).body.extendedMinutes).toBe(10);
    await expectClean();
  });

  it('not once the time is up, even before the sweeper has ended the session', async () => {
    const { c, session } = await live();
    const { deadlineAt } = (await get(t, `/api/sessions/${session.id}`, c)).body;
    t.clock.advanceSeconds(Math.ceil((Date.parse(deadlineAt) - t.clock.now().getTime()) / 1000));
    const chargesBefore = faults.calls('chargeSaved').length;
    const reply = await extend(session.id, c);
    expect(reply.status).toBe(409);
    expect(reply.body.detail).toMatch(/time is up/);
    expect(faults.calls('chargeSaved')).toHaveLength(chargesBefore);
    await sweepOnce(t.ctx);
    expect((await get(t, `/api/sessions/${session.id}`, c)).body.endReason).toBe('time_limit');
  });

  it('the free plan has no extensions; blocks are 1 to 3', async () => {
    const c = await customer(t);
    const m = await mechanic(t);
    const free = await liveSession(t, c, m, { plan: 'free' });
    const reply = await extend(free.id, c);
    expect(reply.status).toBe(400);
    expect(reply.body.errors).toEqual([{ path: 'body.blocks', message: 'this plan has no extensions' }]);
    const { c: c2, session } = await live();
    for (const blocks of [0, 4, 1.5, '1']) {
      const bad = await call(t, 'POST', `/api/sessions/${session.id}/extensions`, { as: c2, body: { blocks } });
      expect(bad.status).toBe(400);
      expect(bad.body.errors[0].path).toBe('body.blocks');
    }
    const price = await call(t, 'POST', `/api/sessions/${session.id}/extensions`, {
      as: c2,
      body: { blocks: 1, amountCents: 1 },
    });
    expect(price.status).toBe(400); // the price is the server's, never the browser's
  });

  it('only the session’s customer: the mechanic, another customer, an admin and nobody are refused', async () => {
    const { m, session } = await live();
    expect((await extend(session.id, m)).status).toBe(403);
    expect((await extend(session.id, await customer(t))).status).toBe(404);
    expect((await extend(session.id, await admin(t))).status).toBe(403);
    expect((await post(t, `/api/sessions/${session.id}/extensions`, undefined, { blocks: 1 })).status).toBe(401);
    expect(await extensionsOf(session.id)).toEqual([]);
  });
});
