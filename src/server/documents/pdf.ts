import PDFDocument from 'pdfkit';
import { PLATFORM, safe } from './document-text.js';

/*
 * The few layout pieces the documents share, on top of pdfkit: a page with the brand at the top
 * and a footer on every page, section titles, label/value rows, tables that break across pages.
 * Every string goes through `safe()` (document-text.ts) on its way in.
 */

export type Pdf = PDFKit.PDFDocument;

export const COLORS = {
  ink: '#0f172a',
  muted: '#475569',
  faint: '#94a3b8',
  rule: '#e2e8f0',
  brand: '#1d4ed8',
  danger: '#b91c1c',
  dangerSoft: '#fee2e2',
  warn: '#b45309',
  warnSoft: '#fef3c7',
  ok: '#15803d',
  okSoft: '#dcfce7',
  soft: '#f1f5f9',
} as const;

const FONT = { regular: 'Helvetica', bold: 'Helvetica-Bold' } as const;

export type PdfMeta = { title: string; subject: string; createdAt: Date; footer: string };

/**
 * Renders a document: `draw` lays out the pages, then every page gets the footer and its number.
 * Resolves with the whole file (documents are small: a few pages of text).
 */
export function renderPdf(meta: PdfMeta, draw: (doc: Pdf) => void): Promise<Buffer> {
  const doc = new PDFDocument({
    size: 'LETTER',
    margins: { top: 54, bottom: 72, left: 56, right: 56 },
    bufferPages: true,
    lang: 'en-US',
    displayTitle: true,
    info: {
      Title: safe(meta.title),
      Subject: safe(meta.subject),
      Author: PLATFORM.name,
      Creator: PLATFORM.name,
      CreationDate: meta.createdAt,
    },
  });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  doc.font(FONT.regular).fontSize(10).fillColor(COLORS.ink);
  draw(doc);
  footers(doc, meta.footer);
  doc.end();
  return done;
}

function footers(doc: Pdf, footer: string) {
  const { start, count } = doc.bufferedPageRange();
  for (let i = start; i < start + count; i++) {
    doc.switchToPage(i);
    // Writing inside the bottom margin would start a new page: lift the margin while we do.
    const bottom = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    const y = doc.page.height - 48;
    const width = contentWidth(doc);
    doc
      .moveTo(left(doc), y - 8)
      .lineTo(left(doc) + width, y - 8)
      .lineWidth(0.5)
      .strokeColor(COLORS.rule)
      .stroke();
    doc
      .font(FONT.regular)
      .fontSize(8)
      .fillColor(COLORS.muted)
      .text(safe(footer), left(doc), y, { width: width - 70, lineBreak: false });
    doc.text(`Page ${i - start + 1} of ${count}`, left(doc) + width - 70, y, {
      width: 70,
      align: 'right',
      lineBreak: false,
    });
    doc.page.margins.bottom = bottom;
  }
}

export const left = (doc: Pdf) => doc.page.margins.left;
export const contentWidth = (doc: Pdf) => doc.page.width - doc.page.margins.left - doc.page.margins.right;
const bottomLimit = (doc: Pdf) => doc.page.height - doc.page.margins.bottom;

/** Starts a new page unless `height` more points fit on this one. */
export function ensureSpace(doc: Pdf, height: number): void {
  if (doc.y + height > bottomLimit(doc)) doc.addPage();
}

/** The brand on the left, the document's name and date on the right, a rule under both. */
export function letterhead(doc: Pdf, documentName: string, dateLine: string): void {
  const x = left(doc);
  const width = contentWidth(doc);
  const top = doc.y;
  doc.font(FONT.bold).fontSize(18).fillColor(COLORS.brand).text(PLATFORM.name, x, top, { lineBreak: false });
  doc
    .font(FONT.regular)
    .fontSize(8.5)
    .fillColor(COLORS.muted)
    .text(PLATFORM.tagline, x, top + 22, { lineBreak: false });
  doc
    .font(FONT.bold)
    .fontSize(12)
    .fillColor(COLORS.ink)
    .text(safe(documentName), x, top + 2, { width, align: 'right' });
  doc
    .font(FONT.regular)
    .fontSize(8.5)
    .fillColor(COLORS.muted)
    .text(safe(dateLine), x, top + 22, { width, align: 'right' });
  const ruleY = top + 40;
  doc
    .moveTo(x, ruleY)
    .lineTo(x + width, ruleY)
    .lineWidth(1)
    .strokeColor(COLORS.brand)
    .stroke();
  doc.x = x;
  doc.y = ruleY + 16;
}

/** A large title with an optional grey line under it. */
export function title(doc: Pdf, text: string, subtitle?: string): void {
  doc
    .font(FONT.bold)
    .fontSize(20)
    .fillColor(COLORS.ink)
    .text(safe(text), left(doc), doc.y, { width: contentWidth(doc) });
  if (subtitle) {
    doc.moveDown(0.15);
    doc
      .font(FONT.regular)
      .fontSize(10)
      .fillColor(COLORS.muted)
      .text(safe(subtitle), { width: contentWidth(doc) });
  }
  doc.moveDown(0.8);
}

