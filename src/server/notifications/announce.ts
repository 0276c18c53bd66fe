import type { WebhookEvent } from '../../shared/domain.js';
import { findUserById } from '../accounts/account.repository.js';
import { findPlan } from '../catalogue/catalogue.repository.js';
import type { Ctx } from '../context.js';
import type { Executor } from '../db/client.js';
import type { PaymentRow, SessionRow } from '../db/schema.js';
import { formatMoney } from '../documents/document-text.js';
import { enqueue, type JobHandler } from '../jobs/queue.js';
import { findMechanic } from '../mechanics/mechanic.repository.js';
import { findPayment } from '../payments/payment.repository.js';
import { findPayout } from '../payments/payout.repository.js';
import { findRefund } from '../payments/refund.repository.js';
import { findEvent } from '../realtime/realtime.repository.js';
import { mechanicBlock, offerBlock } from '../sessions/eligibility.js';
import { toSessionDto } from '../sessions/session.dto.js';
import { loadSession, type SessionWithParticipants } from '../sessions/session.repository.js';
import { enqueueWebhookEvent } from '../webhooks/enqueue-webhook-event.js';
import {
  claimAlert,
  insertNotification,
  listOffShiftAlertees,
  takeWaiting,
  type NewNotification,
  type NotificationRow,
} from './notification.repository.js';
import { enqueueEmail, type EmailJob } from './send-email.js';

/*
 * What happened, announced once (notifications.md §1–§6). The change that causes it enqueues a
 * `notify` job in its own transaction (`announce`); after commit the job decides who hears of it
 * and how — emails (each its own keyed job), in-app notifications (keyed rows), integrators'
 * webhooks (keyed deliveries) — all in one transaction, so a job run twice announces once.
 */

export type Cause =
  /** A committed `session_events` row of a kind people hear about (ANNOUNCED_EVENTS: enqueued as it is appended). */
  | { type: 'session_event'; eventId: number }
  | { type: 'payment_settled'; paymentId: string }
  | { type: 'refund_succeeded'; refundId: string }
  | {
      type: 'application';
      userId: string;
      status: 'received' | 'approved' | 'declined' | 'suspended';
      reason?: string | null;
      at: string;
    }
  | { type: 'on_shift'; userId: string; at: string }
  | { type: 'payout_paid'; payoutId: string };

const keyOf = (cause: Cause): string => {
  switch (cause.type) {
    case 'session_event':
      return `notify:session_event:${cause.eventId}`;
    case 'payment_settled':
      return `notify:payment_settled:${cause.paymentId}`;
    case 'refund_succeeded':
      return `notify:refund:${cause.refundId}`;
    case 'application':
      return `notify:application:${cause.userId}:${cause.status}:${cause.at}`;
    case 'on_shift':
      return `notify:on_shift:${cause.userId}:${cause.at}`;
    case 'payout_paid':
      return `notify:payout:${cause.payoutId}`;
  }
};

/** Enqueues the announcement of `cause` in the caller's transaction. */
export async function announce(ex: Executor, now: Date, cause: Cause): Promise<void> {
  await enqueue(ex, now, { kind: 'notify', key: keyOf(cause), payload: cause });
}

/** What one announcement writes, gathered first and then written in one transaction. */
type Plan = {
  emails: EmailJob[];
  notifications: NewNotification[];
  webhooks: { type: WebhookEvent; key: string; data: Record<string, unknown> }[];
  /** Writes that must commit with the rest (claims, waitlist takes). */
  inTransaction?: (tx: Executor, now: Date, plan: Plan) => Promise<void>;
};

const vehicleOf = (session: SessionRow) => {
  const v = session.vehicle;
  return [v.year, v.make, v.model].filter(Boolean).join(' ') || 'car';
};

/** "visa ending 4242", as the emails name the card; null when the payment has none on record. */
const cardOf = (payment: PaymentRow) =>
  payment.cardBrand && payment.cardLast4 ? `${payment.cardBrand} ending ${payment.cardLast4}` : null;

async function mechanicName(ctx: Ctx, userId: string | null): Promise<string> {
  if (!userId) return 'Your mechanic';
  const mechanic = await findMechanic(ctx.db, userId);
  return mechanic?.displayName ?? (await findUserById(ctx.db, userId))?.name ?? 'Your mechanic';
}

