import { and, asc, eq, gt, inArray, sql } from 'drizzle-orm';
import { queryRows, type Executor } from '../db/client.js';
import { attachments, messages, sessionEvents, sessions, type MessageRow } from '../db/schema.js';

export async function findByClientId(ex: Executor, sessionId: string, senderId: string, clientId: string) {
  const [row] = await ex
    .select()
    .from(messages)
    .where(and(eq(messages.sessionId, sessionId), eq(messages.senderId, senderId), eq(messages.clientId, clientId)));
  return row;
}

type PostedRow = {
  id: string;
  session_id: string;
  seq: number;
  sender_id: string;
  body: string;
  attachment_ids: string[];
  client_id: string;
  created_at: Date | string;
};

/**
 * Posts a message in one statement, which PostgreSQL runs atomically: take the next gapless
 * `seq` from the session's counter — only while the chat is open and only for a participant —,
 * insert the message, and append its `message.created` event (whose trigger notifies realtime).
 * The row lock on the session orders the message against a concurrent end. Returns undefined
 * when the session is not open to this sender; a repeated client id fails on its unique index.
 */
export async function postMessage(
  ex: Executor,
  input: { sessionId: string; senderId: string; body: string; attachmentIds: string[]; clientId: string; now: Date },
): Promise<MessageRow | undefined> {
  const at = input.now.toISOString();
  const [row] = await queryRows<PostedRow>(
    ex,
    sql`WITH slot AS (
        UPDATE ${sessions} SET message_seq = message_seq + 1
        WHERE id = ${input.sessionId} AND status IN ('accepted', 'live')
          AND (customer_id = ${input.senderId} OR mechanic_id = ${input.senderId})
        RETURNING id, message_seq, status, customer_id
      ), posted AS (
        INSERT INTO ${messages} (session_id, seq, sender_id, body, attachment_ids, client_id, created_at)
        SELECT id, message_seq, ${input.senderId}, ${input.body}, ${`{${input.attachmentIds.join(',')}}`}::uuid[], ${input.clientId}, ${at}::timestamptz
        FROM slot
        RETURNING id, session_id, seq, sender_id, body, attachment_ids, client_id, created_at
      ), event AS (
        INSERT INTO ${sessionEvents} (session_id, type, actor_id, actor_role, from_status, to_status, payload, created_at)
        SELECT slot.id, 'message.created', ${input.senderId},
               CASE WHEN slot.customer_id = ${input.senderId} THEN 'customer' ELSE 'mechanic' END,
               slot.status, slot.status, jsonb_build_object('messageId', posted.id, 'seq', posted.seq), ${at}::timestamptz
        FROM slot, posted
      )
      SELECT * FROM posted`,
  );
  if (!row) return undefined;
  return {
    id: row.id,
    sessionId: row.session_id,
    seq: row.seq,
    senderId: row.sender_id,
    body: row.body,
    attachmentIds: parseUuidArray(row.attachment_ids),
    clientId: row.client_id,
    createdAt: new Date(row.created_at),
  };
}

/** uuid[] arrives as an array from one driver and as '{a,b}' text from the other. */
function parseUuidArray(value: string[] | string): string[] {
  if (Array.isArray(value)) return value;
  const inner = value.replace(/^\{|\}$/g, '');
  return inner ? inner.split(',') : [];
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
