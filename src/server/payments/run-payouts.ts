import type { Actor } from '../auth/auth.js';
import { recordAdminAction } from '../audit/audit.repository.js';
import { announce } from '../notifications/announce.js';
import type { Ctx } from '../context.js';
import type { PayoutRow } from '../db/schema.js';
import { enqueue, PermanentJobError, type JobHandler, type RetryPolicy } from '../jobs/queue.js';
import { findMechanic } from '../mechanics/mechanic.repository.js';
import { ACCOUNTS, recordTransaction } from './ledger.repository.js';
import { findPayout, finishPayout, heldByDisputes, insertPayout, mechanicBalances } from './payout.repository.js';
import { ProviderRefused } from './provider.js';

/*
 * Weekly payouts (payments.md §3): periods end on Mondays at 00:00 UTC. For the last period that
 * ended, each mechanic is paid what their ledger account owed them for everything booked before
 * its end, minus what open disputes hold — one payout per mechanic per period, so running it
 * twice pays once; nothing is paid on a balance of zero or less (a negative one carries over, as
 * it stays on the account). The payout is booked at once (mechanic +n, payouts −n) and the
 * transfer runs as a job under `payout:<payoutId>`.
 */

const WEEK = 7 * 86_400_000;

/** The end of the last period that ended at or before `now`: the latest Monday 00:00 UTC. */
export function lastPeriodEnd(now: Date): Date {
  const midnight = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  const sinceMonday = (new Date(midnight).getUTCDay() + 6) % 7;
  return new Date(midnight - sinceMonday * 86_400_000);
}

export const nextPeriodEnd = (now: Date) => new Date(lastPeriodEnd(now).getTime() + WEEK);

const TRANSFER_RETRY: RetryPolicy = { maxAttempts: 8, delaysMs: [60_000, 300_000, 1_800_000, 3_600_000, 14_400_000] };

export const transferJob = (payoutId: string) => ({
  kind: 'payout.transfer',
  key: `payout:${payoutId}`,
  payload: { payoutId },
  retry: TRANSFER_RETRY,
});
export const weeklyPayoutsJob = (periodEnd: Date) => ({
  kind: 'payouts.run',
  key: `payouts:${periodEnd.toISOString()}`,
  payload: { periodEnd: periodEnd.toISOString() },
});

/** Creates the payouts of the last period that ended; returns the new ones (none when already done). */
export async function runPayouts(ctx: Ctx, admin: Actor | null): Promise<PayoutRow[]> {
  const now = ctx.clock.now();
  const periodEnd = lastPeriodEnd(now);
  const periodStart = new Date(periodEnd.getTime() - WEEK);
  const provider = ctx.payments.provider;
  const [balances, held] = await Promise.all([mechanicBalances(ctx.db, periodEnd), heldByDisputes(ctx.db)]);
  const created: PayoutRow[] = [];
  for (const { mechanicId, balanceCents, currency } of balances) {
    const amount = balanceCents - (held.get(mechanicId) ?? 0);
    if (amount <= 0) continue;
    const mechanic = await findMechanic(ctx.db, mechanicId);
    const blocked = provider.needsPayoutAccount && !mechanic?.payoutAccount;
    const payout = await ctx.db.transaction(async (tx) => {
      const row = await insertPayout(tx, {
        mechanicId,
        periodStart,
        periodEnd,
        amountCents: amount,
        currency,
        status: blocked ? 'blocked' : 'paying',
        provider: provider.name,
        createdAt: now,
      });
      if (!row || blocked) return row; // paid already for this period; or nowhere to pay (the balance stays)
      await recordTransaction(tx, {
        reference: `payout:${row.id}`,
        kind: 'payout',
        paymentId: null,
        sessionId: null,
        currency,
        at: now,
        entries: [
          { account: ACCOUNTS.mechanic(mechanicId), amountCents: amount },
          { account: ACCOUNTS.payouts, amountCents: -amount },
        ],
      });
      const job = transferJob(row.id);
      await enqueue(tx, now, job, { retry: job.retry });
      return row;
    });
    if (payout) created.push(payout);
  }
  if (admin) {
    await recordAdminAction(ctx.db, {
      adminId: admin.id,
      action: 'payouts.run',
      targetType: 'payout',
      targetId: periodEnd.toISOString(),
      reason: 'run payouts',
      before: null,
      after: { created: created.length, periodEnd: periodEnd.toISOString() },
      at: now,
    });
  }
  return created;
}

/** Keeps next Monday's run queued (the sweeper calls this; the key makes it one job per period). */
export async function scheduleWeeklyPayouts(ctx: Ctx): Promise<void> {
  const end = nextPeriodEnd(ctx.clock.now());
  await enqueue(ctx.db, ctx.clock.now(), weeklyPayoutsJob(end), { runAt: end });
}

export const weeklyPayoutsHandler: JobHandler = {
  kind: 'payouts.run',
  run: async (ctx) => {
    await runPayouts(ctx, null);
    await scheduleWeeklyPayouts(ctx);
  },
};

export const transferHandler: JobHandler = {
  kind: 'payout.transfer',
  retry: TRANSFER_RETRY,
  async run(ctx, job) {
    const payout = await findPayout(ctx.db, String(job.payload.payoutId));
    if (!payout || payout.status !== 'paying') return;
    const mechanic = await findMechanic(ctx.db, payout.mechanicId);
    try {
      const transfer = await ctx.payments.provider.transfer({
        destination: mechanic?.payoutAccount ?? null,
        amountCents: payout.amountCents,
        currency: payout.currency,
        idempotencyKey: `payout:${payout.id}`,
      });
      const now = ctx.clock.now();
      await ctx.db.transaction(async (tx) => {
        // The mechanic's weekly statement goes out with the payout it describes.
        if (await finishPayout(tx, payout.id, { status: 'paid', providerRef: transfer.ref }, now))
          await announce(tx, now, { type: 'payout_paid', payoutId: payout.id });
      });
    } catch (error) {
      if (error instanceof ProviderRefused) throw new PermanentJobError(error.message, { cause: error });
      throw error;
    }
  },
  /** The transfer cannot be made: the booking is reversed, so the money is owed to the mechanic again. */
  async onDead(ctx, job, error) {
    const payout = await findPayout(ctx.db, String(job.payload.payoutId));
    if (!payout) return;
    const now = ctx.clock.now();
    await ctx.db.transaction(async (tx) => {
      if (!(await finishPayout(tx, payout.id, { status: 'failed', failure: String(error).slice(0, 500) }, now))) return;
      await recordTransaction(tx, {
        reference: `payout-failed:${payout.id}`,
        kind: 'payout_reversal',
        paymentId: null,
        sessionId: null,
        currency: payout.currency,
        at: now,
        entries: [
          { account: ACCOUNTS.mechanic(payout.mechanicId), amountCents: -payout.amountCents },
          { account: ACCOUNTS.payouts, amountCents: payout.amountCents },
        ],
      });
    });
  },
};
