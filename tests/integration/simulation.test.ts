import { inArray, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findViolations } from '../../src/server/admin/invariants.repository.js';
import type { Actor } from '../../src/server/auth/auth.js';
import { queryRows } from '../../src/server/db/client.js';
import { sessions } from '../../src/server/db/schema.js';
import { AppError } from '../../src/server/errors.js';
import { sweepOnce } from '../../src/server/jobs/sweeper.js';
import { sendMessage } from '../../src/server/messages/send-message.js';
import { setShift } from '../../src/server/mechanics/set-shift.js';
import { acceptSession } from '../../src/server/sessions/accept-session.js';
import { createSession } from '../../src/server/sessions/create-session.js';
import { endSession } from '../../src/server/sessions/end-session.js';
import { joinSession } from '../../src/server/sessions/join-session.js';
import { releaseSession } from '../../src/server/sessions/release-session.js';
import { loadVisibleSession } from '../../src/server/sessions/session-access.js';
import { JOB_HANDLERS } from '../../src/server/jobs/handlers.js';
import { startJobRunner, type JobRunner } from '../../src/server/jobs/runner.js';
import { confirmPayment } from '../../src/server/payments/confirm-payment.js';
import { startCheckout } from '../../src/server/payments/checkout.js';
import { extendSession } from '../../src/server/payments/extend-session.js';
import { issueRefund } from '../../src/server/payments/issue-refund.js';
import { runPayouts } from '../../src/server/payments/run-payouts.js';
import { admin, customer, mechanic, sessionBody } from '../factories/index.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

/*
 * A model-based simulation: customers and mechanics act at random, clients vanish at random,
 * time jumps forward, the sweeper and the job runner run — and after every step the invariants of
 * domain.md §6 and payments.md §6 hold, and after every sweep no open session is past its deadline.
 */

// 5,000 steps on PostgreSQL (the tier where races are real); the same model for 1,500 steps on the
// embedded database, which runs the same code one transaction at a time (SIM_STEPS overrides).
const STEPS = Number(process.env.SIM_STEPS ?? (process.env.TEST_DATABASE_URL ? 5000 : 1500));
const SEED = Number(process.env.SIM_SEED ?? 20261128);

/** Mulberry32: a small seeded generator, so a failure can be replayed with SIM_SEED. */
function random(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let x = a;
    x = Math.imul(x ^ (x >>> 15), x | 1);
    x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (n: number) => Math.floor(next() * n),
    pick: <T>(xs: readonly T[]) => xs[Math.floor(next() * xs.length)]!,
  };
}

let t: TestApp;
let runner: JobRunner;
const windows = {
  offerSeconds: 180,
  urgentOfferSeconds: 90,
  joinSeconds: 120,
  abandonSeconds: 90,
  exclusiveSeconds: 30,
  liveGraceSeconds: 30,
};

beforeAll(async () => {
  // Jobs run when the simulation says so (at each sweep), so a seed replays the same run.
  t = await createTestApp({ windows, withoutJobRunner: true });
  // The money's jobs only: the invariants are about money and sessions, and telling people of
  // thousands of random sessions (emails, notifications) would only slow the run down.
  runner = startJobRunner(
    t.ctx,
    t.bus,
    JOB_HANDLERS.filter((h) => !['notify', 'email.send', 'webhook.deliver'].includes(h.kind)),
    { pollMs: 3_600_000, onlyOwnKinds: true },
  );
});
afterAll(async () => {
  await runner.stop();
  await t.close();
});

