import type { Ctx } from '../context.js';
import { decodeCursor, encodeCursor } from '../platform/routing.js';
import { toSessionDto } from './session.dto.js';
import { findParticipants, listSessions, type ListFilter } from './session.repository.js';

/** One page of sessions, newest first, with an opaque cursor to the next page. */
export async function listSessionsPage(
  ctx: Ctx,
  filter: Omit<ListFilter, 'limit' | 'cursor'>,
  limit: number,
  cursor: string | undefined,
) {
  // One extra row tells whether another page exists without a count query.
  const rows = await listSessions(ctx.db, { ...filter, limit: limit + 1, cursor: decodeCursor(cursor) });
  const page = rows.slice(0, limit);
  const participants = await findParticipants(
    ctx.db,
    page.map((s) => s.id),
  );
  const last = page.at(-1);
  return {
    items: page.map((s) => toSessionDto(s, participants)),
    nextCursor: rows.length > limit && last ? encodeCursor(last.requestedAt, last.id) : null,
  };
}
