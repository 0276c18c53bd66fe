import { and, asc, eq, gt, inArray, sql } from 'drizzle-orm';
import type { Executor } from '../db/client.js';
import { attachments, messages, sessions, type MessageRow } from '../db/schema.js';

export async function findByClientId(ex: Executor, sessionId: string, senderId: string, clientId: string) {
  const [row] = await ex
    .select()
    .from(messages)
    .where(and(eq(messages.sessionId, sessionId), eq(messages.senderId, senderId), eq(messages.clientId, clientId)));
  return row;
}

/**
 * Hands out the next gapless `seq` by incrementing the session's counter, only while the session
 * is open for chat. The row lock this takes also orders the message against a concurrent end.
 */
export async function allocateSeq(ex: Executor, sessionId: string) {
  const [row] = await ex
    .update(sessions)
    .set({ messageSeq: sql`${sessions.messageSeq} + 1` })
    .where(and(eq(sessions.id, sessionId), inArray(sessions.status, ['accepted', 'live'])))
    .returning({
      seq: sessions.messageSeq,
      status: sessions.status,
      customerId: sessions.customerId,
      mechanicId: sessions.mechanicId,
    });
  return row;
}

export async function insertMessage(ex: Executor, values: typeof messages.$inferInsert): Promise<MessageRow> {
  const [row] = await ex.insert(messages).values(values).returning();
  return row!;
}

export async function listMessages(ex: Executor, sessionId: string, afterSeq: number, limit: number) {
  return ex
    .select()
    .from(messages)
    .where(and(eq(messages.sessionId, sessionId), gt(messages.seq, afterSeq)))
    .orderBy(asc(messages.seq))
    .limit(limit);
}

export async function findMessageBySeq(ex: Executor, sessionId: string, seq: number) {
  const [row] = await ex
    .select()
    .from(messages)
    .where(and(eq(messages.sessionId, sessionId), eq(messages.seq, seq)));
  return row;
}

export async function countOwnAttachments(ex: Executor, sessionId: string, uploaderId: string, ids: string[]) {
  if (ids.length === 0) return 0;
  const rows = await ex
    .select({ id: attachments.id })
    .from(attachments)
    .where(
      and(eq(attachments.sessionId, sessionId), eq(attachments.uploaderId, uploaderId), inArray(attachments.id, ids)),
    );
  return rows.length;
}

export function toMessageDto(row: MessageRow) {
  return {
    id: row.id,
    sessionId: row.sessionId,
    seq: row.seq,
    senderId: row.senderId,
    body: row.body,
    attachmentIds: row.attachmentIds,
    clientId: row.clientId,
    createdAt: row.createdAt.toISOString(),
  };
}
