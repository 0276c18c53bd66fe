import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findViolations } from '../../src/server/admin/invariants.repository.js';
import { ledgerEntries, ledgerTransactions, payments, payouts, sessions } from '../../src/server/db/schema.js';
import { customer, mechanic, payFor } from '../factories/index.js';
import { liveSession, pendingSession } from '../factories/sessions.js';
import { call, get, post } from '../helpers/http.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';
import { admin } from '../factories/index.js';

/*
 * Each money invariant of payments.md §6 is broken on purpose — by hand, as a bug or a manual SQL
 * fix would — and the doctor must name it.
 */
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

const check = (sessionId?: string) =>
  findViolations(t.database.db, { now: t.clock.now(), sweepIntervalMs: 5000, noShowFeePercent: 50, sessionId });
const money = async (sessionId?: string) => (await check(sessionId)).filter((v) => v.invariant.startsWith('M'));

async function capturedSession() {
  const c = await customer(t);
  const session = await liveSession(t, c, await mechanic(t));
  await post(t, `/api/sessions/${session.id}/end`, c);
  await t.jobs.drain();
  const [payment] = await t.database.db.select().from(payments).where(eq(payments.sessionId, session.id));
  return { session, payment: payment!, customer: c };
}

/** Runs `work` with the ledger's own triggers off, as someone editing rows by hand would. */
async function withoutLedgerGuards(work: () => Promise<unknown>) {
  await t.database.db.execute(sql`ALTER TABLE ledger_entries DISABLE TRIGGER USER`);
  try {
    await work();
  } finally {
    await t.database.db.execute(sql`ALTER TABLE ledger_entries ENABLE TRIGGER USER`);
  }
}

