import { IdParams, ReportBody, ReviewBody } from '../../shared/api.js';
import type { App, RouteDeps } from '../platform/routing.js';
import { getReport, saveReport, submitReview, toReportDto } from './reports.service.js';

const tags = ['reports'];

export function reportRoutes(app: App, { ctx, auth }: RouteDeps): void {
  app.put(
    '/api/sessions/:id/report',
    { schema: { tags, summary: 'Save a draft or submit the report', params: IdParams, body: ReportBody } },
    async (request) => {
      const actor = await auth.requireActor(request);
      return toReportDto(await saveReport(ctx, actor, request.params.id, request.body));
    },
  );

  app.get(
    '/api/sessions/:id/report',
    { schema: { tags, summary: 'The report', params: IdParams } },
    async (request) => {
      const actor = await auth.requireActor(request);
      return toReportDto(await getReport(ctx, actor, request.params.id));
    },
  );

  app.post(
    '/api/sessions/:id/review',
    { schema: { tags, summary: 'Rate a completed session', params: IdParams, body: ReviewBody } },
    async (request, reply) => {
      const actor = await auth.requireActor(request);
      const review = await submitReview(ctx, actor, request.params.id, request.body);
      return reply.status(201).send({
        sessionId: review.sessionId,
        rating: review.rating,
        comment: review.comment,
        createdAt: review.createdAt.toISOString(),
      });
    },
  );
}
