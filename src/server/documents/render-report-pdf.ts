import type { Actor } from '../auth/auth.js';
import type { Ctx } from '../context.js';
import { AppError } from '../errors.js';
import { loadVisibleSession } from '../sessions/session-access.js';
import { describeTroubleCode } from '../vehicles/lookup-trouble-code.js';
import {
  costRange,
  FOLLOW_UP_LABEL,
  reportSignature,
  SERVICE_TIER_LABEL,
  SEVERITY_LABEL,
} from '../../shared/report-words.js';
import type { Severity } from '../../shared/domain.js';
import { findReportFacts, type ReportFacts } from './document.repository.js';
import { formatDate, formatDateTime, formatMoney, PLATFORM } from './document-text.js';
import { callout, COLORS, facts, letterhead, paragraph, renderPdf, section, table, title, type Pdf } from './pdf.js';
import { chargeOutcome, loadSessionCharges, type SessionCharges } from './session-charges.js';

/*
 * The mechanic's report as a PDF (notifications.md §5): the car, the concern, who looked at it
 * and when, what they found and how serious it is, what to do and what it may cost, and — for the
 * session's own people — what the session cost. The same drawing serves a share link, without the
 * VIN and the money.
 */

export type DownloadedPdf = { pdf: Buffer; filename: string };

/**
 * The report PDF of a session for its own people (the email job attaches it to "report ready"):
 * null while there is no submitted report. Authorisation is the caller's.
 */
export async function renderReportPdf(ctx: Ctx, sessionId: string): Promise<Buffer | null> {
  const found = await findReportFacts(ctx.db, sessionId);
  if (!found) return null;
  return drawReportPdf(found, { charges: await loadSessionCharges(ctx, sessionId), audience: 'participants' });
}

/** `GET /api/sessions/:id/report.pdf`: the session's participants and admins; anyone else 404. */
export async function downloadReportPdf(ctx: Ctx, viewer: Actor, sessionId: string): Promise<DownloadedPdf> {
  const { session } = await loadVisibleSession(ctx, viewer, sessionId);
  const pdf = await renderReportPdf(ctx, sessionId);
  if (!pdf) throw new AppError('NOT_FOUND', 'No report has been submitted for this session yet');
  return { pdf, filename: documentFilename('report', session.vehicle, session.requestedAt) };
}

/** `autodoctor-report-2026-06-01-toyota-corolla.pdf`: ASCII only, safe in a header. */
export function documentFilename(
  kind: 'report' | 'receipt',
  vehicle: { make: string; model: string },
  date: Date,
): string {
  const slug = `${vehicle.make}-${vehicle.model}`
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40);
  return `autodoctor-${kind}-${date.toISOString().slice(0, 10)}${slug ? `-${slug}` : ''}.pdf`;
}

type Audience = 'participants' | 'shared';

/** Lays the report out. `shared`: for someone holding a share link — no VIN, no money, no ids. */
export function drawReportPdf(
  found: ReportFacts,
  options: { charges: SessionCharges | null; audience: Audience },
): Promise<Buffer> {
  const { session, report } = found;
  const vehicle = `${session.vehicle.year} ${session.vehicle.make} ${session.vehicle.model}`;
  const submittedAt = report.submittedAt ?? report.updatedAt;
  const shared = options.audience === 'shared';
  return renderPdf(
    {
      title: `Mechanic’s report: ${vehicle}`,
      subject: `${SEVERITY_LABEL[report.severity]}. ${report.summary}`,
      createdAt: submittedAt,
      footer: shared
        ? `${PLATFORM.name} · ${PLATFORM.supportEmail} · A report shared by the vehicle’s owner`
        : `${PLATFORM.name} · ${PLATFORM.supportEmail} · Session ${session.id.slice(0, 8)}`,
    },
    (doc) => {
      letterhead(doc, 'Mechanic’s report', `Submitted ${formatDate(submittedAt)}`);
      title(doc, vehicle, vehicleLine(found, shared));
      severityBanner(doc, report.severity);
      section(doc, 'Mechanic and session');
      facts(doc, [
        ['Mechanic', found.mechanic.displayName],
        ['Service', serviceLine(found)],
        // The plan tells what the owner paid: not for whoever holds a share link.
        ...(shared ? [] : [['Plan', found.planName] as const]),
        ...times(found),
      ]);
      section(doc, 'The concern');
      paragraph(doc, session.concern, { color: COLORS.muted });
      section(doc, 'Summary');
      paragraph(doc, report.summary, { bold: true });
      section(doc, 'Findings');
      paragraph(doc, report.findings);
      troubleCodes(doc, found);
      recommendations(doc, found);
      section(doc, 'Follow-up');
      paragraph(doc, FOLLOW_UP_LABEL[report.followUp], { bold: true });
      signature(doc, found, submittedAt);
      if (!shared) chargesSummary(doc, options.charges, found.planName);
      doc.moveDown(1);
      paragraph(
        doc,
        'This report is the mechanic’s assessment from a remote session, based on what was described and shown. ' +
          'It is not an in-person inspection; a workshop should confirm it before any repair.',
        { size: 8.5, color: COLORS.muted },
      );
    },
  );
}

/** The report is signed by who wrote it, as on the web: "Report by Sam Lee, Workshop partner". */
function signature(doc: Pdf, found: ReportFacts, submittedAt: Date) {
  doc.moveDown(0.6);
  paragraph(doc, reportSignature(found.mechanic.displayName, found.mechanic.serviceTier), { bold: true });
  const where = found.workshop ? `${found.workshop.name}, ${found.workshop.city} · ` : '';
  paragraph(doc, `${where}Submitted ${formatDateTime(submittedAt)}`, { size: 9, color: COLORS.muted });
}

