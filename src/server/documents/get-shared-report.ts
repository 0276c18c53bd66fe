import type { Ctx } from '../context.js';
import { AppError } from '../errors.js';
import { findLiveShareLink, findReportFacts, type ReportFacts, type ShareLinkRow } from './document.repository.js';
import { documentFilename, drawReportPdf, type DownloadedPdf } from './render-report-pdf.js';
import { hashShareToken, isShareTokenShape } from './share-token.js';

/*
 * What a share link opens, for anyone holding it (no sign-in): the report, nothing else. Unknown,
 * revoked and expired links are the same 404, so a link's history cannot be read from its answer.
 */

const GONE = 'This link does not work: it may have expired or been revoked. Ask for a new one.';

export async function getSharedReport(ctx: Ctx, token: string): Promise<{ found: ReportFacts; link: ShareLinkRow }> {
  if (!isShareTokenShape(token)) throw new AppError('NOT_FOUND', GONE);
  const link = await findLiveShareLink(ctx.db, hashShareToken(token), ctx.clock.now());
  if (!link) throw new AppError('NOT_FOUND', GONE);
  const found = await findReportFacts(ctx.db, link.sessionId);
  if (!found) throw new AppError('NOT_FOUND', GONE);
  return { found, link };
}

/** The shared report as a PDF: the same document without the VIN, the receipt or any id. */
export async function downloadSharedReportPdf(ctx: Ctx, token: string): Promise<DownloadedPdf> {
  const { found } = await getSharedReport(ctx, token);
  const pdf = await drawReportPdf(found, { charges: null, audience: 'shared' });
  return { pdf, filename: documentFilename('report', found.session.vehicle, found.session.requestedAt) };
}
