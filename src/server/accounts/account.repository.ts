import { eq, inArray, sql } from 'drizzle-orm';
import type { Executor } from '../db/client.js';
import { authAccounts, users, type Role, type UserRow } from '../db/schema.js';

/** The only module with SQL about user accounts (the auth library's tables, read and role changes). */

export async function findUserById(ex: Executor, id: string): Promise<UserRow | undefined> {
  const [row] = await ex.select().from(users).where(eq(users.id, id));
  return row;
}

export async function findUsersByIds(ex: Executor, ids: string[]): Promise<Map<string, UserRow>> {
  if (ids.length === 0) return new Map();
  const rows = await ex.select().from(users).where(inArray(users.id, ids));
  return new Map(rows.map((r) => [r.id, r]));
}

export async function findUserByEmail(ex: Executor, email: string): Promise<UserRow | undefined> {
  const [row] = await ex
    .select()
    .from(users)
    .where(sql`lower(${users.email}) = lower(${email})`);
  return row;
}

/** Whether the user has any way to sign in (a password or another provider). */
export async function hasSignInMethod(ex: Executor, userId: string): Promise<boolean> {
  const rows = await ex
    .select({ id: authAccounts.id })
    .from(authAccounts)
    .where(eq(authAccounts.userId, userId))
    .limit(1);
  return rows.length > 0;
}

/** Sets the role; `from` makes it a compare-and-set (undefined when the role was not `from`). */
export async function setRole(ex: Executor, userId: string, role: Role, now: Date, from?: Role) {
  const [row] = await ex
    .update(users)
    .set({ role, updatedAt: now })
    .where(from ? sql`${users.id} = ${userId} AND ${users.role} = ${from}` : eq(users.id, userId))
    .returning({ id: users.id });
  return row;
}