describe('simulation', () => {
  it(`random actions and vanishing clients never break an invariant (${STEPS} steps, seed ${SEED})`, async () => {
    const rng = random(SEED);
    const asActor = (u: { id: string; email: string }, role: Actor['role']): Actor => ({
      id: u.id,
      email: u.email,
      name: 'sim',
      role,
    });
    const customers = await Promise.all(Array.from({ length: 80 }, async () => asActor(await customer(t), 'customer')));
    const mechanics = await Promise.all(
      Array.from({ length: 16 }, async () => asActor(await mechanic(t, { onShift: true }), 'mechanic')),
    );
    const boss = asActor(await admin(t), 'admin');
    /** Sessions whose clients have vanished: nobody acts on them again; only the sweeper can end them. */
    const vanished = new Set<string>();
    const unexpected: string[] = [];
    const counts: Record<string, number> = {};

    const attempt = async (name: string, run: () => Promise<unknown>) => {
      try {
        await run();
        counts[name] = (counts[name] ?? 0) + 1;
      } catch (error) {
        // Refusals (4xx) are the product saying no, which is fine; anything else is a bug.
        if (!(error instanceof AppError) || error.status >= 500) unexpected.push(`${name}: ${String(error)}`);
      }
    };

    const openSessions = async () =>
      t.database.db
        .select({
          id: sessions.id,
          status: sessions.status,
          customerId: sessions.customerId,
          mechanicId: sessions.mechanicId,
        })
        .from(sessions)
        .where(inArray(sessions.status, ['pending', 'accepted', 'live']));

    for (let step = 0; step < STEPS; step++) {
      const roll = rng.next();
      const open = (await openSessions()).filter((s) => !vanished.has(s.id));
      const someSession = open.length > 0 ? rng.pick(open) : undefined;
      const participantOf = (s: (typeof open)[number]) => {
        const ids = [s.customerId, s.mechanicId].filter(Boolean) as string[];
        const id = rng.pick(ids);
        return customers.find((c) => c.id === id) ?? mechanics.find((m) => m.id === id)!;
      };
      if (roll < 0.3) {
        const c = rng.pick(customers);
        const plan = rng.pick(['free', 'quick', 'standard', 'diagnostic']);
        await attempt('create', async () => {
          let paymentId: string | undefined;
          if (plan !== 'free') {
            // Pay as the web app does; some cards are declined, some checkouts abandoned.
            const card = rng.next() < 0.1 ? '4000000000000002' : '4242424242424242';
            const payment = await startCheckout(t.ctx, c, plan);
            await confirmPayment(t.ctx, c, payment.id, { number: card, expMonth: 12, expYear: 2040, cvc: '123' });
            paymentId = payment.id;
            if (rng.next() < 0.1) return; // abandoned: the hold is released after 30 minutes
          }
          await createSession(t.ctx, c, sessionBody({ plan, urgent: rng.next() < 0.3, paymentId }) as never);
        });
      } else if (roll < 0.35 && someSession) {
        await attempt('accept', () => acceptSession(t.ctx, rng.pick(mechanics), someSession.id));
      } else if (roll < 0.5 && someSession) {
        await attempt('join', () => joinSession(t.ctx, participantOf(someSession), someSession.id));
      } else if (roll < 0.58 && someSession) {
        await attempt('end', () => endSession(t.ctx, participantOf(someSession), someSession.id));
      } else if (roll < 0.61 && someSession?.mechanicId) {
        await attempt('release', () =>
          releaseSession(
            t.ctx,
            mechanics.find((m) => m.id === someSession.mechanicId)!,
            someSession.id,
          ),
        );
      } else if (roll < 0.7 && someSession) {
        await attempt('message', () =>
          sendMessage(t.ctx, participantOf(someSession), someSession.id, {
            body: `step ${step}`,
            clientId: crypto.randomUUID(),
          }),
        );
      } else if (roll < 0.76 && someSession) {
        await attempt('presence', () => loadVisibleSession(t.ctx, participantOf(someSession), someSession.id));
      } else if (roll < 0.8 && someSession) {
        vanished.add(someSession.id); // both clients close their laptops and never come back
      } else if (roll < 0.82) {
        await attempt('shift', () => setShift(t.ctx, rng.pick(mechanics), rng.next() < 0.8));
      } else if (roll < 0.85 && open.some((s) => s.status === 'live')) {
        const live = rng.pick(open.filter((s) => s.status === 'live'));
        const owner = customers.find((c) => c.id === live.customerId)!;
        await attempt('extend', () => extendSession(t.ctx, owner, live.id, rng.int(3) + 1));
      } else if (roll >= 0.85 && roll < 0.855) {
        // An admin refunds part or all of something charged; sometimes the same request twice.
        const [charged] = await queryRows<{ id: string; left: number }>(
          t.database.db,
          sql`SELECT id, captured_cents - refunded_cents AS left FROM payments
              WHERE status IN ('captured', 'partially_refunded') ORDER BY random() LIMIT 1`,
        );
        if (charged) {
          const amountCents = rng.next() < 0.5 ? undefined : rng.int(charged.left) + 1;
          const key = `sim-${step}`;
          for (let i = 0; i < (rng.next() < 0.2 ? 2 : 1); i++) {
            await attempt('refund', () =>
              issueRefund(t.ctx, boss, charged.id, { amountCents, reason: 'simulated', idempotencyKey: key }),
            );
          }
        }
      } else if (roll >= 0.855 && roll < 0.86) {
        await attempt('payouts', () => runPayouts(t.ctx, boss));
      } else if (roll < 0.93) {
        t.clock.advanceSeconds(rng.int(60));
      } else {
        await attempt('sweep', () => sweepOnce(t.ctx));
        await attempt('jobs', () => runner.drain());
        const overdue = await queryRows<{ n: number }>(
          t.database.db,
          sql`SELECT count(*)::int AS n FROM sessions WHERE status IN ('pending','accepted','live') AND deadline_at <= ${t.clock.now().toISOString()}::timestamptz`,
        );
        expect(overdue[0]!.n, `open sessions past their deadline after a sweep at step ${step}`).toBe(0);
      }
      const violations = await findViolations(t.database.db, { now: t.clock.now(), sweepIntervalMs: 3_600_000 });
      expect(violations, `step ${step}`).toEqual([]);
      expect(unexpected, `step ${step}`).toEqual([]);
    }

    // Everyone leaves. Within the longest window plus one sweep, every session is terminal.
    const longest = Math.max(windows.offerSeconds, windows.joinSeconds, 60 * 60 + windows.liveGraceSeconds);
    t.clock.advanceSeconds(longest + 1);
    await sweepOnce(t.ctx);
    await runner.drain();
    expect(await openSessions()).toEqual([]);
    expect(await findViolations(t.database.db, { now: t.clock.now(), sweepIntervalMs: 5000 })).toEqual([]);
    const [total] = await queryRows<{ n: number; statuses: string }>(
      t.database.db,
      sql`SELECT count(*)::int AS n, string_agg(DISTINCT status, ',' ORDER BY status) AS statuses FROM sessions`,
    );
    console.info(`simulation: ${total!.n} sessions ended as ${total!.statuses}; actions ${JSON.stringify(counts)}`);
    expect(total!.statuses).toBe('cancelled,completed,expired,no_show');
    const [money] = await queryRows<{ statuses: string; captured: number }>(
      t.database.db,
      sql`SELECT string_agg(DISTINCT status, ',' ORDER BY status) AS statuses, coalesce(sum(captured_cents), 0)::int AS captured FROM payments`,
    );
    console.info(`simulation: payments ended as ${money!.statuses}, ${money!.captured} cents captured`);
    const paymentStatuses = money!.statuses.split(',');
    expect(paymentStatuses).toEqual(expect.arrayContaining(['captured', 'failed', 'voided']));
    expect(['captured', 'failed', 'voided', 'partially_refunded', 'refunded']).toEqual(
      expect.arrayContaining(paymentStatuses),
    );
    // The rarer actions happened often enough to mean something: at least one per 1,250 steps.
    expect(counts.extend).toBeGreaterThanOrEqual(Math.ceil(STEPS / 1250));
    expect(counts.refund).toBeGreaterThanOrEqual(Math.ceil(STEPS / 1250));
    expect(counts.accept).toBeGreaterThan(STEPS / 500);
  }, 600_000);
});
