import type { Actor } from '../auth/auth.js';
import { findUserById } from '../accounts/account.repository.js';
import type { Ctx } from '../context.js';
import { AppError } from '../errors.js';
import { toJobDto } from '../jobs/job.dto.js';
import { findJobsByKeys } from '../jobs/job.repository.js';
import { findSession } from '../sessions/session.repository.js';
import { listExtensions } from './extension.repository.js';
import { settlePaymentJob, voidUnattachedJob } from './jobs.js';
import { paymentLedger } from './ledger.repository.js';
import { toDisputeDto, toExtensionDto, toPaymentDto, toRefundDto, toRefundRequestDto } from './payment.dto.js';
import { findPayment, listProviderEvents } from './payment.repository.js';
import { disputesOf, findRefundRequestOfSession, refundsOf } from './refund.repository.js';
import { refundJob } from './issue-refund.js';
import { applyExtensionJob } from './extend-session.js';

/**
 * A payment's whole story for an admin, in one look: the authorisation, the session it paid for,
 * each extension charge, refunds and the customer's request, disputes, every ledger line, the
 * provider's events as they arrived, and the jobs that moved (or are to move) its money.
 */
export async function inspectPayment(ctx: Ctx, admin: Actor, paymentId: string) {
  if (admin.role !== 'admin') throw new AppError('FORBIDDEN', 'Payments are inspected by admins');
  const payment = await findPayment(ctx.db, paymentId);
  if (!payment) throw new AppError('NOT_FOUND', 'No such payment');
  const sessionId = payment.sessionId;
  const [customer, session, extensions, refunds, refundRequest, disputes, ledger, events] = await Promise.all([
    findUserById(ctx.db, payment.customerId),
    sessionId ? findSession(ctx.db, sessionId) : undefined,
    sessionId ? listExtensions(ctx.db, sessionId) : [],
    refundsOf(ctx.db, payment.id),
    sessionId ? findRefundRequestOfSession(ctx.db, sessionId) : undefined,
    disputesOf(ctx.db, payment.id),
    paymentLedger(ctx.db, payment.id),
    listProviderEvents(ctx.db, payment.id),
  ]);
  const jobs = await findJobsByKeys(ctx.db, [
    voidUnattachedJob(payment.id).key,
    ...(sessionId ? [settlePaymentJob(sessionId).key] : []),
    ...extensions.map((x) => applyExtensionJob(x.id).key),
    ...refunds.map((r) => refundJob(r.id).key),
  ]);
  return {
    payment: toPaymentDto(payment, disputes.at(-1)?.status ?? null),
    customerEmail: customer?.email ?? '(deleted account)',
    session: session
      ? {
          id: session.id,
          status: session.status,
          mechanicId: session.mechanicId,
          endedAt: session.endedAt?.toISOString() ?? null,
        }
      : null,
    providerRef: payment.providerRef,
    extensions: extensions.map(toExtensionDto),
    refunds: refunds.map(toRefundDto),
    refundRequest: refundRequest ? toRefundRequestDto(refundRequest) : null,
    disputes: disputes.map(toDisputeDto),
    ledger: ledger.map(({ transaction, entry }) => ({
      transactionId: transaction.id,
      reference: transaction.reference,
      kind: transaction.kind,
      account: entry.account,
      amountCents: entry.amountCents,
      at: transaction.createdAt.toISOString(),
    })),
    events: events.map((e) => ({ id: e.id, type: e.type, outcome: e.outcome, receivedAt: e.receivedAt.toISOString() })),
    jobs: jobs.map(toJobDto),
  };
}
