import crypto from 'node:crypto';
import nodemailer from 'nodemailer';
import type { Config } from '../config.js';
import type { Notifications } from '../context.js';

/** One email as it leaves: both parts, extra headers, attachments. */
export type OutgoingEmail = {
  to: string;
  subject: string;
  text: string;
  html: string;
  headers: Record<string, string>;
  attachments: { filename: string; contentType: string; content: Buffer }[];
};

/**
 * Where email goes: an SMTP server (nodemailer) when `SMTP_URL` is set, or nowhere beyond the
 * outbox table (`transport: 'outbox'`), which is where every email is kept either way.
 */
export type Mailer = {
  transport: 'smtp' | 'outbox';
  /** Hands the email to the SMTP server; returns its message id. Not called for the outbox. */
  send: (email: OutgoingEmail) => Promise<string>;
  close: () => void;
};

export function createMailer(options: { smtpUrl: string | null; from: string }): Mailer {
  if (!options.smtpUrl) {
    return {
      transport: 'outbox',
      send: () => Promise.reject(new Error('no SMTP server configured: email stays in the outbox')),
      close: () => {},
    };
  }
  const transporter = nodemailer.createTransport(options.smtpUrl, { from: options.from });
  return {
    transport: 'smtp',
    async send(email) {
      const info = await transporter.sendMail({
        from: options.from,
        to: email.to,
        subject: email.subject,
        text: email.text,
        html: email.html,
        headers: email.headers,
        attachments: email.attachments,
      });
      return info.messageId;
    },
    close: () => transporter.close(),
  };
}

/** The notification dependencies of a process (`Ctx.notifications`), from its configuration. */
export function createNotifications(config: Config, authSecret: string, mailer?: Mailer): Notifications {
  return {
    mailer: mailer ?? createMailer({ smtpUrl: config.notifications.smtpUrl, from: config.notifications.emailFrom }),
    publicUrl: config.publicUrl,
    signingKey: crypto.createHmac('sha256', authSecret).update('autodoctor:notifications').digest(),
    allowPrivateWebhooks: config.notifications.allowPrivateWebhooks,
  };
}
