import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { Executor } from '../db/client.js';
import { authAccounts, mechanics, users, type MechanicRow, type Role, type UserRow } from '../db/schema.js';

/** The only module with SQL about user accounts (the auth library's tables: reads, search, names and roles). */

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

/** Renames the account (the name its owner and the console see); undefined when there is no such user. */
export async function setName(ex: Executor, userId: string, name: string, now: Date): Promise<UserRow | undefined> {
  const [row] = await ex.update(users).set({ name, updatedAt: now }).where(eq(users.id, userId)).returning();
  return row;
}

/** `text` escaped for LIKE: its `\`, `%` and `_` match themselves, not any character. */
export const escapeLike = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

export type UserMatch = {
  user: UserRow;
  displayName: MechanicRow['displayName'] | null;
  approvalStatus: MechanicRow['approvalStatus'] | null;
};

/**
 * Accounts whose name, email or mechanic display name contains `text` (any case), those that start
 * with it first. The text is a literal, never a pattern: `%` finds a percent sign.
 */
export async function searchUsers(
  ex: Executor,
  text: string,
  options: { role?: Role; limit: number },
): Promise<UserMatch[]> {
  const anywhere = `%${escapeLike(text)}%`;
  const start = `${escapeLike(text)}%`;
  const matches = (pattern: string) =>
    // coalesce: a customer has no display name, and NULL would sort before every match.
    sql`(${users.name} ILIKE ${pattern} ESCAPE '\\' OR ${users.email} ILIKE ${pattern} ESCAPE '\\' OR coalesce(${mechanics.displayName}, '') ILIKE ${pattern} ESCAPE '\\')`;
  return ex
    .select({ user: users, displayName: mechanics.displayName, approvalStatus: mechanics.approvalStatus })
    .from(users)
    .leftJoin(mechanics, eq(mechanics.userId, users.id))
    .where(and(matches(anywhere), options.role ? eq(users.role, options.role) : undefined))
    .orderBy(sql`${matches(start)} DESC`, asc(sql`lower(${users.name})`), asc(users.email))
    .limit(options.limit);
}
