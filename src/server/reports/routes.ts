import { reports } from '../../shared/contract/index.js';
import { route, type App, type RouteDeps } from '../platform/routing.js';
import { getReport } from './get-report.js';
import { toReportDto, toReviewDto } from './report.dto.js';
import { saveReport } from './save-report.js';
import { submitReview } from './submit-review.js';

export function reportRoutes(app: App, { ctx, auth }: RouteDeps): void {
  route(app, reports.save, async (request) => {
    const actor = await auth.requireActor(request);
    return toReportDto(await saveReport(ctx, actor, request.params.id, request.body));
  });

  route(app, reports.get, async (request) => {
    const actor = await auth.requireActor(request);
    return toReportDto(await getReport(ctx, actor, request.params.id));
  });

  route(app, reports.review, async (request) => {
    const actor = await auth.requireActor(request);
    return toReviewDto(await submitReview(ctx, actor, request.params.id, request.body));
  });
}
