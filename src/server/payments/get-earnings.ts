import type { Actor } from '../auth/auth.js';
import type { Ctx } from '../context.js';
import { AppError } from '../errors.js';
import { findMechanic } from '../mechanics/mechanic.repository.js';
import { findSessionsByIds } from '../sessions/session.repository.js';
import { heldByDisputes, listPayouts, statementOf, type StatementLine } from './payout.repository.js';
import { lastPeriodEnd, nextPeriodEnd } from './run-payouts.js';

const CREDITS = new Set(['capture', 'extension']);
const PAYOUTS = new Set(['payout', 'payout_reversal']);

/**
 * A mechanic's earnings, all read from their ledger account (payments.md §4): what they are owed
 * now, what of it is not payable yet (booked since the last period ended, or held by a dispute),
 * week by week, and session by session.
 */
export async function getEarnings(ctx: Ctx, viewer: Actor) {
  const mechanic = viewer.role === 'mechanic' ? await findMechanic(ctx.db, viewer.id) : undefined;
  if (!mechanic) throw new AppError('FORBIDDEN', 'Earnings are for mechanics');
  const now = ctx.clock.now();
  const [lines, payouts, held] = await Promise.all([
    statementOf(ctx.db, viewer.id),
    listPayouts(ctx.db, { mechanicId: viewer.id, limit: 52 }),
    heldByDisputes(ctx.db),
  ]);
  const lastEnd = lastPeriodEnd(now);
  const balance = lines.reduce((sum, l) => sum + l.amountCents, 0);
  const sinceLastEnd = lines
    .filter((l) => l.at >= lastEnd && !PAYOUTS.has(l.kind))
    .reduce((sum, l) => sum + l.amountCents, 0);
  const heldCents = held.get(viewer.id) ?? 0;

  const periods = new Map<string, { periodEnd: Date; earnedCents: number; reversedCents: number; paidCents: number }>();
  for (const line of lines) {
    const end = nextPeriodEnd(line.at);
    const key = end.toISOString();
    const period = periods.get(key) ?? { periodEnd: end, earnedCents: 0, reversedCents: 0, paidCents: 0 };
    if (CREDITS.has(line.kind)) period.earnedCents += line.amountCents;
    else if (PAYOUTS.has(line.kind)) period.paidCents -= line.amountCents;
    else period.reversedCents -= line.amountCents;
    periods.set(key, period);
  }
  const bySession = new Map<string, { creditedCents: number; reversedCents: number }>();
  for (const line of lines) {
    if (!line.sessionId) continue;
    const entry = bySession.get(line.sessionId) ?? { creditedCents: 0, reversedCents: 0 };
    if (CREDITS.has(line.kind)) entry.creditedCents += line.amountCents;
    else entry.reversedCents -= line.amountCents;
    bySession.set(line.sessionId, entry);
  }
  const sessions = await findSessionsByIds(ctx.db, [...bySession.keys()]);
  const currency = lines[0]?.currency ?? 'USD';
  return {
    currency,
    balanceCents: balance,
    pendingCents: Math.min(balance, Math.max(0, sinceLastEnd) + heldCents),
    heldByDisputesCents: heldCents,
    nextPayoutAt: nextPeriodEnd(now).toISOString(),
    payoutAccount: { required: ctx.payments.provider.needsPayoutAccount, connected: Boolean(mechanic.payoutAccount) },
    periods: [...periods.values()]
      .sort((a, b) => b.periodEnd.getTime() - a.periodEnd.getTime())
      .map((p) => {
        const payout = payouts.find((x) => x.periodEnd.getTime() === p.periodEnd.getTime());
        return {
          periodStart: new Date(p.periodEnd.getTime() - 7 * 86_400_000).toISOString(),
          periodEnd: p.periodEnd.toISOString(),
          earnedCents: p.earnedCents,
          reversedCents: p.reversedCents,
          paidCents: p.paidCents,
          payoutId: payout?.id ?? null,
          payoutStatus: payout?.status ?? null,
        };
      }),
    sessions: sessions
      .sort((a, b) => (b.endedAt?.getTime() ?? 0) - (a.endedAt?.getTime() ?? 0))
      .map((s) => {
        const entry = bySession.get(s.id)!;
        return {
          sessionId: s.id,
          plan: s.plan,
          vehicle: `${s.vehicle.year} ${s.vehicle.make} ${s.vehicle.model}`,
          endedAt: s.endedAt?.toISOString() ?? null,
          creditedCents: entry.creditedCents,
          reversedCents: entry.reversedCents,
          netCents: entry.creditedCents - entry.reversedCents,
        };
      }),
    payouts: payouts.map((p) => ({
      id: p.id,
      periodEnd: p.periodEnd.toISOString(),
      amountCents: p.amountCents,
      status: p.status,
    })),
    lines,
  };
}

/** Integer cents as a decimal amount, in integers only (-1234 → "-12.34"). */
function cents(n: number): string {
  const abs = Math.abs(n);
  return `${n < 0 ? '-' : ''}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

/** The statement as CSV: every booking, signed as the mechanic sees it, with the running balance. */
export function statementCsv(lines: StatementLine[]): string {
  let running = 0;
  const rows = [['date', 'kind', 'reference', 'session', 'amount', 'currency', 'balance'].join(',')];
  for (const line of lines) {
    running += line.amountCents;
    rows.push(
      [
        line.at.toISOString(),
        line.kind,
        line.reference,
        line.sessionId ?? '',
        cents(line.amountCents),
        line.currency,
        cents(running),
      ].join(','),
    );
  }
  return `${rows.join('\n')}\n`;
}
