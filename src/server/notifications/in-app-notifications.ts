import type { Actor } from '../auth/auth.js';
import type { Ctx } from '../context.js';
import { countUnread, listNotifications, markRead } from './notification.repository.js';
import { toNotificationDto } from './notification.dto.js';

/** The bell: the latest 50 and how many are unread. */
export async function listMyNotifications(ctx: Ctx, actor: Actor) {
  const [rows, unread] = await Promise.all([listNotifications(ctx.db, actor.id, 50), countUnread(ctx.db, actor.id)]);
  return { items: rows.map(toNotificationDto), unread };
}

export async function markNotificationsRead(ctx: Ctx, actor: Actor, which: { ids: string[] } | { all: true }) {
  await markRead(ctx.db, actor.id, 'all' in which ? 'all' : which.ids, ctx.clock.now());
  return { unread: await countUnread(ctx.db, actor.id) };
}
