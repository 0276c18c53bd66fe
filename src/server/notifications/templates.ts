import type { EmailKind } from '../../shared/domain.js';
import { formatMoney } from '../documents/document-text.js';

/*
 * Every email the product sends, one template each: a subject, a few paragraphs, at most one
 * button. `renderEmail` lays a template out twice — plain text and HTML — so the two parts always
 * say the same thing. Templates get plain data (names, amounts, paths) and never query anything.
 */

export type EmailData = {
  email_verification: { url: string };
  password_reset: { url: string };
  account_exists: { signInPath: string; resetPath: string };
  application_update: { status: 'received' | 'approved' | 'declined' | 'suspended'; reason?: string | null };
  request_accepted: { sessionId: string; mechanicName: string; vehicle: string };
  mechanic_no_show: { sessionId: string; vehicle: string };
  session_receipt: {
    sessionId: string;
    vehicle: string;
    /** What happened to the money: charged, a no-show fee, or released. */
    outcome: 'charged' | 'no_show_fee' | 'released' | 'free';
    chargedCents: number;
    currency: string;
    card: string | null;
  };
  report_ready: { sessionId: string; vehicle: string; mechanicName: string; unsafeToDrive: boolean };
  refund_issued: { sessionId: string; vehicle: string; amountCents: number; currency: string; card: string | null };
  weekly_statement: { period: string; paidCents: number; currency: string };
  new_request: { sessionId: string; vehicle: string; concern: string; planName: string; urgent: boolean };
  mechanic_available: { planName: string; vehicle: string };
};

type Template = {
  subject: string;
  paragraphs: string[];
  /** `path` inside the product, or a full URL (the auth library's links). */
  action?: { label: string; href: string };
};

const TEMPLATES: { [K in EmailKind]: (data: EmailData[K], name: string) => Template } = {
  email_verification: ({ url }) => ({
    subject: 'Confirm your email address',
    paragraphs: ['Confirm this address to finish setting up your AutoDoctor account.'],
    action: { label: 'Confirm my email', href: url },
  }),
  password_reset: ({ url }) => ({
    subject: 'Reset your password',
    paragraphs: [
      'Someone (we hope you) asked to reset the password of your AutoDoctor account. The link works for one hour.',
      'If it was not you, ignore this email: your password stays as it is.',
    ],
    action: { label: 'Choose a new password', href: url },
  }),
  account_exists: ({ resetPath }) => ({
    subject: 'You already have an AutoDoctor account',
    paragraphs: [
      'Someone tried to sign up with this email address, which already has an account.',
      'If it was you, sign in instead — or reset your password if you have forgotten it. If it was not you, you can ignore this email.',
    ],
    action: { label: 'Reset my password', href: resetPath },
  }),
  application_update: ({ status, reason }) =>
    status === 'received'
      ? {
          subject: 'We received your mechanic application',
          paragraphs: [
            'Thank you for applying to help drivers on AutoDoctor. Our team reviews every application; you will hear from us by email.',
          ],
          action: { label: 'See my application', href: '/app' },
        }
      : status === 'approved'
        ? {
            subject: 'You are approved to take sessions',
            paragraphs: [
              'Your mechanic application is approved. Switch "On shift" whenever you are ready and requests that match you appear in your queue.',
            ],
            action: { label: 'Open my queue', href: '/app' },
          }
        : status === 'declined'
          ? {
              subject: 'Your mechanic application was not approved',
              paragraphs: [
                'Thank you for applying. We are not able to approve your application at this time.',
                ...(reason ? [`The reason given: ${reason}`] : []),
                'If you think this is a mistake, reply to this email.',
              ],
            }
          : {
              subject: 'Your mechanic account is suspended',
              paragraphs: [
                'Your mechanic account has been suspended, so you cannot take sessions for now.',
                ...(reason ? [`The reason given: ${reason}`] : []),
                'If you think this is a mistake, reply to this email.',
              ],
            },
  request_accepted: ({ sessionId, mechanicName, vehicle }) => ({
    subject: `${mechanicName} accepted your request`,
    paragraphs: [
      `${mechanicName} will help you with your ${vehicle}. Join the session now: they are waiting for you in the room.`,
    ],
    action: { label: 'Join the session', href: `/sessions/${sessionId}` },
  }),
  mechanic_no_show: ({ sessionId, vehicle }) => ({
    subject: 'Your mechanic did not join — nothing was charged',
    paragraphs: [
      `We are sorry: the mechanic who accepted your request about your ${vehicle} did not join the session in time.`,
      'The hold on your card is released and nothing was charged. You can ask for help again at any time.',
    ],
    action: { label: 'See the session', href: `/sessions/${sessionId}` },
  }),
  session_receipt: ({ sessionId, vehicle, outcome, chargedCents, currency, card }) => ({
    subject:
      outcome === 'charged' || outcome === 'no_show_fee'
        ? `Your receipt: ${formatMoney(chargedCents, currency)} for help with your ${vehicle}`
        : `Your session about your ${vehicle} has ended`,
    paragraphs: [
      outcome === 'charged'
        ? `Thank you for using AutoDoctor. We charged ${formatMoney(chargedCents, currency)}${card ? ` to your ${card}` : ''} for your session about your ${vehicle}.`
        : outcome === 'no_show_fee'
          ? `You did not join your session about your ${vehicle}, so the no-show fee of ${formatMoney(chargedCents, currency)} was charged${card ? ` to your ${card}` : ''}; the rest of the hold is released.`
          : outcome === 'released'
            ? `Your session about your ${vehicle} has ended without a charge: the hold on your card is released.`
            : `Your free session about your ${vehicle} has ended.`,
      'Your mechanic’s written report appears in the session once it is ready; we will email you then.',
    ],
    action: { label: 'See the session and receipt', href: `/sessions/${sessionId}` },
  }),
  report_ready: ({ sessionId, vehicle, mechanicName, unsafeToDrive }) => ({
    subject: `Your report from ${mechanicName} is ready`,
    paragraphs: [
      ...(unsafeToDrive
        ? ['Important: your mechanic found your car unsafe to drive. Please read the report before driving.']
        : []),
      `${mechanicName} has written up what they found about your ${vehicle}. The report is attached as a PDF and is in your session.`,
    ],
    action: { label: 'Read the report', href: `/sessions/${sessionId}` },
  }),
  refund_issued: ({ sessionId, vehicle, amountCents, currency, card }) => ({
    subject: `We refunded ${formatMoney(amountCents, currency)}`,
    paragraphs: [
      `We refunded ${formatMoney(amountCents, currency)}${card ? ` to your ${card}` : ''} for your session about your ${vehicle}. Banks usually show it within 5–10 days.`,
    ],
    action: { label: 'See your receipt', href: `/sessions/${sessionId}` },
  }),
  weekly_statement: ({ period, paidCents, currency }) => ({
    subject: `Your AutoDoctor earnings for ${period}`,
    paragraphs: [
      `For ${period} we paid you ${formatMoney(paidCents, currency)}. Banks usually show a transfer within 2 working days.`,
      'Your earnings page has every session and a CSV statement.',
    ],
    action: { label: 'Open my earnings', href: '/earnings' },
  }),
  new_request: ({ vehicle, concern, planName, urgent }) => ({
    subject: `${urgent ? 'Urgent: ' : ''}a driver needs help with a ${vehicle}`,
    paragraphs: [
      `A new ${planName} request matches you while you are off shift: “${concern.length > 200 ? `${concern.slice(0, 197)}…` : concern}”`,
      'Go on shift to see it in your queue — another mechanic may take it first.',
    ],
    action: { label: 'Go on shift', href: '/app' },
  }),
  mechanic_available: ({ planName, vehicle }) => ({
    subject: 'A mechanic is available now',
    paragraphs: [
      `You asked us to tell you when a mechanic is available for ${planName} help with your ${vehicle}. One just came on shift.`,
      'Ask now: requests are taken first come, first served.',
    ],
    action: { label: 'Ask for help', href: '/request' },
  }),
};

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

