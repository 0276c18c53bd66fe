import type { z } from 'zod';
import type { SendMessageBody } from '../../shared/contract/index.js';
import type { Actor } from '../auth/auth.js';
import type { Ctx } from '../context.js';
import type { Executor } from '../db/client.js';
import type { MessageRow } from '../db/schema.js';
import { AppError, uniqueViolation } from '../errors.js';
import { participantActor } from '../sessions/session-access.js';
import { findSession } from '../sessions/session.repository.js';
import { isTerminal } from '../sessions/machine.js';
import { countOwnAttachments } from '../attachments/attachment.repository.js';
import { findByClientId, postMessage } from './message.repository.js';

export type SendResult = { message: MessageRow; created: boolean };

/**
 * Why a post found the chat closed to this sender: the error to answer, or the original message
 * when this is a retry of one sent before the session closed (answered as a success).
 */
async function whyNotOpen(
  ex: Executor,
  viewer: Actor,
  sessionId: string,
  clientId: string,
): Promise<AppError | MessageRow> {
  const session = await findSession(ex, sessionId);
  if (!session) return new AppError('NOT_FOUND', 'No such session');
  participantActor(session, viewer); // NOT_FOUND for strangers
  const original = await findByClientId(ex, sessionId, viewer.id, clientId);
  if (original) return original;
  if (isTerminal(session.status)) return new AppError('SESSION_CLOSED', 'The session has ended');
  if (session.status !== 'pending') return new AppError('FORBIDDEN', 'Your mechanic account is suspended');
  return new AppError('INVALID_TRANSITION', 'Chat opens once a mechanic has accepted');
}

/** A participant posts to the chat; a retried `clientId` returns the original, never a duplicate. */
export async function sendMessage(
  ctx: Ctx,
  viewer: Actor,
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
    const message = await postMessage(ctx.db, {
      sessionId,
      senderId: viewer.id,
      body: body.body,
      attachmentIds,
      clientId: body.clientId,
      now,
    });
    if (message) return { message, created: true };
    const closed = await whyNotOpen(ctx.db, viewer, sessionId, body.clientId);
    if (closed instanceof AppError) throw closed;
    return { message: closed, created: false };
  } catch (error) {
    if (uniqueViolation(error) === 'messages_client_id_key') {
      const original = await findByClientId(ctx.db, sessionId, viewer.id, body.clientId);
      if (original) return { message: original, created: false };
    }
    throw error;
  }
}
