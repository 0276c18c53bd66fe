import { payments as endpoints } from '../../shared/contract/index.js';
import { AppError } from '../errors.js';
import { toJobDto } from '../jobs/job.dto.js';
import { findJobByKey, listJobs } from '../jobs/job.repository.js';
import { retryJob } from '../jobs/retry-job.js';
import { route, type App, type RouteDeps } from '../platform/routing.js';
import { loadVisibleSession } from '../sessions/session-access.js';
import { applyProviderEvent } from './apply-provider-event.js';
import { startCheckout } from './checkout.js';
import { confirmPayment } from './confirm-payment.js';
import { getSessionMoney } from './get-money.js';
import { listReceipts } from './list-receipts.js';
import { setPayoutAccount } from '../mechanics/set-payout-account.js';
import { idempotencyKeyOf } from '../platform/routing.js';
import { decideRefund } from './decide-refund-request.js';
import { extendSession } from './extend-session.js';
import { getEarnings, statementCsv } from './get-earnings.js';
import { inspectPayment } from './inspect-payment.js';
import { issueRefund } from './issue-refund.js';
import {
  toDisputeDto,
  toPaymentDto,
  toPayoutDto,
  toRefundDto,
  toRefundRequestDto,
  toExtensionDto,
} from './payment.dto.js';
import { findPayment, listPayments } from './payment.repository.js';
import { listPayouts } from './payout.repository.js';
import { listRefundRequestsForAdmins } from './list-refund-requests.js';
import { disputeStatusOf, disputeStatuses, listDisputes } from './refund.repository.js';
import { requestRefund } from './request-refund.js';
import { runPayouts } from './run-payouts.js';
import { toSessionDto } from '../sessions/session.dto.js';

const JOB_STATES_BY_FILTER = {
  failed: ['retrying', 'dead'],
  dead: ['dead'],
  queued: ['queued', 'retrying'],
  running: ['running'],
  done: ['done'],
} as const;

