import type { Actor } from '../auth/auth.js';
import type { Ctx } from '../context.js';
import { loadVisibleSession, relationTo } from '../sessions/session-access.js';
import { ACCOUNTS, sessionBalances } from './ledger.repository.js';
import { toPaymentDto } from './payment.dto.js';
import { findPaymentBySession } from './payment.repository.js';

/** What happened to a session's money, in one word for the screens. */
function outcomeOf(status: string | undefined, sessionOpen: boolean) {
  if (!status) return 'free' as const;
  if (status === 'captured' || status === 'partially_refunded' || status === 'refunded') return 'charged' as const;
  if (status === 'voided' || status === 'failed') return 'released' as const;
  if (status === 'capture_failed') return 'capture_failed' as const;
  return sessionOpen ? ('authorized' as const) : ('pending' as const);
}

/**
 * A session's money view (payments.md §4, §7) for its participants and admins: the payment,
 * captured and refunded amounts, and the two shares as the ledger booked them. The mechanic sees
 * their share, not the customer's card.
 */
export async function getSessionMoney(ctx: Ctx, viewer: Actor, sessionId: string) {
  const { session } = await loadVisibleSession(ctx, viewer, sessionId);
  const payment = await findPaymentBySession(ctx.db, sessionId);
  const balances = await sessionBalances(ctx.db, sessionId);
  const mechanicShare = session.mechanicId ? -(balances.get(ACCOUNTS.mechanic(session.mechanicId)) ?? 0) : 0;
  const platformShare = -(balances.get(ACCOUNTS.platformRevenue) ?? 0);
  const isMechanic = relationTo(session, viewer) === 'mechanic';
  return {
    payment: payment && !isMechanic ? toPaymentDto(payment) : null,
    extensions: [],
    capturedCents: payment?.capturedCents ?? 0,
    refundedCents: payment?.refundedCents ?? 0,
    mechanicShareCents: mechanicShare,
    platformShareCents: isMechanic ? 0 : platformShare,
    payoutId: null,
    outcome: outcomeOf(payment?.status, !session.endedAt),
  };
}
