import { searchUsers } from '../accounts/account.repository.js';
import type { Ctx } from '../context.js';
import type { Role } from '../db/schema.js';
import { toUserSearchItem } from './admin.dto.js';

/** A search box answers a screenful: more than this and the admin types more. */
const SHOWN = 20;

/**
 * The console's people search: customers, mechanics (and admins) whose name, email or mechanic
 * display name contains the text, so nobody needs the exact email any more. One row more than is
 * shown tells whether the list was cut.
 */
export async function findUsers(ctx: Ctx, query: { q: string; role?: Role }) {
  const rows = await searchUsers(ctx.db, query.q, { role: query.role, limit: SHOWN + 1 });
  return { items: rows.slice(0, SHOWN).map(toUserSearchItem), hasMore: rows.length > SHOWN };
}
