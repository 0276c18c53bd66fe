import type { z } from 'zod';
import type { SendMessageBody } from '../../shared/api.js';
import type { Actor as AuthActor } from '../auth/auth.js';
import type { Ctx } from '../context.js';
import type { Executor } from '../db/client.js';
import type { MessageRow } from '../db/schema.js';
import { AppError, uniqueViolation } from '../errors.js';
import { participantActor } from '../sessions/session-access.js';
import { appendEvent, findSession, touchParticipant } from '../sessions/session.repository.js';
import { isTerminal } from '../sessions/machine.js';
import { allocateSeq, countOwnAttachments, findByClientId, insertMessage } from './message.repository.js';

export type SendResult = { message: MessageRow; created: boolean };

/** Thrown from the transaction when a retry finds its original: answered as a success. */
class AlreadySent {
  constructor(readonly message: MessageRow) {}
}

async function whyNotOpen(tx: Executor, viewer: AuthActor, sessionId: string, clientId: string): Promise<unknown> {
  const session = await findSession(tx, sessionId);
  if (!session) return new AppError('NOT_FOUND', 'No such session');
  participantActor(session, viewer); // NOT_FOUND for strangers
  const original = await findByClientId(tx, sessionId, viewer.id, clientId);
  if (original) return new AlreadySent(original); // a retry after the session closed
  if (isTerminal(session.status)) return new AppError('SESSION_CLOSED', 'The session has ended');
  return new AppError('INVALID_TRANSITION', 'Chat opens once a mechanic has accepted');
}

/** A participant posts to the chat; a retried `clientId` returns the original, never a duplicate. */
export async function sendMessage(
  ctx: Ctx,
  viewer: AuthActor,
  sessionId: string,
  body: z.infer<typeof SendMessageBody>,
): Promise<SendResult> {
  if (viewer.role === 'admin') throw new AppError('FORBIDDEN', 'Admins read the chat but do not post in it');
  const attachmentIds = [...new Set(body.attachmentIds ?? [])];
  if ((await countOwnAttachments(ctx.db, sessionId, viewer.id, attachmentIds)) !== attachmentIds.length) {
    throw new AppError('VALIDATION_FAILED', 'Attach only files you uploaded to this session', {
      errors: [{ path: 'body.attachmentIds', message: 'contains an unknown attachment' }],
    });
  }
  const now = ctx.clock.now();
  try {
    const message = await ctx.db.transaction(async (tx) => {
      // The happy path is one statement: take the next seq while the chat is open. Everything
      // else (strangers, closed sessions, retries) is sorted out only when that fails.
      const slot = await allocateSeq(tx, sessionId);
      if (!slot || (slot.customerId !== viewer.id && slot.mechanicId !== viewer.id)) {
        throw await whyNotOpen(tx, viewer, sessionId, body.clientId);
      }
      const inserted = await insertMessage(tx, {
        sessionId,
        seq: slot.seq,
        senderId: viewer.id,
        body: body.body,
        attachmentIds,
        clientId: body.clientId,
        createdAt: now,
      });
      // The event row gives the message its place in the realtime cursor.
      await appendEvent(tx, {
        sessionId,
        type: 'message.created',
        actorId: viewer.id,
        actorRole: slot.customerId === viewer.id ? 'customer' : 'mechanic',
        fromStatus: slot.status,
        toStatus: slot.status,
        payload: { messageId: inserted.id, seq: inserted.seq },
        createdAt: now,
      });
      return inserted;
    });
    await touchParticipant(ctx.db, sessionId, viewer.id, now);
    return { message, created: true };
  } catch (error) {
    if (error instanceof AlreadySent) return { message: error.message, created: false };
    if (uniqueViolation(error) === 'messages_client_id_key') {
      const original = await findByClientId(ctx.db, sessionId, viewer.id, body.clientId);
      if (original) return { message: original, created: false };
    }
    throw error;
  }
}