const sessionData = (loaded: SessionWithParticipants) => ({
  session: toSessionDto(loaded.session, loaded.participants),
});

async function planSessionEvent(ctx: Ctx, eventId: number): Promise<Plan> {
  const plan: Plan = { emails: [], notifications: [], webhooks: [] };
  const event = await findEvent(ctx.db, eventId);
  const loaded = event && (await loadSession(ctx.db, event.sessionId));
  if (!event || !loaded) return plan;
  const { session } = loaded;
  const vehicle = vehicleOf(session);
  const key = `session_event:${event.id}`;
  switch (event.type) {
    case 'session.created': {
      plan.webhooks.push({ type: 'session.created', key, data: sessionData(loaded) });
      await planRequestAlerts(ctx, session, plan);
      break;
    }
    case 'session.accepted': {
      const name = await mechanicName(ctx, session.mechanicId);
      plan.emails.push({
        kind: 'request_accepted',
        userId: session.customerId,
        about: `${session.id}:${event.id}`,
        data: { sessionId: session.id, mechanicName: name, vehicle },
      });
      plan.notifications.push({
        key: `${key}:${session.customerId}`,
        userId: session.customerId,
        kind: 'request_accepted',
        title: `${name} accepted your request`,
        body: `Join the session about your ${vehicle}: your mechanic is waiting.`,
        link: `/sessions/${session.id}`,
      });
      plan.webhooks.push({ type: 'session.accepted', key, data: sessionData(loaded) });
      break;
    }
    case 'session.started':
      plan.webhooks.push({ type: 'session.live', key, data: sessionData(loaded) });
      break;
    case 'session.ended': {
      plan.webhooks.push({ type: 'session.ended', key, data: sessionData(loaded) });
      if (session.status === 'no_show' && session.noShowParty === 'mechanic') {
        plan.emails.push({
          kind: 'mechanic_no_show',
          userId: session.customerId,
          about: session.id,
          data: { sessionId: session.id, vehicle },
        });
        plan.notifications.push({
          key: `${key}:${session.customerId}`,
          userId: session.customerId,
          kind: 'mechanic_no_show',
          title: 'Your mechanic did not join',
          body: 'Nothing was charged. You can ask for help again.',
          link: `/sessions/${session.id}`,
        });
      }
      // A free session has no settlement to send its summary: it goes now.
      if (session.status === 'completed' && !(await findPlan(ctx.db, session.plan))?.priceCents) {
        plan.emails.push({
          kind: 'session_receipt',
          userId: session.customerId,
          about: session.id,
          data: { sessionId: session.id, vehicle, outcome: 'free', chargedCents: 0, currency: 'USD', card: null },
        });
      }
      break;
    }
    case 'report.submitted': {
      const name = await mechanicName(ctx, session.mechanicId);
      const unsafeToDrive = event.payload.severity === 'unsafe_to_drive';
      plan.emails.push({
        kind: 'report_ready',
        userId: session.customerId,
        about: session.id,
        data: { sessionId: session.id, vehicle, mechanicName: name, unsafeToDrive },
        attachReportOf: session.id,
      });
      plan.notifications.push({
        key: `${key}:${session.customerId}`,
        userId: session.customerId,
        kind: 'report_ready',
        title: unsafeToDrive ? 'Your report is ready — unsafe to drive' : 'Your report is ready',
        body: `${name} wrote up what they found about your ${vehicle}.`,
        link: `/sessions/${session.id}`,
      });
      plan.webhooks.push({ type: 'report.submitted', key, data: sessionData(loaded) });
      break;
    }
  }
  return plan;
}

/**
 * "A new request matches you": opted-in mechanics who are off shift and would be eligible for it
 * if they were on (the same rules as the queue), at most one email per mechanic per 15 minutes.
 */
const ALERT_INTERVAL_MS = 15 * 60_000;