function vehicleLine({ session }: ReportFacts, shared: boolean): string {
  const v = session.vehicle;
  return [
    v.trim,
    v.engine,
    v.fuel,
    v.mileage !== undefined ? `${v.mileage.toLocaleString('en-US')} miles` : undefined,
    !shared && v.vin ? `VIN ${v.vin}` : undefined,
  ]
    .filter(Boolean)
    .join(' · ');
}

function serviceLine({ mechanic, workshop }: ReportFacts): string {
  const tier = SERVICE_TIER_LABEL[mechanic.serviceTier];
  return workshop ? `${tier} — ${workshop.name}, ${workshop.city}` : tier;
}

function times({ session }: ReportFacts): [string, string][] {
  const rows: [string, string][] = [['Requested', formatDateTime(session.requestedAt)]];
  if (session.startedAt) rows.push(['Started', formatDateTime(session.startedAt)]);
  if (session.endedAt) rows.push(['Ended', formatDateTime(session.endedAt)]);
  if (session.durationMinutes !== null) {
    const extra = session.extendedMinutes > 0 ? ` (with ${session.extendedMinutes} minutes of extra time)` : '';
    rows.push(['Duration', `${session.durationMinutes} minute${session.durationMinutes === 1 ? '' : 's'}${extra}`]);
  }
  return rows;
}

const SEVERITY_TONE: Record<Severity, { fill: string; ink: string; advice: string }> = {
  unsafe_to_drive: {
    fill: COLORS.dangerSoft,
    ink: COLORS.danger,
    advice:
      'The mechanic judged this vehicle unsafe to drive. Do not drive it until the problem is fixed: ' +
      'have it towed, or ask a mobile mechanic to come to it.',
  },
  urgent: {
    fill: COLORS.dangerSoft,
    ink: COLORS.danger,
    advice: 'Have this looked at as soon as you can, and drive only if you must.',
  },
  soon: { fill: COLORS.warnSoft, ink: COLORS.warn, advice: 'Plan a repair soon; the car can be driven meanwhile.' },
  info: { fill: COLORS.okSoft, ink: COLORS.ok, advice: 'Nothing needs fixing urgently.' },
};

function severityBanner(doc: Pdf, severity: Severity) {
  const tone = SEVERITY_TONE[severity];
  const unsafe = severity === 'unsafe_to_drive';
  callout(
    doc,
    tone,
    unsafe ? SEVERITY_LABEL[severity] : `Severity: ${SEVERITY_LABEL[severity]}`,
    tone.advice,
    unsafe ? 18 : 12,
  );
}

function troubleCodes(doc: Pdf, { session, report }: ReportFacts) {
  const read = report.troubleCodes;
  const told = session.troubleCodes.filter((code) => !read.includes(code));
  if (read.length === 0 && told.length === 0) return;
  section(doc, 'Trouble codes');
  const rows = [
    ...read.map((code) => [code, describeTroubleCode(code)?.description ?? '', 'Confirmed by the mechanic']),
    ...told.map((code) => [code, describeTroubleCode(code)?.description ?? '', 'Given by the owner']),
  ];
  table(
    doc,
    [
      { header: 'Code', width: 0.12 },
      { header: 'What it means', width: 0.56 },
      { header: 'Source', width: 0.32 },
    ],
    rows,
  );
}

function recommendations(doc: Pdf, { report }: ReportFacts) {
  section(doc, 'Recommendations');
  if (report.recommendations.length === 0) {
    paragraph(doc, 'The mechanic recommends no repair.');
    return;
  }
  table(
    doc,
    [
      { header: 'Recommendation', width: 0.52 },
      { header: 'Urgency', width: 0.2 },
      { header: 'Estimated cost', width: 0.28, align: 'right' },
    ],
    report.recommendations.map((r) => [
      r.title,
      SEVERITY_LABEL[r.urgency] ?? r.urgency,
      costRange(r.estimatedCostMinCents, r.estimatedCostMaxCents, (c) => formatMoney(c)) ?? 'Not estimated',
    ]),
    { inkOf: (row, column) => (column === 1 ? SEVERITY_TONE[report.recommendations[row]!.urgency]?.ink : undefined) },
  );
}

function chargesSummary(doc: Pdf, charges: SessionCharges | null, planName: string) {
  section(doc, 'Receipt summary');
  if (!charges) {
    paragraph(doc, `${planName}: free of charge. Nothing was charged.`);
    return;
  }
  const { payment } = charges;
  const money = (cents: number) => formatMoney(cents, payment.currency);
  const outcome = chargeOutcome(payment);
  if (outcome === 'released' || outcome === 'not_charged') {
    paragraph(doc, `Nothing was charged: the hold of ${money(payment.amountCents)} on the card was released.`);
    return;
  }
  if (outcome === 'pending') {
    paragraph(doc, `${money(payment.amountCents)} is authorised on the card; the charge is being completed.`);
    return;
  }
  const rows: string[][] = [[planName, money(charges.planCents)]];
  if (charges.extensionsCents > 0) rows.push(['Extra time', money(charges.extensionsCents)]);
  rows.push(['Charged', money(payment.capturedCents)]);
  if (payment.refundedCents > 0) rows.push(['Refunded', `−${money(payment.refundedCents)}`]);
  rows.push(['Paid', money(charges.netCents)]);
  const emphasis = new Set([rows.length - 1]);
  table(
    doc,
    [
      { header: 'Item', width: 0.7 },
      { header: 'Amount', width: 0.3, align: 'right' },
    ],
    rows,
    { emphasis },
  );
}
