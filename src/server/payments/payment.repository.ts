import { and, desc, eq, inArray, lt, sql, type SQL } from 'drizzle-orm';
import type { PaymentStatus } from '../../shared/domain.js';
import type { Executor } from '../db/client.js';
import { paymentCustomers, payments, plans, providerEvents, sessions, users, type PaymentRow } from '../db/schema.js';
import { escapeLike } from '../accounts/account.repository.js';

/** The only module with SQL about payments, provider customers and provider events. */

export type NewPayment = Pick<PaymentRow, 'customerId' | 'plan' | 'amountCents' | 'currency' | 'provider'> & {
  createdAt: Date;
};

export async function insertPayment(ex: Executor, values: NewPayment): Promise<PaymentRow> {
  const [row] = await ex
    .insert(payments)
    .values({ ...values, status: 'requires_payment_method', updatedAt: values.createdAt })
    .returning();
  return row!;
}

export async function findPayment(ex: Executor, id: string): Promise<PaymentRow | undefined> {
  const [row] = await ex.select().from(payments).where(eq(payments.id, id));
  return row;
}

/** The payment, locked until the transaction ends (attach, settle and webhooks are ordered by it). */
export async function findPaymentsByIds(ex: Executor, ids: string[]): Promise<Map<string, PaymentRow>> {
  if (ids.length === 0) return new Map();
  const rows = await ex.select().from(payments).where(inArray(payments.id, ids));
  return new Map(rows.map((r) => [r.id, r]));
}

export async function lockPayment(ex: Executor, id: string): Promise<PaymentRow | undefined> {
  const [row] = await ex.select().from(payments).where(eq(payments.id, id)).for('update');
  return row;
}

export async function findPaymentBySession(ex: Executor, sessionId: string): Promise<PaymentRow | undefined> {
  const [row] = await ex.select().from(payments).where(eq(payments.sessionId, sessionId));
  return row;
}

/** The payments of these sessions, by session id (a session has at most one). */
export async function findPaymentsBySessions(ex: Executor, sessionIds: string[]): Promise<Map<string, PaymentRow>> {
  if (sessionIds.length === 0) return new Map();
  const rows = await ex.select().from(payments).where(inArray(payments.sessionId, sessionIds));
  return new Map(rows.map((r) => [r.sessionId!, r]));
}

export async function lockPaymentByProviderRef(ex: Executor, provider: PaymentRow['provider'], ref: string) {
  const [row] = await ex
    .select()
    .from(payments)
    .where(and(eq(payments.provider, provider), eq(payments.providerRef, ref)))
    .for('update');
  return row;
}

export type PaymentChange = Partial<
  Pick<
    PaymentRow,
    | 'status'
    | 'providerRef'
    | 'clientSecret'
    | 'cardBrand'
    | 'cardLast4'
    | 'sessionId'
    | 'capturedCents'
    | 'refundedCents'
    | 'failureCode'
    | 'declineCode'
    | 'authorizedAt'
    | 'settledAt'
  >
>;

/**
 * Compare-and-set: changes the payment only while its status is one of `from`. Returns the row as
 * written, or undefined when someone else moved it first (a webhook, another process's job).
 */
export async function updatePayment(
  ex: Executor,
  id: string,
  from: readonly PaymentStatus[],
  change: PaymentChange,
  now: Date,
): Promise<PaymentRow | undefined> {
  const [row] = await ex
    .update(payments)
    .set({ ...change, updatedAt: now })
    .where(and(eq(payments.id, id), inArray(payments.status, [...from])))
    .returning();
  return row;
}

export async function findProviderCustomer(ex: Executor, userId: string, provider: PaymentRow['provider']) {
  const [row] = await ex
    .select({ ref: paymentCustomers.ref })
    .from(paymentCustomers)
    .where(and(eq(paymentCustomers.userId, userId), eq(paymentCustomers.provider, provider)));
  return row?.ref;
}