export async function paymentRoutes(app: App, { ctx, auth, config }: RouteDeps): Promise<void> {
  const provider = ctx.payments.provider;

  route(app, endpoints.config, async () => ({
    ...provider.publicConfig(),
    offerWindowMinutes: Math.round(config.windows.offerSeconds / 60),
    urgentOfferWindowMinutes: Math.round(config.windows.urgentOfferSeconds / 60),
  }));

  route(app, endpoints.checkout, async (request) => {
    const actor = await auth.requireActor(request, 'customer');
    return toPaymentDto(await startCheckout(ctx, actor, request.body.plan), null, { withClientSecret: true });
  });

  route(app, endpoints.confirm, async (request) => {
    const actor = await auth.requireActor(request, 'customer');
    const { cardNumber, expMonth, expYear, cvc } = request.body;
    const payment = await confirmPayment(ctx, actor, request.params.id, { number: cardNumber, expMonth, expYear, cvc });
    return toPaymentDto(payment, null);
  });

  route(app, endpoints.get, async (request) => {
    const actor = await auth.requireActor(request);
    const payment = await findPayment(ctx.db, request.params.id);
    if (!payment || (actor.role !== 'admin' && payment.customerId !== actor.id))
      throw new AppError('NOT_FOUND', 'No such payment');
    return toPaymentDto(payment, await disputeStatusOf(ctx.db, payment.id), {
      withClientSecret: payment.customerId === actor.id,
    });
  });

  route(app, endpoints.money, async (request) =>
    getSessionMoney(ctx, await auth.requireActor(request), request.params.id),
  );

  route(app, endpoints.receipts, async (request) => ({
    items: await listReceipts(ctx, await auth.requireActor(request, 'customer')),
  }));

  // Stripe signs the raw body: this route keeps it raw (a scope of its own with a Buffer parser).
  await app.register(async (scope: App) => {
    scope.removeContentTypeParser('application/json');
    scope.addContentTypeParser(
      'application/json',
      { parseAs: 'buffer', bodyLimit: 1024 * 1024 },
      (_request, body, done) => done(null, body),
    );
    route(scope, endpoints.stripeWebhook, async (request) => {
      if (!provider.verifyWebhook) throw new AppError('NOT_FOUND', 'Stripe is not the payment provider here');
      const signature = request.headers['stripe-signature'];
      const raw = request.body as unknown as Buffer;
      if (typeof signature !== 'string' || !Buffer.isBuffer(raw)) {
        throw new AppError('VALIDATION_FAILED', 'A Stripe-Signature header and a JSON body are required');
      }
      let event;
      try {
        event = provider.verifyWebhook(raw, signature);
      } catch {
        throw new AppError('VALIDATION_FAILED', 'The signature does not match the body');
      }
      return { received: true as const, outcome: await applyProviderEvent(ctx, event) };
    });
  });

  route(app, endpoints.adminPayments, async (request) => {
    await auth.requireActor(request, 'admin');
    const q = request.query;
    const rows = await listPayments(ctx.db, {
      statuses: q.status ? [q.status] : undefined,
      customerEmail: q.customer,
      mechanicId: q.mechanicId,
      from: q.from ? new Date(`${q.from}T00:00:00Z`) : undefined,
      to: q.to ? new Date(Date.parse(`${q.to}T00:00:00Z`) + 86_400_000) : undefined,
      limit: q.limit,
    });
    const disputes = await disputeStatuses(
      ctx.db,
      rows.map((r) => r.payment.id),
    );
    return {
      items: rows.map((r) => ({
        ...toPaymentDto(r.payment, disputes.get(r.payment.id) ?? null),
        customerEmail: r.customerEmail,
        mechanicId: r.mechanicId,
        sessionStatus: r.sessionStatus,
      })),
    };
  });

  route(app, endpoints.retryCapture, async (request) => {
    const admin = await auth.requireActor(request, 'admin');
    const payment = await findPayment(ctx.db, request.params.id);
    if (!payment) throw new AppError('NOT_FOUND', 'No such payment');
    if (payment.status !== 'capture_failed' || !payment.sessionId) {
      throw new AppError('INVALID_TRANSITION', `Only a failed capture is retried; this payment is ${payment.status}`);
    }
    const job = await findJobByKey(ctx.db, `settle:${payment.sessionId}`);
    if (!job) throw new AppError('NOT_FOUND', 'This payment has no settlement to retry');
    return toJobDto(await retryJob(ctx, admin, job.id, `retry the capture of payment ${payment.id}`));
  });

  route(app, endpoints.extend, async (request) => {
    const actor = await auth.requireActor(request, 'customer');
    const { extension, session } = await extendSession(ctx, actor, request.params.id, request.body.blocks);
    // `session` is null only when the extension was settled by its twin (the job) meanwhile.
    const current = session ?? (await loadVisibleSession(ctx, actor, request.params.id));
    return { extension: toExtensionDto(extension), session: toSessionDto(current.session, current.participants) };
  });

  route(app, endpoints.requestRefund, async (request) => {
    const actor = await auth.requireActor(request, 'customer');
    return toRefundRequestDto(await requestRefund(ctx, actor, request.params.id, request.body.reason));
  });

  route(app, endpoints.earnings, async (request, reply) => {
    const earnings = await getEarnings(ctx, await auth.requireActor(request, 'mechanic'));
    if (request.query.format === 'csv') {
      const day = ctx.clock.now().toISOString().slice(0, 10);
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="autodoctor-earnings-${day}.csv"`)
        .send(statementCsv(earnings.lines));
    }
    return earnings;
  });

  route(app, endpoints.adminPayment, async (request) =>
    inspectPayment(ctx, await auth.requireActor(request, 'admin'), request.params.id),
  );

  route(app, endpoints.refund, async (request, reply) => {
    const admin = await auth.requireActor(request, 'admin');
    const idempotencyKey = idempotencyKeyOf(request);
    if (!idempotencyKey) {
      throw new AppError(
        'VALIDATION_FAILED',
        'A refund needs an Idempotency-Key header, so that a retry is the same refund',
        {
          errors: [{ path: 'headers.idempotency-key', message: 'is required' }],
        },
      );
    }
    const { refund, created } = await issueRefund(ctx, admin, request.params.id, { ...request.body, idempotencyKey });
    reply.code(created ? 201 : 200);
    return toRefundDto(refund);
  });

  route(app, endpoints.refundRequests, async (request) => {
    await auth.requireActor(request, 'admin');
    return { items: await listRefundRequestsForAdmins(ctx, request.query.status) };
  });

  route(app, endpoints.decideRefundRequest, async (request) => {
    const admin = await auth.requireActor(request, 'admin');
    return toRefundRequestDto(await decideRefund(ctx, admin, request.params.id, request.body));
  });

  route(app, endpoints.disputes, async (request) => {
    await auth.requireActor(request, 'admin');
    return { items: (await listDisputes(ctx.db, 200)).map(toDisputeDto) };
  });

  route(app, endpoints.payouts, async (request) => {
    await auth.requireActor(request, 'admin');
    return { items: (await listPayouts(ctx.db, request.query)).map(toPayoutDto) };
  });

  route(app, endpoints.runPayouts, async (request) => {
    const admin = await auth.requireActor(request, 'admin');
    return { items: (await runPayouts(ctx, admin)).map(toPayoutDto) };
  });

  route(app, endpoints.payoutAccount, async (request) => {
    const admin = await auth.requireActor(request, 'admin');
    return setPayoutAccount(ctx, admin, request.params.userId, request.body.accountId, request.body.reason);
  });

  route(app, endpoints.jobs, async (request) => {
    await auth.requireActor(request, 'admin');
    const rows = await listJobs(ctx.db, [...JOB_STATES_BY_FILTER[request.query.state]], request.query.limit);
    return { items: rows.map(toJobDto) };
  });

  route(app, endpoints.retryJob, async (request) => {
    const admin = await auth.requireActor(request, 'admin');
    return toJobDto(await retryJob(ctx, admin, request.params.id, 'retried from the jobs console'));
  });
}