describe('the money invariants (payments.md §6)', () => {
  it('a healthy database has no money violations', async () => {
    await capturedSession();
    expect(await money()).toEqual([]);
  });

  it('M1: a ledger transaction whose entries do not sum to zero', async () => {
    const { session, payment } = await capturedSession();
    await withoutLedgerGuards(() =>
      t.database.db.execute(sql`UPDATE ${ledgerEntries} SET amount_cents = amount_cents + 1
        WHERE account = 'provider' AND transaction_id = (SELECT id FROM ${ledgerTransactions} WHERE payment_id = ${payment.id})`),
    );
    const found = await money(session.id);
    expect(found.find((v) => v.invariant === 'M1')?.detail).toMatch(/sums to 1$/);
  });

  it('M1 is also enforced by the database: an unbalanced transaction cannot commit', async () => {
    const { payment } = await capturedSession();
    const [tx] = await t.database.db
      .select()
      .from(ledgerTransactions)
      .where(eq(ledgerTransactions.paymentId, payment.id));
    await expect(
      t.database.db.transaction(async (db) => {
        await db
          .insert(ledgerEntries)
          .values({ transactionId: tx!.id, account: 'provider', amountCents: 5, currency: 'USD' });
      }),
    ).rejects.toThrow();
    await expect(
      t.database.db.execute(sql`DELETE FROM ${ledgerEntries} WHERE transaction_id = ${tx!.id}`),
    ).rejects.toThrow();
  });

  it('M2: a completed paid session without its capture, and a cancelled one with a capture', async () => {
    const { session, payment } = await capturedSession();
    await withoutLedgerGuards(async () => {
      await t.database.db.execute(
        sql`DELETE FROM ${ledgerEntries} WHERE transaction_id IN (SELECT id FROM ${ledgerTransactions} WHERE payment_id = ${payment.id})`,
      );
      await t.database.db.execute(sql`DELETE FROM ${ledgerTransactions} WHERE payment_id = ${payment.id}`);
    });
    t.clock.advanceSeconds(120);
    expect((await money(session.id)).find((v) => v.invariant === 'M2')?.detail).toContain('0 captures');

    const other = await capturedSession();
    await t.database.db
      .update(sessions)
      .set({ status: 'cancelled', endReason: 'admin', startedAt: null })
      .where(eq(sessions.id, other.session.id));
    expect((await money(other.session.id)).find((v) => v.invariant === 'M2')?.detail).toContain(
      'cancelled but captured',
    );
  });

  it('M3: captured more than the plan price, or refunded more than captured', async () => {
    const { session, payment } = await capturedSession();
    await t.database.db.update(payments).set({ capturedCents: 998 }).where(eq(payments.id, payment.id));
    const found = await money(session.id);
    expect(found.filter((v) => v.invariant === 'M3').map((v) => v.detail)).toEqual(
      expect.arrayContaining([
        expect.stringContaining('captured 998 but the completed session owes 999'),
        expect.stringContaining('the ledger books 999 charged but the payment says 998'),
      ]),
    );
  });

  it('M4: extended minutes that no paid extension accounts for', async () => {
    const c = await customer(t);
    const session = await liveSession(t, c, await mechanic(t));
    await t.database.db.update(sessions).set({ extendedMinutes: 10 }).where(eq(sessions.id, session.id));
    expect((await money(session.id)).find((v) => v.invariant === 'M4')?.detail).toContain('10 extended minutes');
  });

  it('M3 with extensions and refunds: an extension charged but not counted, a refund the payment does not show', async () => {
    const c = await customer(t);
    const session = await liveSession(t, c, await mechanic(t));
    await post(t, `/api/sessions/${session.id}/extensions`, c, { blocks: 1 });
    await post(t, `/api/sessions/${session.id}/end`, c);
    await t.jobs.drain();
    const [payment] = await t.database.db.select().from(payments).where(eq(payments.sessionId, session.id));
    expect(payment!.capturedCents).toBe(999 + 499);
    expect(await money(session.id)).toEqual([]);
    // A bug that forgot the extension when adding up what was charged:
    await t.database.db.update(payments).set({ capturedCents: 999 }).where(eq(payments.id, payment!.id));
    expect((await money(session.id)).map((v) => v.detail)).toEqual(
      expect.arrayContaining([
        expect.stringContaining('captured 999 but the completed session owes 1498 (plan and extensions)'),
      ]),
    );
    await t.database.db.update(payments).set({ capturedCents: 1498 }).where(eq(payments.id, payment!.id));
    // A refund that went through but was never added to the payment:
    const boss = await admin(t);
    await call(t, 'POST', `/api/admin/payments/${payment!.id}/refunds`, {
      as: boss,
      body: { amountCents: 100, reason: 'test' },
      headers: { 'idempotency-key': `m3-${payment!.id}` },
    });
    await t.database.db.update(payments).set({ refundedCents: 0 }).where(eq(payments.id, payment!.id));
    expect((await money(session.id)).map((v) => v.detail)).toEqual([
      expect.stringContaining('refunds of 100 but the payment says 0'),
    ]);
  });

  it('M4 the other way: a paid extension whose minutes were never added, or without its ledger transaction', async () => {
    const c = await customer(t);
    const session = await liveSession(t, c, await mechanic(t));
    await post(t, `/api/sessions/${session.id}/extensions`, c, { blocks: 2 });
    expect(await money(session.id)).toEqual([]);
    await t.database.db.update(sessions).set({ extendedMinutes: 0 }).where(eq(sessions.id, session.id));
    expect((await money(session.id)).find((v) => v.invariant === 'M4')?.detail).toBe(
      '0 extended minutes but 20 paid for',
    );
    await t.database.db.update(sessions).set({ extendedMinutes: 20 }).where(eq(sessions.id, session.id));
    await withoutLedgerGuards(() =>
      t.database.db.execute(sql`DELETE FROM ${ledgerEntries} WHERE transaction_id IN
        (SELECT id FROM ${ledgerTransactions} WHERE session_id = ${session.id} AND kind = 'extension')`),
    );
    await t.database.db.execute(
      sql`DELETE FROM ${ledgerTransactions} WHERE session_id = ${session.id} AND kind = 'extension'`,
    );
    expect((await money(session.id)).map((v) => v.invariant)).toContain('M4');
  });

  it('M6: payouts the ledger books must be the payouts made', async () => {
    const m = await mechanic(t);
    const c = await customer(t);
    const session = await liveSession(t, c, m);
    await post(t, `/api/sessions/${session.id}/end`, c);
    await t.jobs.drain();
    t.clock.advanceSeconds(7 * 86_400);
    const boss = await admin(t);
    await post(t, '/api/admin/payouts/run', boss);
    await t.jobs.drain();
    const m6 = async () => (await money()).filter((v) => v.invariant === 'M6');
    expect(await m6()).toEqual([]);
    // A payout recorded as made twice (a "fix" that re-inserted it), for the same mechanic:
    await t.database.db.execute(sql`UPDATE ${payouts} SET amount_cents = amount_cents + 1 WHERE mechanic_id = ${m.id}`);
    expect((await m6()).map((v) => v.detail)).toEqual([
      `mechanic ${m.id}: the ledger books 699 paid out but the payouts made are 700`,
    ]);
  });

  it('M5: a hold left on no session past its void, or on an ended session', async () => {
    const c = await customer(t);
    const id = await payFor(t, c);
    // The release job could not run (every process down): the hold outlives its due time.
    await t.database.db.execute(sql`DELETE FROM jobs WHERE key = ${`void-unattached:${id}`}`);
    t.clock.advanceSeconds(32 * 60);
    expect((await money()).some((v) => v.invariant === 'M5' && v.detail.includes(id))).toBe(true);

    // And a settlement that never ran (no job runner here, as if every process were down).
    const idle = await createTestApp({ withoutJobRunner: true });
    try {
      const c2 = await customer(idle);
      const session = await pendingSession(idle, c2);
      await post(idle, `/api/sessions/${session.id}/end`, c2);
      idle.clock.advanceSeconds(120);
      const found = await findViolations(idle.database.db, {
        now: idle.clock.now(),
        sweepIntervalMs: 5000,
        sessionId: session.id,
      });
      expect(found.find((v) => v.invariant === 'M5')?.detail).toContain('still authorised on a cancelled session');
    } finally {
      await idle.close();
    }
  });

  it('the doctor over HTTP lists money violations beside the session ones', async () => {
    const boss = await admin(t);
    const reply = await get(t, '/api/admin/invariants', boss);
    expect(reply.body.ok).toBe(false);
    expect(reply.body.violations.some((v: { invariant: string }) => v.invariant.startsWith('M'))).toBe(true);
  });
});
