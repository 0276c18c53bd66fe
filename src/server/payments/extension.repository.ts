import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Executor } from '../db/client.js';
import { sessionExtensions, type ExtensionRow } from '../db/schema.js';

/** The only module with SQL about session extensions. */

export async function insertExtension(
  ex: Executor,
  row: Pick<ExtensionRow, 'sessionId' | 'paymentId' | 'blocks' | 'minutes' | 'amountCents' | 'currency'> & {
    createdAt: Date;
  },
): Promise<ExtensionRow> {
  const [inserted] = await ex
    .insert(sessionExtensions)
    .values({ ...row, status: 'charging', updatedAt: row.createdAt })
    .returning();
  return inserted!;
}

export async function findExtension(ex: Executor, id: string): Promise<ExtensionRow | undefined> {
  const [row] = await ex.select().from(sessionExtensions).where(eq(sessionExtensions.id, id));
  return row;
}

export async function listExtensions(ex: Executor, sessionId: string): Promise<ExtensionRow[]> {
  return ex
    .select()
    .from(sessionExtensions)
    .where(eq(sessionExtensions.sessionId, sessionId))
    .orderBy(sessionExtensions.createdAt);
}

/** Compare-and-set from `charging`: the inline attempt and the job settle an extension once. */
export async function finishExtension(
  ex: Executor,
  id: string,
  change: Partial<Pick<ExtensionRow, 'status' | 'providerRef' | 'failureCode' | 'declineCode'>>,
  now: Date,
): Promise<ExtensionRow | undefined> {
  const [row] = await ex
    .update(sessionExtensions)
    .set({ ...change, updatedAt: now })
    .where(and(eq(sessionExtensions.id, id), eq(sessionExtensions.status, 'charging')))
    .returning();
  return row;
}

/** What the applied extensions of each session charged. */
export async function extensionTotals(ex: Executor, sessionIds: string[]): Promise<Map<string, number>> {
  if (sessionIds.length === 0) return new Map();
  const rows = await ex
    .select({ sessionId: sessionExtensions.sessionId, cents: sql<number>`sum(${sessionExtensions.amountCents})::int` })
    .from(sessionExtensions)
    .where(and(inArray(sessionExtensions.sessionId, sessionIds), eq(sessionExtensions.status, 'succeeded')))
    .groupBy(sessionExtensions.sessionId);
  return new Map(rows.map((r) => [r.sessionId, r.cents]));
}

/**
 * The payment an extension's own charge belongs to: `provider_ref` is the off-session charge's id
 * (a PaymentIntent of its own, not the hold's), so events about it — a dispute — find their payment.
 */
export async function findPaymentIdByExtensionCharge(ex: Executor, providerRef: string): Promise<string | undefined> {
  const [row] = await ex
    .select({ paymentId: sessionExtensions.paymentId })
    .from(sessionExtensions)
    .where(eq(sessionExtensions.providerRef, providerRef));
  return row?.paymentId;
}