async function planRequestAlerts(ctx: Ctx, session: SessionRow, plan: Plan) {
  const planRow = await findPlan(ctx.db, session.plan);
  if (!planRow) return;
  const now = ctx.clock.now();
  const offer = {
    requiredTier: planRow.requiredTier,
    workshopId: session.workshopId,
    preferredMechanicId: session.preferredMechanicId,
    requestedAt: session.requestedAt,
    releasedByMechanic: false,
  };
  const candidates = (await listOffShiftAlertees(ctx.db)).filter(({ mechanic }) => {
    const onShift = { ...mechanic, onShift: true };
    return (
      mechanicBlock({ role: 'mechanic', mechanic: onShift, hasActiveSession: false }) === null &&
      offerBlock(mechanic.userId, onShift, offer, now, ctx.windows.exclusiveSeconds) === null
    );
  });
  const alerts: EmailJob[] = candidates.map(({ mechanic }) => ({
    kind: 'new_request',
    userId: mechanic.userId,
    about: session.id,
    data: {
      sessionId: session.id,
      vehicle: vehicleOf(session),
      concern: session.concern,
      planName: planRow.name,
      urgent: session.urgent,
    },
  }));
  // The throttle is claimed in the same transaction as the emails are enqueued.
  plan.inTransaction = async (tx, at, p) => {
    for (const alert of alerts)
      if (await claimAlert(tx, alert.userId!, 'new_request', at, ALERT_INTERVAL_MS)) p.emails.push(alert);
  };
}

async function planPaymentSettled(ctx: Ctx, paymentId: string): Promise<Plan> {
  const plan: Plan = { emails: [], notifications: [], webhooks: [] };
  const payment = await findPayment(ctx.db, paymentId);
  const loaded = payment?.sessionId ? await loadSession(ctx.db, payment.sessionId) : undefined;
  if (!payment || !loaded) return plan;
  const { session } = loaded;
  const card = cardOf(payment);
  const base = { sessionId: session.id, vehicle: vehicleOf(session), currency: payment.currency, card };
  if (payment.capturedCents > 0) {
    plan.emails.push({
      kind: 'session_receipt',
      userId: session.customerId,
      about: session.id,
      data: {
        ...base,
        outcome: session.status === 'no_show' ? 'no_show_fee' : 'charged',
        chargedCents: payment.capturedCents,
      },
    });
    plan.webhooks.push({
      type: 'payment.captured',
      key: `payment_captured:${payment.id}`,
      data: {
        paymentId: payment.id,
        sessionId: session.id,
        capturedCents: payment.capturedCents,
        currency: payment.currency,
      },
    });
  } else if (session.status === 'expired') {
    // Nobody took the request and the customer may have closed the tab: tell them the hold is gone.
    plan.emails.push({
      kind: 'session_receipt',
      userId: session.customerId,
      about: session.id,
      data: { ...base, outcome: 'released', chargedCents: 0 },
    });
    plan.notifications.push({
      key: `payment_settled:${payment.id}:${session.customerId}`,
      userId: session.customerId,
      kind: 'session_expired',
      title: 'No mechanic was free in time',
      body: 'The hold on your card is released; nothing was charged.',
      link: `/sessions/${session.id}`,
    });
  }
  return plan;
}

async function planRefund(ctx: Ctx, refundId: string): Promise<Plan> {
  const plan: Plan = { emails: [], notifications: [], webhooks: [] };
  const refund = await findRefund(ctx.db, refundId);
  const payment = refund && (await findPayment(ctx.db, refund.paymentId));
  const loaded = payment?.sessionId ? await loadSession(ctx.db, payment.sessionId) : undefined;
  if (!refund || !payment || !loaded) return plan;
  const { session } = loaded;
  const card = cardOf(payment);
  plan.emails.push({
    kind: 'refund_issued',
    userId: session.customerId,
    about: refund.id,
    data: {
      sessionId: session.id,
      vehicle: vehicleOf(session),
      amountCents: refund.amountCents,
      currency: payment.currency,
      card,
    },
  });
  plan.notifications.push({
    key: `refund:${refund.id}:${session.customerId}`,
    userId: session.customerId,
    kind: 'refund_issued',
    title: 'Refund issued',
    body: `We refunded ${formatMoney(refund.amountCents, payment.currency)}.`,
    link: `/sessions/${session.id}`,
  });
  plan.webhooks.push({
    type: 'payment.refunded',
    key: `refund:${refund.id}`,
    data: {
      paymentId: payment.id,
      sessionId: session.id,
      refundId: refund.id,
      amountCents: refund.amountCents,
      refundedCents: payment.refundedCents,
      currency: payment.currency,
    },
  });
  return plan;
}