export async function saveProviderCustomer(
  ex: Executor,
  userId: string,
  provider: PaymentRow['provider'],
  ref: string,
) {
  await ex.insert(paymentCustomers).values({ userId, provider, ref }).onConflictDoNothing();
}

/** Records a provider event; false when it was applied before (its id is the key). */
export async function recordProviderEvent(
  ex: Executor,
  event: {
    id: string;
    provider: PaymentRow['provider'];
    type: string;
    paymentId: string | null;
    outcome: string;
    payload: unknown;
  },
): Promise<boolean> {
  const rows = await ex
    .insert(providerEvents)
    .values({ ...event, payload: event.payload as object })
    .onConflictDoNothing()
    .returning({ id: providerEvents.id });
  return rows.length > 0;
}

export async function listProviderEvents(ex: Executor, paymentId: string) {
  return ex
    .select()
    .from(providerEvents)
    .where(eq(providerEvents.paymentId, paymentId))
    .orderBy(providerEvents.receivedAt);
}

/** Authorised payments still attached to no session, authorised before `before` (the void job's check). */
export async function isUnattachedAuthorization(ex: Executor, paymentId: string): Promise<boolean> {
  const [row] = await ex
    .select({ id: payments.id })
    .from(payments)
    .where(and(eq(payments.id, paymentId), eq(payments.status, 'authorized'), sql`${payments.sessionId} IS NULL`));
  return Boolean(row);
}

/** A customer's payments that reached a session, newest first, with the session and plan. */
export async function listCustomerPayments(ex: Executor, customerId: string, limit: number) {
  return ex
    .select({ payment: payments, session: sessions, planName: plans.name })
    .from(payments)
    .innerJoin(sessions, eq(sessions.id, payments.sessionId))
    .innerJoin(plans, eq(plans.slug, payments.plan))
    .where(eq(payments.customerId, customerId))
    .orderBy(desc(payments.createdAt))
    .limit(limit);
}

export type PaymentFilter = {
  statuses?: readonly PaymentStatus[];
  customerEmail?: string;
  mechanicId?: string;
  from?: Date;
  to?: Date;
  before?: Date;
  limit: number;
};

/** The admin's list: filterable by status, date, customer (email, partial) and mechanic. */
export async function listPayments(ex: Executor, filter: PaymentFilter) {
  const conditions: (SQL | undefined)[] = [
    filter.statuses ? inArray(payments.status, [...filter.statuses]) : undefined,
    filter.customerEmail ? sql`${users.email} ILIKE ${`%${escapeLike(filter.customerEmail)}%`}` : undefined,
    filter.mechanicId ? eq(sessions.mechanicId, filter.mechanicId) : undefined,
    filter.from ? sql`${payments.createdAt} >= ${filter.from.toISOString()}::timestamptz` : undefined,
    filter.to ? sql`${payments.createdAt} < ${filter.to.toISOString()}::timestamptz` : undefined,
    filter.before ? lt(payments.createdAt, filter.before) : undefined,
  ];
  return ex
    .select({
      payment: payments,
      customerEmail: users.email,
      mechanicId: sessions.mechanicId,
      sessionStatus: sessions.status,
    })
    .from(payments)
    .innerJoin(users, eq(users.id, payments.customerId))
    .leftJoin(sessions, eq(sessions.id, payments.sessionId))
    .where(and(...conditions))
    .orderBy(desc(payments.createdAt))
    .limit(filter.limit);
}

export async function setProviderEventOutcome(ex: Executor, id: string, outcome: string): Promise<void> {
  await ex.update(providerEvents).set({ outcome }).where(eq(providerEvents.id, id));
}

/** Adds a charge made for the session (a paid extension) to the payment's total charged. */
export async function addCharged(ex: Executor, id: string, cents: number, now: Date): Promise<void> {
  await ex
    .update(payments)
    .set({ capturedCents: sql`${payments.capturedCents} + ${cents}`, updatedAt: now })
    .where(eq(payments.id, id));
}
