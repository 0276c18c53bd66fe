import { OPEN_STATUSES, TERMINAL_STATUSES } from '../../shared/domain.js';
import { sessions } from '../../shared/contract/index.js';
import { idempotencyKeyOf, route, type App, type RouteDeps } from '../platform/routing.js';
import { acceptSession } from './accept-session.js';
import { createSession } from './create-session.js';
import { endSession } from './end-session.js';
import { getSession } from './get-session.js';
import { joinSession } from './join-session.js';
import { listQueue } from './list-queue.js';
import { listSessionsPage } from './list-sessions.js';
import { releaseSession } from './release-session.js';
import type { TransitionResult } from './run-transition.js';
import { loadVisibleSession } from './session-access.js';
import { toEventDto, toSessionDto } from './session.dto.js';
import { listEvents } from './session.repository.js';

const dto = (r: TransitionResult) => toSessionDto(r.session, r.participants);

export function sessionRoutes(app: App, { ctx, auth }: RouteDeps): void {
  route(app, sessions.create, async (request, reply) => {
    const actor = await auth.requireActor(request, 'customer');
    const result = await createSession(ctx, actor, request.body, idempotencyKeyOf(request));
    reply.code(result.created ? 201 : 200);
    return toSessionDto(result.session, result.participants);
  });

  route(app, sessions.list, async (request) => {
    const actor = await auth.requireActor(request);
    const { status, limit, cursor } = request.query;
    return listSessionsPage(
      ctx,
      {
        customerId: actor.role === 'customer' ? actor.id : undefined,
        mechanicId: actor.role === 'mechanic' ? actor.id : undefined,
        statuses: status === 'active' ? OPEN_STATUSES : status === 'ended' ? TERMINAL_STATUSES : undefined,
      },
      limit,
      cursor,
    );
  });

  route(app, sessions.get, async (request) => {
    const actor = await auth.requireActor(request);
    return getSession(ctx, actor, request.params.id);
  });

  route(app, sessions.queue, async (request) => {
    const actor = await auth.requireActor(request, 'mechanic');
    return listQueue(ctx, actor);
  });

  route(app, sessions.accept, async (request) =>
    dto(await acceptSession(ctx, await auth.requireActor(request), request.params.id)),
  );
  route(app, sessions.release, async (request) =>
    dto(await releaseSession(ctx, await auth.requireActor(request), request.params.id)),
  );
  route(app, sessions.join, async (request) =>
    dto(await joinSession(ctx, await auth.requireActor(request), request.params.id)),
  );

  route(app, sessions.end, async (request) => {
    const actor = await auth.requireActor(request);
    const result = await endSession(ctx, actor, request.params.id, request.body?.reason);
    return { session: dto(result), alreadyEnded: result.alreadyEnded };
  });

  route(app, sessions.events, async (request) => {
    const actor = await auth.requireActor(request);
    await loadVisibleSession(ctx, actor, request.params.id);
    const rows = await listEvents(ctx.db, request.params.id, request.query.after, request.query.limit);
    return { items: rows.map(toEventDto) };
  });
}
