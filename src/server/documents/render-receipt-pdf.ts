import type { Actor } from '../auth/auth.js';
import type { Ctx } from '../context.js';
import { AppError } from '../errors.js';
import { loadVisibleSession, relationTo } from '../sessions/session-access.js';
import { findReceiptFacts, type ReceiptFacts } from './document.repository.js';
import { formatDate, formatDateTime, formatMoney, PLATFORM } from './document-text.js';
import { callout, COLORS, facts, letterhead, paragraph, renderPdf, section, table, title } from './pdf.js';
import { documentFilename, type DownloadedPdf } from './render-report-pdf.js';
import { chargeOutcome, loadSessionCharges, type SessionCharges } from './session-charges.js';

/*
 * A session's receipt as a PDF (notifications.md §5): what was authorised, charged for the plan
 * and for extra time, refunded, on which card, and who charged it. The figures are the payment
 * row's, which the ledger books (M3), so the PDF cannot disagree with the receipts page.
 */

/** The receipt of a paid session, or null when there was nothing to pay (the free plan). */
export async function renderReceiptPdf(ctx: Ctx, sessionId: string): Promise<Buffer | null> {
  const [found, charges] = await Promise.all([findReceiptFacts(ctx.db, sessionId), loadSessionCharges(ctx, sessionId)]);
  if (!found || !charges) return null;
  return drawReceiptPdf(found, charges, { publicUrl: ctx.notifications.publicUrl, issuedAt: ctx.clock.now() });
}

/**
 * `GET /api/sessions/:id/receipt.pdf`: the session's customer and admins. The assigned mechanic
 * knows the session exists, so they are told no (403) rather than "not found"; strangers get 404.
 */
export async function downloadReceiptPdf(ctx: Ctx, viewer: Actor, sessionId: string): Promise<DownloadedPdf> {
  const { session } = await loadVisibleSession(ctx, viewer, sessionId);
  if (relationTo(session, viewer) === 'mechanic') {
    throw new AppError('FORBIDDEN', 'A receipt is for the session’s customer');
  }
  const pdf = await renderReceiptPdf(ctx, sessionId);
  if (!pdf) throw new AppError('NOT_FOUND', 'This session was free of charge: there is no receipt');
  return { pdf, filename: documentFilename('receipt', session.vehicle, session.requestedAt) };
}

const HEADLINE = {
  charged: 'Paid',
  refunded: 'Refunded in full',
  released: 'Nothing charged',
  pending: 'Charge pending',
  not_charged: 'Nothing charged',
} as const;

function drawReceiptPdf(
  found: ReceiptFacts,
  charges: SessionCharges,
  options: { publicUrl: string; issuedAt: Date },
): Promise<Buffer> {
  const { session } = found;
  const { payment } = charges;
  const money = (cents: number) => formatMoney(cents, payment.currency);
  const vehicle = `${session.vehicle.year} ${session.vehicle.make} ${session.vehicle.model}`;
  const card =
    payment.cardBrand && payment.cardLast4 ? `${titleCase(payment.cardBrand)} •••• ${payment.cardLast4}` : null;
  const outcome = chargeOutcome(payment);
  const number = payment.id.slice(0, 8).toUpperCase();
  return renderPdf(
    {
      title: `Receipt ${number}: ${found.planName}, ${vehicle}`,
      subject: `AutoDoctor receipt: ${money(charges.netCents)} paid`,
      createdAt: options.issuedAt,
      footer: `${PLATFORM.name} · ${PLATFORM.supportEmail} · Receipt ${number}`,
    },
    (doc) => {
      letterhead(doc, 'Receipt', `No. ${number} · Issued ${formatDate(options.issuedAt)}`);
      title(
        doc,
        `${found.planName} · ${vehicle}`,
        `Session of ${formatDateTime(session.startedAt ?? session.requestedAt)}`,
      );

      const status = {
        charged: {
          body:
            payment.refundedCents > 0
              ? `${money(payment.capturedCents)} was charged${card ? ` to ${card}` : ''} and ${money(payment.refundedCents)} refunded.`
              : `${money(payment.capturedCents)} was charged${card ? ` to ${card}` : ''}.`,
          tone: { fill: COLORS.okSoft, ink: COLORS.ok },
        },
        refunded: {
          body: `${money(payment.capturedCents)} was charged and all of it refunded${card ? ` to ${card}` : ''}.`,
          tone: { fill: COLORS.soft, ink: COLORS.brand },
        },
        released: {
          body: `The hold of ${money(payment.amountCents)} on your card was released: nothing was charged.`,
          tone: { fill: COLORS.soft, ink: COLORS.brand },
        },
        pending: {
          body: `${money(payment.amountCents)} is authorised on your card; the charge is being completed.`,
          tone: { fill: COLORS.warnSoft, ink: COLORS.warn },
        },
        not_charged: {
          body: 'The card was not authorised, so nothing was charged.',
          tone: { fill: COLORS.soft, ink: COLORS.brand },
        },
      }[outcome];
      const headline = outcome === 'charged' ? `${HEADLINE.charged} ${money(charges.netCents)}` : HEADLINE[outcome];
      callout(doc, status.tone, headline, status.body, 16);

      section(doc, 'Details');
      facts(doc, [
        ['Receipt number', payment.id],
        ['Billed to', `${found.customer.name} <${found.customer.email}>`],
        ['Card', card ?? 'None on file'],
        [
          'Authorised',
          `${money(payment.amountCents)}${payment.authorizedAt ? ` on ${formatDateTime(payment.authorizedAt)}` : ''}`,
        ],
        ['Vehicle', vehicle],
        ['Mechanic', found.mechanicName ?? 'None assigned'],
        ['Session reference', session.id],
      ]);

      section(doc, 'Amounts');
      const rows: string[][] = [[`${found.planName} plan`, money(charges.planCents)]];
      for (const x of charges.extensions) rows.push([`Extra time: ${x.minutes} minutes`, money(x.amountCents)]);
      rows.push(['Total charged', money(payment.capturedCents)]);
      const emphasis = new Set([rows.length - 1]);
      for (const r of charges.refunds) {
        const when = formatDate(r.createdAt);
        rows.push([`Refund of ${when}${r.status === 'pending' ? ' (on its way)' : ''}`, `−${money(r.amountCents)}`]);
      }
      if (charges.refunds.length > 0) rows.push(['Total refunded', `−${money(payment.refundedCents)}`]);
      rows.push(['Net paid', money(charges.netCents)]);
      emphasis.add(rows.length - 1);
      table(
        doc,
        [
          { header: 'Description', width: 0.7 },
          { header: 'Amount', width: 0.3, align: 'right' },
        ],
        rows,
        { emphasis },
      );
      paragraph(doc, 'Your card is authorised when you ask for help and charged only when a mechanic has helped you.', {
        size: 9,
        color: COLORS.muted,
      });

      section(doc, 'From');
      facts(doc, [
        ['Platform', `${PLATFORM.name} — ${PLATFORM.tagline}`],
        ['Support', PLATFORM.supportEmail],
        ['Web', options.publicUrl],
      ]);
    },
  );
}

const titleCase = (brand: string) => brand.charAt(0).toUpperCase() + brand.slice(1);