/** A section's name: small capitals in the brand's colour, kept with at least a few lines of what follows. */
export function section(doc: Pdf, name: string): void {
  ensureSpace(doc, 60);
  doc.moveDown(0.6);
  doc
    .font(FONT.bold)
    .fontSize(9)
    .fillColor(COLORS.brand)
    .text(safe(name.toUpperCase()), left(doc), doc.y, { width: contentWidth(doc), characterSpacing: 0.6 });
  doc.moveDown(0.35);
}

export function paragraph(doc: Pdf, text: string, options: { bold?: boolean; size?: number; color?: string } = {}) {
  doc
    .font(options.bold ? FONT.bold : FONT.regular)
    .fontSize(options.size ?? 10)
    .fillColor(options.color ?? COLORS.ink)
    .text(safe(text), left(doc), doc.y, { width: contentWidth(doc), lineGap: 2 });
  doc.moveDown(0.4);
}

/** Label/value rows: labels in a narrow grey column, values wrapping beside them. */
export function facts(doc: Pdf, rows: readonly (readonly [string, string])[], labelWidth = 120): void {
  const x = left(doc);
  const valueWidth = contentWidth(doc) - labelWidth;
  for (const [label, value] of rows) {
    doc.font(FONT.regular).fontSize(10);
    const height = Math.max(doc.heightOfString(safe(value), { width: valueWidth, lineGap: 1 }), 12);
    ensureSpace(doc, height + 4);
    const y = doc.y;
    doc.fillColor(COLORS.muted).text(safe(label), x, y, { width: labelWidth - 10 });
    doc.fillColor(COLORS.ink).text(safe(value), x + labelWidth, y, { width: valueWidth, lineGap: 1 });
    doc.x = x;
    doc.y = y + height + 4;
  }
}

export type Column = { header: string; width: number; align?: 'left' | 'right' };

/**
 * A table with a shaded header row, wrapping cells and a rule under each row; a row that does not
 * fit moves to the next page with the header repeated. `widths` are fractions of the page width.
 * `emphasis` rows (totals) are bold.
 */
export function table(
  doc: Pdf,
  columns: readonly Column[],
  rows: readonly (readonly string[])[],
  options: {
    emphasis?: ReadonlySet<number>;
    /** A cell's own ink (an urgency in red), by row and column. */
    inkOf?: (row: number, column: number) => string | undefined;
  } = {},
): void {
  const x = left(doc);
  const total = contentWidth(doc);
  const widths = columns.map((c) => c.width * total);
  const pad = 6;
  const header = () => {
    const y = doc.y;
    doc.rect(x, y, total, 18).fill(COLORS.soft);
    doc.font(FONT.bold).fontSize(8.5).fillColor(COLORS.muted);
    let cx = x;
    columns.forEach((c, i) => {
      doc.text(safe(c.header), cx + pad, y + 5, { width: widths[i]! - 2 * pad, align: c.align ?? 'left' });
      cx += widths[i]!;
    });
    doc.y = y + 18;
  };
  ensureSpace(doc, 40);
  header();
  rows.forEach((row, r) => {
    const rowFont = () => doc.font(options.emphasis?.has(r) ? FONT.bold : FONT.regular).fontSize(10);
    rowFont();
    const height =
      Math.max(...row.map((cell, i) => doc.heightOfString(safe(cell), { width: widths[i]! - 2 * pad, lineGap: 1 }))) +
      2 * pad;
    if (doc.y + height > bottomLimit(doc)) {
      doc.addPage();
      header();
    }
    const y = doc.y;
    let cx = x;
    rowFont();
    row.forEach((cell, i) => {
      doc.fillColor(options.inkOf?.(r, i) ?? COLORS.ink).text(safe(cell), cx + pad, y + pad, {
        width: widths[i]! - 2 * pad,
        align: columns[i]!.align ?? 'left',
        lineGap: 1,
      });
      cx += widths[i]!;
    });
    doc
      .moveTo(x, y + height)
      .lineTo(x + total, y + height)
      .lineWidth(0.5)
      .strokeColor(COLORS.rule)
      .stroke();
    doc.x = x;
    doc.y = y + height;
  });
  doc.moveDown(0.6);
}

/** A coloured box with a bold heading and a line of text: the severity banner, a receipt's status. */
export function callout(
  doc: Pdf,
  tone: { fill: string; ink: string },
  heading: string,
  body: string,
  headingSize = 12,
): void {
  const x = left(doc);
  const width = contentWidth(doc);
  const inner = width - 28;
  doc.font(FONT.bold).fontSize(headingSize);
  const headingHeight = doc.heightOfString(safe(heading), { width: inner });
  doc.font(FONT.regular).fontSize(10);
  const bodyHeight = body ? doc.heightOfString(safe(body), { width: inner, lineGap: 1 }) : 0;
  const height = headingHeight + (body ? bodyHeight + 4 : 0) + 20;
  ensureSpace(doc, height + 8);
  const y = doc.y;
  doc.roundedRect(x, y, width, height, 6).fill(tone.fill);
  doc.rect(x, y, 5, height).fill(tone.ink);
  doc
    .font(FONT.bold)
    .fontSize(headingSize)
    .fillColor(tone.ink)
    .text(safe(heading), x + 16, y + 10, { width: inner });
  if (body) {
    doc
      .font(FONT.regular)
      .fontSize(10)
      .fillColor(COLORS.ink)
      .text(safe(body), x + 16, y + 10 + headingHeight + 4, { width: inner, lineGap: 1 });
  }
  doc.x = x;
  doc.y = y + height + 10;
}
