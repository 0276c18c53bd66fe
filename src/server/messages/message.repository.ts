import { and, asc, eq, gt } from 'drizzle-orm';
import { runStatement, type Executor, type Statement } from '../db/client.js';
import { tableShape } from '../db/statements.js';
import { TOUCH_THROTTLE_SECONDS } from '../sessions/participant.repository.js';
import { messages, type MessageRow } from '../db/schema.js';

export async function findByClientId(ex: Executor, sessionId: string, senderId: string, clientId: string) {
  const [row] = await ex
    .select()
    .from(messages)
    .where(and(eq(messages.sessionId, sessionId), eq(messages.senderId, senderId), eq(messages.clientId, clientId)));
  return row;
}

const MESSAGE = tableShape(messages, 'm');

/** $1 session, $2 sender, $3 body, $4 attachment ids ('{…}'), $5 client id, $6 now. */
const POST_MESSAGE: Statement = {
  name: 'post_message',
  text: `WITH slot AS (
      UPDATE sessions SET message_seq = message_seq + 1
      WHERE id = $1::uuid AND status IN ('accepted', 'live')
        AND (customer_id = $2::uuid OR (mechanic_id = $2::uuid AND EXISTS (
          SELECT 1 FROM mechanics WHERE user_id = $2::uuid AND approval_status = 'approved')))
      RETURNING id, message_seq, status, customer_id
    ), posted AS (
      INSERT INTO messages AS m (session_id, seq, sender_id, body, attachment_ids, client_id, created_at)
      SELECT id, message_seq, $2::uuid, $3::text, $4::uuid[], $5::uuid, $6::timestamptz FROM slot
      RETURNING ${MESSAGE.select}
    ), event AS (
      INSERT INTO session_events (session_id, type, actor_id, actor_role, from_status, to_status, payload, created_at)
      SELECT slot.id, 'message.created', $2::uuid,
             CASE WHEN slot.customer_id = $2::uuid THEN 'customer' ELSE 'mechanic' END,
             slot.status, slot.status, jsonb_build_object('messageId', posted."m.id", 'seq', posted."m.seq"), $6::timestamptz
      FROM slot, posted
    ), seen AS (
      UPDATE session_participants SET last_seen_at = $6::timestamptz
      WHERE session_id = (SELECT id FROM slot) AND user_id = $2::uuid
        AND (last_seen_at IS NULL OR last_seen_at < $6::timestamptz - interval '${TOUCH_THROTTLE_SECONDS} seconds')
    )
    SELECT * FROM posted`,
};

/**
 * Posts a message in one statement, which PostgreSQL runs atomically: take the next gapless
 * `seq` from the session's counter — only while the chat is open and only for a participant (a
 * suspended mechanic is none) —,
 * insert the message, append its `message.created` event (whose trigger notifies realtime) and
 * mark the sender present. The row lock on the session orders the message against a concurrent
 * end. Returns undefined when the session is not open to this sender; a repeated client id fails
 * on its unique index.
 */
export async function postMessage(
  ex: Executor,
  input: { sessionId: string; senderId: string; body: string; attachmentIds: string[]; clientId: string; now: Date },
): Promise<MessageRow | undefined> {
  const [row] = await runStatement<Record<string, unknown>>(ex, POST_MESSAGE, [
    input.sessionId,
    input.senderId,
    input.body,
    `{${input.attachmentIds.join(',')}}`,
    input.clientId,
    input.now.toISOString(),
  ]);
  return row && MESSAGE.read(row);
}

export async function listMessages(ex: Executor, sessionId: string, afterSeq: number, limit: number) {
  return ex
    .select()
    .from(messages)
    .where(and(eq(messages.sessionId, sessionId), gt(messages.seq, afterSeq)))
    .orderBy(asc(messages.seq))
    .limit(limit);
}

const MESSAGE_BY_SEQ: Statement = {
  name: 'message_by_seq',
  text: `SELECT ${MESSAGE.select} FROM messages m WHERE m.session_id = $1::uuid AND m.seq = $2::integer`,
};

/** Read for every message delivered over realtime. */
export async function findMessageBySeq(ex: Executor, sessionId: string, seq: number): Promise<MessageRow | undefined> {
  const [row] = await runStatement<Record<string, unknown>>(ex, MESSAGE_BY_SEQ, [sessionId, seq]);
  return row && MESSAGE.read(row);
}
