import crypto from 'node:crypto';
import { EMAIL_KIND_DEFAULTS, isOptionalEmailKind, type EmailKind } from '../../shared/domain.js';
import { findUserByEmail, findUserById } from '../accounts/account.repository.js';
import type { Ctx } from '../context.js';
import type { Executor } from '../db/client.js';
import type { JobRow } from '../db/schema.js';
import { renderReportPdf } from '../documents/render-report-pdf.js';
import { enqueue, type JobHandler, type RetryPolicy } from '../jobs/queue.js';
import type { OutgoingEmail } from './mailer.js';
import { keepEmail, markEmail, preferencesOf } from './notification.repository.js';
import { renderEmail, type EmailData } from './templates.js';
import { unsubscribeToken } from './unsubscribe-token.js';

/*
 * One email is one `email.send` job (notifications.md §1–§2): enqueued in the transaction that
 * causes it, keyed `email:<kind>:<about>:<recipient>` so the same cause emails a person once. The
 * job renders the email, keeps it in the outbox under its key, and hands it to SMTP when there is
 * a server — so a job that runs twice finds the email already sent and sends nothing more.
 */

export type EmailJob<K extends EmailKind = EmailKind> = {
  kind: K;
  /** The account it is for (its current address and name are used); null for a bare address. */
  userId: string | null;
  /** The address when there is no account to read it from (or it must be this one). */
  to?: string;
  /** What the email is about (a session, a refund, a period): part of the key. */
  about: string;
  data: EmailData[K];
  /** Attach this session's report PDF. */
  attachReportOf?: string;
};

/** Up to about a day: 30 s, 2 min, 10 min, 30 min, 2 h, then every 6 h. */
const EMAIL_RETRY: RetryPolicy = {
  maxAttempts: 8,
  delaysMs: [30_000, 120_000, 600_000, 1_800_000, 7_200_000, 21_600_000],
};

export const emailJobKey = (job: Pick<EmailJob, 'kind' | 'about' | 'userId' | 'to'>) =>
  `email:${job.kind}:${job.about}:${job.userId ?? job.to}`;

/** Enqueues an email in the caller's transaction; enqueuing the same one twice makes one. */
export function enqueueEmail<K extends EmailKind>(ex: Executor, now: Date, job: EmailJob<K>): Promise<boolean> {
  return enqueue(ex, now, { kind: 'email.send', key: emailJobKey(job), payload: job }, { retry: EMAIL_RETRY });
}

/** The auth library's emails: a new link each time, so each request is its own email. */
export async function enqueueAccountEmail(
  ctx: Ctx,
  kind: 'email_verification' | 'password_reset',
  user: { id: string; email: string },
  url: string,
): Promise<void> {
  const about = crypto.createHash('sha256').update(url).digest('base64url').slice(0, 22);
  await enqueueEmail(ctx.db, ctx.clock.now(), { kind, userId: user.id, to: user.email, about, data: { url } });
}

/**
 * "You already have an account", to the owner of an address someone signed up with again. At most
 * one an hour per account, so that probing an address does not flood its owner.
 */
export async function enqueueAccountExistsEmail(ctx: Ctx, email: string): Promise<void> {
  const owner = await findUserByEmail(ctx.db, email);
  if (!owner) return;
  const now = ctx.clock.now();
  const hour = now.toISOString().slice(0, 13);
  await enqueueEmail(ctx.db, now, {
    kind: 'account_exists',
    userId: owner.id,
    about: hour,
    data: { signInPath: '/sign-in', resetPath: '/forgot-password' },
  });
}

async function sendEmail(ctx: Ctx, job: JobRow): Promise<void> {
  const payload = job.payload as unknown as EmailJob;
  const { publicUrl, signingKey, mailer } = ctx.notifications;
  const user = payload.userId ? await findUserById(ctx.db, payload.userId) : undefined;
  const to = payload.to ?? user?.email;
  if (!to) return; // the account is gone: nobody to write to
  // Kinds a user may turn off honour their choice (or the kind's default) and carry the link to do it.
  const optional = isOptionalEmailKind(payload.kind) ? payload.kind : null;
  const wanted =
    !optional || !user || ((await preferencesOf(ctx.db, user.id)).get(optional) ?? EMAIL_KIND_DEFAULTS[optional]);
  const unsubscribeUrl =
    optional && user
      ? `${publicUrl}/api/unsubscribe?token=${unsubscribeToken(signingKey, user.id, optional)}`
      : undefined;
  const rendered = renderEmail(payload.kind, payload.data as never, {
    name: user?.name ?? '',
    publicUrl,
    unsubscribeUrl,
  });
  const headers: Record<string, string> = unsubscribeUrl
    ? { 'List-Unsubscribe': `<${unsubscribeUrl}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' }
    : {};
  const report = wanted && payload.attachReportOf ? await renderReportPdf(ctx, payload.attachReportOf) : null;
  const attachments = report
    ? [{ filename: 'autodoctor-report.pdf', contentType: 'application/pdf', content: report }]
    : [];
  const now = ctx.clock.now();
  const kept = await keepEmail(
    ctx.db,
    {
      key: job.key,
      userId: user?.id ?? null,
      to,
      kind: payload.kind,
      ...rendered,
      headers,
      attachments: attachments.map((a) => ({
        filename: a.filename,
        contentType: a.contentType,
        size: a.content.length,
      })),
      status: wanted ? 'stored' : 'suppressed',
    },
    now,
  );
  // Sent by an earlier run, turned off, or kept for the outbox only: nothing more to do.
  if (kept.status !== 'stored' || mailer.transport === 'outbox') return;
  const outgoing: OutgoingEmail = { to, ...rendered, headers, attachments };
  try {
    const messageId = await mailer.send(outgoing);
    await markEmail(ctx.db, kept.id, { status: 'sent', messageId, error: null, sentAt: ctx.clock.now() });
  } catch (error) {
    await markEmail(ctx.db, kept.id, {
      status: 'stored',
      error: error instanceof Error ? error.message : String(error),
    });
    throw error;
  }
}

export const sendEmailHandler: JobHandler = {
  kind: 'email.send',
  retry: EMAIL_RETRY,
  run: sendEmail,
  /** Every retry failed: the outbox shows it as failed, with the last error. */
  async onDead(ctx, job) {
    const kept = await keepEmail(
      ctx.db,
      {
        key: job.key,
        userId: null,
        to: '(unknown)',
        kind: (job.payload as unknown as EmailJob).kind,
        subject: '(not rendered)',
        text: '',
        html: '',
        headers: {},
        attachments: [],
        status: 'failed',
      },
      ctx.clock.now(),
    );
    if (kept.status === 'stored') await markEmail(ctx.db, kept.id, { status: 'failed' });
  },
};
