import { EMAIL_KIND_DEFAULTS, OPTIONAL_EMAIL_KINDS, type OptionalEmailKind } from '../../shared/domain.js';
import type { EmailPreferences } from '../../shared/contract/index.js';
import type { Actor } from '../auth/auth.js';
import type { Ctx } from '../context.js';
import { AppError } from '../errors.js';
import { preferencesOf, savePreferences } from './notification.repository.js';
import { readUnsubscribeToken } from './unsubscribe-token.js';

/** What a user gets, kind by kind: their choice, or the kind's default. */
export async function getEmailPreferences(ctx: Ctx, userId: string): Promise<EmailPreferences> {
  const chosen = await preferencesOf(ctx.db, userId);
  const email = Object.fromEntries(
    OPTIONAL_EMAIL_KINDS.map((kind) => [kind, chosen.get(kind) ?? EMAIL_KIND_DEFAULTS[kind]]),
  ) as Record<OptionalEmailKind, boolean>;
  return { email };
}

export async function setEmailPreferences(
  ctx: Ctx,
  actor: Actor,
  choices: Partial<Record<OptionalEmailKind, boolean>>,
): Promise<EmailPreferences> {
  const entries = Object.entries(choices) as [OptionalEmailKind, boolean][];
  await savePreferences(
    ctx.db,
    actor.id,
    entries.map(([kind, email]) => ({ kind, email })),
    ctx.clock.now(),
  );
  return getEmailPreferences(ctx, actor.id);
}

/** The link in an email (or the mail client's one-click POST): that kind, off, for that user. */
export async function unsubscribe(ctx: Ctx, token: string): Promise<{ kind: OptionalEmailKind }> {
  const read = readUnsubscribeToken(ctx.notifications.signingKey, token);
  if (!read) throw new AppError('NOT_FOUND', 'This unsubscribe link is not valid (it may have been cut short)');
  await savePreferences(ctx.db, read.userId, [{ kind: read.kind, email: false }], ctx.clock.now()).catch(
    (error: unknown) => {
      // The account was deleted since: there is nothing left to send to it.
      if (error instanceof Error && /foreign key/i.test(error.message)) return;
      throw error;
    },
  );
  return { kind: read.kind };
}
