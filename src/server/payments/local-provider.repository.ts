import { eq } from 'drizzle-orm';
import type { Executor } from '../db/client.js';
import { localIdempotency, localIntents, type LocalIntentRow } from '../db/schema.js';

/** The local provider's own books; only local-provider.ts uses this. */

export async function findLocalIntent(ex: Executor, id: string, lock = false): Promise<LocalIntentRow | undefined> {
  const query = ex.select().from(localIntents).where(eq(localIntents.id, id));
  const [row] = lock ? await query.for('update') : await query;
  return row;
}

export async function insertLocalIntent(
  ex: Executor,
  row: Pick<LocalIntentRow, 'id' | 'amountCents' | 'currency' | 'status' | 'metadata'>,
): Promise<LocalIntentRow> {
  const [inserted] = await ex.insert(localIntents).values(row).returning();
  return inserted!;
}

export async function updateLocalIntent(
  ex: Executor,
  id: string,
  change: Partial<Omit<LocalIntentRow, 'id' | 'createdAt'>>,
  now: Date,
): Promise<LocalIntentRow> {
  const [row] = await ex
    .update(localIntents)
    .set({ ...change, updatedAt: now })
    .where(eq(localIntents.id, id))
    .returning();
  return row!;
}

export type StoredAnswer = { operation: string; requestHash: string; response: unknown };

export async function findIdempotencyKey(ex: Executor, key: string): Promise<StoredAnswer | undefined> {
  const [row] = await ex.select().from(localIdempotency).where(eq(localIdempotency.key, key));
  return row ? { operation: row.operation, requestHash: row.requestHash, response: row.response } : undefined;
}

export async function storeIdempotencyKey(ex: Executor, key: string, answer: StoredAnswer): Promise<void> {
  await ex.insert(localIdempotency).values({ key, ...answer, response: answer.response as object });
}
