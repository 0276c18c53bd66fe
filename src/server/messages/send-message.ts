import type { z } from 'zod';
import type { SendMessageBody } from '../../shared/api.js';
import type { Actor as AuthActor } from '../auth/auth.js';
import type { Ctx } from '../context.js';
import type { MessageRow } from '../db/schema.js';
import { AppError, uniqueViolation } from '../errors.js';
import { participantActor } from '../sessions/session-access.js';
import { appendEvent, findSession, touchParticipant } from '../sessions/session.repository.js';
import { isTerminal } from '../sessions/machine.js';
import { allocateSeq, countOwnAttachments, findByClientId, insertMessage } from './message.repository.js';

export type SendResult = { message: MessageRow; created: boolean };

/** A participant posts to the chat; a retried `clientId` returns the original, never a duplicate. */
export async function sendMessage(
  ctx: Ctx,
  viewer: AuthActor,
  sessionId: string,
  body: z.infer<typeof SendMessageBody>,
): Promise<SendResult> {
  const session = await findSession(ctx.db, sessionId);
  if (!session) throw new AppError('NOT_FOUND', 'No such session');
  participantActor(session, viewer); // NOT_FOUND for strangers, FORBIDDEN for admins
  const earlier = await findByClientId(ctx.db, sessionId, viewer.id, body.clientId);
  if (earlier) return { message: earlier, created: false };
  const attachmentIds = [...new Set(body.attachmentIds ?? [])];
  if ((await countOwnAttachments(ctx.db, sessionId, viewer.id, attachmentIds)) !== attachmentIds.length) {
    throw new AppError('VALIDATION_FAILED', 'Attach only files you uploaded to this session', {
      errors: [{ path: 'body.attachmentIds', message: 'contains an unknown attachment' }],
    });
  }
  const now = ctx.clock.now();
  try {
    const message = await ctx.db.transaction(async (tx) => {
      const slot = await allocateSeq(tx, sessionId);
      if (!slot) {
        const current = await findSession(tx, sessionId);
        if (current && isTerminal(current.status)) throw new AppError('SESSION_CLOSED', 'The session has ended');
        throw new AppError('INVALID_TRANSITION', 'Chat opens once a mechanic has accepted');
      }
      if (slot.customerId !== viewer.id && slot.mechanicId !== viewer.id) {
        throw new AppError('NOT_FOUND', 'No such session');
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
    if (uniqueViolation(error) === 'messages_client_id_key') {
      const original = await findByClientId(ctx.db, sessionId, viewer.id, body.clientId);
      if (original) return { message: original, created: false };
    }
    throw error;
  }
}
