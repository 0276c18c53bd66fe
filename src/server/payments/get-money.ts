import type { Actor } from '../auth/auth.js';
import { findPlan } from '../catalogue/catalogue.repository.js';
import type { Ctx } from '../context.js';
import { loadVisibleSession, relationTo } from '../sessions/session-access.js';
import { MAX_EXTENSIONS } from './extend-session.js';
import { listExtensions } from './extension.repository.js';
import { ACCOUNTS, sessionBalances } from './ledger.repository.js';
import { toExtensionDto, toPaymentDto, toRefundDto, toRefundRequestDto } from './payment.dto.js';
import { findPaymentBySession } from './payment.repository.js';
import { payoutOfSession } from './payout.repository.js';
import { disputeStatusOf, findRefundRequestOfSession, refundsOf } from './refund.repository.js';

/** What happened to a session's money, in one word for the screens. */
function outcomeOf(status: string | undefined, sessionOpen: boolean) {
  if (!status) return 'free' as const;
  if (status === 'captured' || status === 'partially_refunded' || status === 'refunded') return 'charged' as const;
  if (status === 'voided' || status === 'failed') return 'released' as const;
  if (status === 'capture_failed') return 'capture_failed' as const;
  return sessionOpen ? ('authorized' as const) : ('pending' as const);
}

/**
 * A session's money view (payments.md §4, §7) for its participants and admins: the payment, its
 * extensions, captured and refunded amounts, the two shares as the ledger booked them, and the
 * payout the mechanic's share went out in. The mechanic sees their share, not the customer's card,
 * refunds or requests.
 */
export async function getSessionMoney(ctx: Ctx, viewer: Actor, sessionId: string) {
  const { session } = await loadVisibleSession(ctx, viewer, sessionId);
  const isMechanic = relationTo(session, viewer) === 'mechanic';
  const payment = await findPaymentBySession(ctx.db, sessionId);
  const [balances, extensions, plan] = await Promise.all([
    sessionBalances(ctx.db, sessionId),
    listExtensions(ctx.db, sessionId),
    findPlan(ctx.db, session.plan),
  ]);
  const [refunds, refundRequest, dispute, payoutId] = payment
    ? await Promise.all([
        refundsOf(ctx.db, payment.id),
        findRefundRequestOfSession(ctx.db, sessionId),
        disputeStatusOf(ctx.db, payment.id),
        session.mechanicId ? payoutOfSession(ctx.db, sessionId, session.mechanicId) : null,
      ])
    : [[], undefined, null, null];
  const mechanicShare = session.mechanicId ? -(balances.get(ACCOUNTS.mechanic(session.mechanicId)) ?? 0) : 0;
  const platformShare = -(balances.get(ACCOUNTS.platformRevenue) ?? 0);
  const canExtend = Boolean(plan?.extensionMinutes && plan.extensionPriceCents && payment);
  return {
    payment: payment && !isMechanic ? toPaymentDto(payment, dispute) : null,
    extensions: extensions.map(toExtensionDto),
    capturedCents: payment?.capturedCents ?? 0,
    refundedCents: payment?.refundedCents ?? 0,
    mechanicShareCents: mechanicShare,
    platformShareCents: isMechanic ? 0 : platformShare,
    payoutId,
    refunds: isMechanic ? [] : refunds.map(toRefundDto),
    refundRequest: refundRequest && !isMechanic ? toRefundRequestDto(refundRequest) : null,
    extensionOffer: canExtend
      ? {
          minutes: plan!.extensionMinutes!,
          priceCents: plan!.extensionPriceCents!,
          remaining: Math.max(
            0,
            MAX_EXTENSIONS - extensions.filter((x) => x.status !== 'failed' && x.status !== 'refunded').length,
          ),
        }
      : null,
    outcome: outcomeOf(payment?.status, !session.endedAt),
  };
}