export type RenderedEmail = { subject: string; text: string; html: string };

/**
 * Lays out one email in both parts. `unsubscribeUrl` adds the footer line for kinds a user may
 * turn off (the headers are the sender's business).
 */
export function renderEmail<K extends EmailKind>(
  kind: K,
  data: EmailData[K],
  options: { name: string; publicUrl: string; unsubscribeUrl?: string },
): RenderedEmail {
  const template = TEMPLATES[kind](data, options.name);
  const href = template.action
    ? /^https?:\/\//.test(template.action.href)
      ? template.action.href
      : `${options.publicUrl}${template.action.href}`
    : undefined;
  const greeting = `Hello ${options.name || 'there'},`;
  const footer = 'AutoDoctor — remote help from certified mechanics.';
  const unsubscribe = options.unsubscribeUrl
    ? `You get this email because of your notification settings. Turn these emails off: ${options.unsubscribeUrl}`
    : undefined;
  const text = [
    greeting,
    ...template.paragraphs,
    ...(template.action && href ? [`${template.action.label}: ${href}`] : []),
    '—',
    footer,
    ...(unsubscribe ? [unsubscribe] : []),
  ].join('\n\n');
  const button =
    template.action && href
      ? `<p style="margin:24px 0"><a href="${escapeHtml(href)}" style="background:#1d4ed8;color:#ffffff;padding:12px 20px;border-radius:6px;text-decoration:none;font-weight:bold">${escapeHtml(template.action.label)}</a></p>`
      : '';
  const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(template.subject)}</title></head>
<body style="margin:0;background:#f8fafc;font-family:Helvetica,Arial,sans-serif;color:#0f172a">
<div style="max-width:560px;margin:0 auto;padding:24px">
<p style="font-size:20px;font-weight:bold;color:#1e40af;margin:0 0 16px">AutoDoctor</p>
<div style="background:#ffffff;border:1px solid #e2e8f0;border-radius:8px;padding:24px;line-height:1.5">
<p>${escapeHtml(greeting)}</p>
${template.paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`).join('\n')}
${button}
</div>
<p style="font-size:12px;color:#64748b;margin-top:16px">${escapeHtml(footer)}${
    options.unsubscribeUrl
      ? ` You get this email because of your notification settings. <a href="${escapeHtml(options.unsubscribeUrl)}" style="color:#64748b">Turn these emails off</a>.`
      : ''
  }</p>
</div></body></html>`;
  return { subject: template.subject, text, html };
}
