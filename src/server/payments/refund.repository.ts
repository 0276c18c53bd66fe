import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import { queryRows, type Executor } from '../db/client.js';
import {
  disputes,
  ledgerEntries,
  ledgerTransactions,
  refundRequests,
  refunds,
  type DisputeRow,
  type RefundRequestRow,
  type RefundRow,
} from '../db/schema.js';

/** The only module with SQL about refunds, refund requests and disputes. */

export async function findRefundByKey(ex: Executor, paymentId: string, key: string) {
  const [row] = await ex
    .select()
    .from(refunds)
    .where(and(eq(refunds.paymentId, paymentId), eq(refunds.idempotencyKey, key)));
  return row;
}

export async function findRefund(ex: Executor, id: string): Promise<RefundRow | undefined> {
  const [row] = await ex.select().from(refunds).where(eq(refunds.id, id));
  return row;
}

export async function insertRefund(
  ex: Executor,
  row: Pick<
    RefundRow,
    | 'paymentId'
    | 'amountCents'
    | 'currency'
    | 'reason'
    | 'idempotencyKey'
    | 'requestHash'
    | 'adminId'
    | 'refundRequestId'
  > & {
    createdAt: Date;
  },
): Promise<RefundRow> {
  const [inserted] = await ex
    .insert(refunds)
    .values({ ...row, status: 'pending', updatedAt: row.createdAt })
    .returning();
  return inserted!;
}

/** Refunds of a payment that count against what it captured: done, and in flight. */
export async function refundsOf(ex: Executor, paymentId: string): Promise<RefundRow[]> {
  return ex.select().from(refunds).where(eq(refunds.paymentId, paymentId)).orderBy(refunds.createdAt);
}

export async function finishRefund(
  ex: Executor,
  id: string,
  change: Partial<Pick<RefundRow, 'status' | 'providerRefs' | 'failure'>>,
  now: Date,
): Promise<RefundRow | undefined> {
  const [row] = await ex
    .update(refunds)
    .set({ ...change, updatedAt: now })
    .where(and(eq(refunds.id, id), eq(refunds.status, 'pending')))
    .returning();
  return row;
}

/** What the ledger credited (negative: owed) to one account for one payment, by transaction kind. */
export async function bookedFor(ex: Executor, paymentId: string, account: string): Promise<Map<string, number>> {
  const rows = await queryRows<{ kind: string; total: string | number }>(
    ex,
    sql`SELECT t.kind, sum(e.amount_cents) AS total FROM ${ledgerTransactions} t
        JOIN ${ledgerEntries} e ON e.transaction_id = t.id
        WHERE t.payment_id = ${paymentId}::uuid AND e.account = ${account} GROUP BY t.kind`,
  );
  return new Map(rows.map((r) => [r.kind, Number(r.total)]));
}

export async function insertRefundRequest(
  ex: Executor,
  row: Pick<RefundRequestRow, 'sessionId' | 'paymentId' | 'customerId' | 'reason'> & { createdAt: Date },
): Promise<RefundRequestRow | undefined> {
  const [inserted] = await ex
    .insert(refundRequests)
    .values({ ...row, status: 'pending' })
    .onConflictDoNothing()
    .returning();
  return inserted;
}

export async function findRefundRequest(ex: Executor, id: string, lock = false): Promise<RefundRequestRow | undefined> {
  const query = ex.select().from(refundRequests).where(eq(refundRequests.id, id));
  const [row] = lock ? await query.for('update') : await query;
  return row;
}

export async function findRefundRequestOfSession(
  ex: Executor,
  sessionId: string,
): Promise<RefundRequestRow | undefined> {
  const [row] = await ex.select().from(refundRequests).where(eq(refundRequests.sessionId, sessionId));
  return row;
}

export async function decideRefundRequest(
  ex: Executor,
  id: string,
  change: Pick<RefundRequestRow, 'status' | 'decidedBy' | 'decisionNote' | 'refundId' | 'decidedAt'>,
): Promise<RefundRequestRow | undefined> {
  const [row] = await ex
    .update(refundRequests)
    .set(change)
    .where(and(eq(refundRequests.id, id), eq(refundRequests.status, 'pending')))
    .returning();
  return row;
}

export async function listRefundRequests(ex: Executor, statuses: RefundRequestRow['status'][], limit: number) {
  return ex
    .select()
    .from(refundRequests)
    .where(inArray(refundRequests.status, statuses))
    .orderBy(desc(refundRequests.createdAt))
    .limit(limit);
}

export async function upsertDispute(
  ex: Executor,
  row: Pick<DisputeRow, 'paymentId' | 'providerRef' | 'amountCents' | 'reason' | 'status' | 'openedAt'>,
): Promise<DisputeRow> {
  const [inserted] = await ex
    .insert(disputes)
    .values(row)
    .onConflictDoNothing({ target: disputes.providerRef })
    .returning();
  if (inserted) return inserted;
  const [existing] = await ex.select().from(disputes).where(eq(disputes.providerRef, row.providerRef));
  return existing!;
}

export async function closeDispute(ex: Executor, providerRef: string, status: 'won' | 'lost', now: Date) {
  const [row] = await ex
    .update(disputes)
    .set({ status, closedAt: now })
    .where(and(eq(disputes.providerRef, providerRef), eq(disputes.status, 'open')))
    .returning();
  return row;
}

export async function disputesOf(ex: Executor, paymentId: string): Promise<DisputeRow[]> {
  return ex.select().from(disputes).where(eq(disputes.paymentId, paymentId)).orderBy(disputes.openedAt);
}

export async function listDisputes(ex: Executor, limit: number): Promise<DisputeRow[]> {
  return ex.select().from(disputes).orderBy(desc(disputes.openedAt)).limit(limit);
}

/** The latest dispute's status per payment (the `dispute` flag of the Payment object). */
export async function disputeStatuses(ex: Executor, paymentIds: string[]): Promise<Map<string, DisputeRow['status']>> {
  if (paymentIds.length === 0) return new Map();
  const rows = await ex
    .select({ paymentId: disputes.paymentId, status: disputes.status })
    .from(disputes)
    .where(inArray(disputes.paymentId, paymentIds))
    .orderBy(disputes.openedAt);
  return new Map(rows.map((r) => [r.paymentId, r.status]));
}

export async function disputeStatusOf(ex: Executor, paymentId: string): Promise<DisputeRow['status'] | null> {
  return (await disputeStatuses(ex, [paymentId])).get(paymentId) ?? null;
}

/** Refund requests of many sessions at once (the receipts page). */
export async function refundRequestsOfSessions(
  ex: Executor,
  sessionIds: string[],
): Promise<Map<string, RefundRequestRow>> {
  if (sessionIds.length === 0) return new Map();
  const rows = await ex.select().from(refundRequests).where(inArray(refundRequests.sessionId, sessionIds));
  return new Map(rows.map((r) => [r.sessionId, r]));
}