function planApplication(cause: Extract<Cause, { type: 'application' }>): Plan {
  const titles = {
    received: 'We received your application',
    approved: 'You are approved to take sessions',
    declined: 'Your application was not approved',
    suspended: 'Your mechanic account is suspended',
  };
  return {
    emails: [
      {
        kind: 'application_update',
        userId: cause.userId,
        about: `${cause.status}:${cause.at}`,
        data: { status: cause.status, reason: cause.reason ?? null },
      },
    ],
    notifications: [
      {
        key: `application:${cause.userId}:${cause.status}:${cause.at}`,
        userId: cause.userId,
        kind: 'application_update',
        title: titles[cause.status],
        body:
          cause.status === 'approved'
            ? 'Switch on shift to start receiving requests.'
            : cause.status === 'received'
              ? 'Our team reviews every application.'
              : cause.reason || 'You cannot take sessions for now.',
        link: '/app',
      },
    ],
    webhooks: [],
  };
}

/** A mechanic came on shift: each waiting customer they can serve hears of it once (§4). */
async function planOnShift(ctx: Ctx, userId: string): Promise<Plan> {
  const plan: Plan = { emails: [], notifications: [], webhooks: [] };
  const mechanic = await findMechanic(ctx.db, userId);
  if (!mechanic || mechanicBlock({ role: 'mechanic', mechanic, hasActiveSession: false }) !== null) return plan;
  plan.inTransaction = async (tx, now, p) => {
    for (const entry of await takeWaiting(tx, mechanic.serviceTier, now)) {
      const planName = (await findPlan(tx, entry.plan))?.name ?? entry.plan;
      p.emails.push({
        kind: 'mechanic_available',
        userId: entry.customerId,
        about: entry.id,
        data: { planName, vehicle: entry.vehicleSummary },
      });
      p.notifications.push({
        key: `waitlist:${entry.id}:${entry.createdAt.toISOString()}`,
        userId: entry.customerId,
        kind: 'mechanic_available',
        title: 'A mechanic is available now',
        body: `Ask for ${planName} help with your ${entry.vehicleSummary}.`,
        link: '/request',
      });
    }
  };
  return plan;
}

async function planPayout(ctx: Ctx, payoutId: string): Promise<Plan> {
  const payout = await findPayout(ctx.db, payoutId);
  if (!payout || payout.status !== 'paid') return { emails: [], notifications: [], webhooks: [] };
  const fmt = (d: Date) => d.toLocaleDateString('en-US', { month: 'short', day: 'numeric', timeZone: 'UTC' });
  const lastDay = new Date(payout.periodEnd.getTime() - 1);
  return {
    emails: [
      {
        kind: 'weekly_statement',
        userId: payout.mechanicId,
        about: payout.id,
        data: {
          period: `${fmt(payout.periodStart)} – ${fmt(lastDay)}`,
          paidCents: payout.amountCents,
          currency: payout.currency,
        },
      },
    ],
    notifications: [],
    webhooks: [],
  };
}

function planFor(ctx: Ctx, cause: Cause): Promise<Plan> | Plan {
  switch (cause.type) {
    case 'session_event':
      return planSessionEvent(ctx, cause.eventId);
    case 'payment_settled':
      return planPaymentSettled(ctx, cause.paymentId);
    case 'refund_succeeded':
      return planRefund(ctx, cause.refundId);
    case 'application':
      return planApplication(cause);
    case 'on_shift':
      return planOnShift(ctx, cause.userId);
    case 'payout_paid':
      return planPayout(ctx, cause.payoutId);
  }
}

export const notifyHandler: JobHandler = {
  kind: 'notify',
  async run(ctx, job) {
    const plan = await planFor(ctx, job.payload as unknown as Cause);
    const now = ctx.clock.now();
    const written: NotificationRow[] = [];
    await ctx.db.transaction(async (tx) => {
      await plan.inTransaction?.(tx, now, plan);
      for (const email of plan.emails) await enqueueEmail(tx, now, email);
      for (const n of plan.notifications) {
        const row = await insertNotification(tx, n, now);
        if (row) written.push(row);
      }
      for (const hook of plan.webhooks) await enqueueWebhookEvent(tx, now, hook);
    });
    // The bell of each recipient's open pages lights up (after commit: they read the row).
    for (const row of written) ctx.bus.publish({ kind: 'notification', userId: row.userId, notificationId: row.id });
  },
};
