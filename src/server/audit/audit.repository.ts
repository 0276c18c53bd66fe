import { desc, lt } from 'drizzle-orm';
import type { Executor } from '../db/client.js';
import { adminActions } from '../db/schema.js';

export type AdminActionInput = {
  adminId: string | null;
  action: string;
  targetType: 'session' | 'mechanic' | 'workshop' | 'user' | 'job' | 'payment' | 'payout' | 'webhook';
  targetId: string;
  reason: string;
  before: unknown;
  after: unknown;
  at: Date;
};

/** Every admin write records who, what, why and the before/after, in the same transaction. */
export async function recordAdminAction(ex: Executor, input: AdminActionInput): Promise<void> {
  await ex.insert(adminActions).values({
    adminId: input.adminId,
    action: input.action,
    targetType: input.targetType,
    targetId: input.targetId,
    reason: input.reason,
    before: input.before ?? null,
    after: input.after ?? null,
    createdAt: input.at,
  });
}

export async function listAdminActions(ex: Executor, limit: number, beforeId?: number) {
  return ex
    .select()
    .from(adminActions)
    .where(beforeId ? lt(adminActions.id, beforeId) : undefined)
    .orderBy(desc(adminActions.id))
    .limit(limit);
}
