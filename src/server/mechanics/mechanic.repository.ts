import { and, count, eq, sql } from 'drizzle-orm';
import type { Executor } from '../db/client.js';
import { mechanics, users, workshops, type MechanicRow } from '../db/schema.js';

export async function findMechanic(ex: Executor, userId: string): Promise<MechanicRow | undefined> {
  const [row] = await ex.select().from(mechanics).where(eq(mechanics.userId, userId));
  return row;
}

/**
 * The mechanic row, locked until the transaction ends: `share` by a mechanic acting in a session,
 * `update` by an admin changing their standing — so the two are ordered, never interleaved.
 */
export async function lockMechanic(ex: Executor, userId: string, mode: 'share' | 'update') {
  const [row] = await ex.select().from(mechanics).where(eq(mechanics.userId, userId)).for(mode);
  return row;
}

export async function findUserById(ex: Executor, id: string) {
  const [row] = await ex.select().from(users).where(eq(users.id, id));
  return row;
}

export async function findUserByEmail(ex: Executor, email: string) {
  const [row] = await ex
    .select()
    .from(users)
    .where(sql`lower(${users.email}) = lower(${email})`);
  return row;
}

export async function findWorkshop(ex: Executor, id: string) {
  const [row] = await ex.select().from(workshops).where(eq(workshops.id, id));
  return row;
}

export async function countOnShift(ex: Executor): Promise<number> {
  const [row] = await ex
    .select({ n: count() })
    .from(mechanics)
    .innerJoin(users, eq(users.id, mechanics.userId))
    .where(
      and(
        eq(mechanics.onShift, true),
        eq(mechanics.approvalStatus, 'approved'),
        eq(mechanics.canAcceptSessions, true),
        eq(users.banned, false),
      ),
    );
  return row?.n ?? 0;
}
