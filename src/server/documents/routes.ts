import type { FastifyReply } from 'fastify';
import { documents } from '../../shared/contract/index.js';
import { route, type App, type RouteDeps } from '../platform/routing.js';
import { createShareLink } from './create-share-link.js';
import { toShareLinkDto, toShareLinkSummaryDto, toSharedReportDto } from './document.dto.js';
import { downloadSharedReportPdf, getSharedReport } from './get-shared-report.js';
import { listShareLinks } from './list-share-links.js';
import { downloadReportPdf, type DownloadedPdf } from './render-report-pdf.js';
import { downloadReceiptPdf } from './render-receipt-pdf.js';
import { revokeShareLink } from './revoke-share-link.js';

/** Documents (notifications.md §5): the report and receipt PDFs, and share links to the report. */
export function documentRoutes(app: App, { ctx, auth }: RouteDeps): void {
  route(app, documents.reportPdf, async (request, reply) => {
    const actor = await auth.requireActor(request);
    return sendPdf(reply, await downloadReportPdf(ctx, actor, request.params.id));
  });

  route(app, documents.receiptPdf, async (request, reply) => {
    const actor = await auth.requireActor(request);
    return sendPdf(reply, await downloadReceiptPdf(ctx, actor, request.params.id));
  });

  route(app, documents.createShare, async (request) => {
    const actor = await auth.requireActor(request);
    const { link, url } = await createShareLink(ctx, actor, request.params.id);
    return toShareLinkDto(link, url);
  });

  route(app, documents.listShares, async (request) => {
    const actor = await auth.requireActor(request);
    return { items: (await listShareLinks(ctx, actor, request.params.id)).map(toShareLinkSummaryDto) };
  });

  route(app, documents.revokeShare, async (request, reply) => {
    const actor = await auth.requireActor(request);
    await revokeShareLink(ctx, actor, request.params.id, request.params.linkId);
    return reply.code(204).send();
  });

  route(app, documents.sharedReport, async (request, reply) => {
    const { found, link } = await getSharedReport(ctx, request.params.token);
    privateToTheLink(reply);
    return toSharedReportDto(found, link);
  });

  route(app, documents.sharedReportPdf, async (request, reply) => {
    const pdf = await downloadSharedReportPdf(ctx, request.params.token);
    privateToTheLink(reply);
    return sendPdf(reply, pdf);
  });
}

/** Whoever holds the link may read it; no cache or search engine should keep a copy. */
function privateToTheLink(reply: FastifyReply) {
  reply
    .header('x-robots-tag', 'noindex, nofollow')
    .header('referrer-policy', 'no-referrer')
    .header('cache-control', 'private, no-store');
}

function sendPdf(reply: FastifyReply, { pdf, filename }: DownloadedPdf): FastifyReply {
  return reply
    .code(200)
    .type('application/pdf')
    .header('content-length', pdf.length)
    .header('content-disposition', `attachment; filename="${filename}"`)
    .header('cache-control', 'private, no-store')
    .send(pdf);
}
