import { findUsersByIds } from '../accounts/account.repository.js';
import { findPlansBySlugs } from '../catalogue/catalogue.repository.js';
import type { Ctx } from '../context.js';
import { findPaymentsBySessions } from '../payments/payment.repository.js';
import { listSessionsPage } from '../sessions/list-sessions.js';
import type { ListFilter } from '../sessions/session.repository.js';
import { toAdminSessionItem } from './admin.dto.js';

/**
 * The console's session list: the same page every role's list reads, with who asked, who helped
 * and what it cost — three batched reads for the whole page, never one per row.
 */
export async function listAdminSessions(
  ctx: Ctx,
  filter: Omit<ListFilter, 'limit' | 'cursor'>,
  limit: number,
  cursor: string | undefined,
) {
  const page = await listSessionsPage(ctx, filter, limit, cursor);
  const people = new Set(page.items.flatMap((s) => (s.mechanicId ? [s.customerId, s.mechanicId] : [s.customerId])));
  const [users, payments, plans] = await Promise.all([
    findUsersByIds(ctx.db, [...people]),
    findPaymentsBySessions(
      ctx.db,
      page.items.map((s) => s.id),
    ),
    findPlansBySlugs(ctx.db, [...new Set(page.items.map((s) => s.plan))]),
  ]);
  return {
    items: page.items.map((s) => toAdminSessionItem(s, users, plans.get(s.plan), payments.get(s.id))),
    nextCursor: page.nextCursor,
  };
}
