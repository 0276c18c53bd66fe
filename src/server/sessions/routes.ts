import { CreateSessionBody, EndSessionBody, EventsQuery, IdParams, SessionListQuery } from '../../shared/api.js';
import { AppError } from '../errors.js';
import type { App, RouteDeps } from '../platform/routing.js';
import { listSessionsPage } from './list-sessions.js';
import { acceptSession } from './accept-session.js';
import { createSession } from './create-session.js';
import { endSession } from './end-session.js';
import { joinSession } from './join-session.js';
import { listQueue } from './list-queue.js';
import { OPEN_STATUSES, TERMINAL_STATUSES } from './machine.js';
import { releaseSession } from './release-session.js';
import { loadVisibleSession } from './session-access.js';
import { toEventDto, toSessionDto } from './session.dto.js';
import { listEvents } from './session.repository.js';
import type { TransitionResult } from './run-transition.js';

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,200}$/;
const tags = ['sessions'];
const dto = (r: TransitionResult) => toSessionDto(r.session, r.participants);

export function sessionRoutes(app: App, { ctx, auth }: RouteDeps): void {
  app.post(
    '/api/sessions',
    { schema: { tags, summary: 'Request help (T1)', body: CreateSessionBody } },
    async (request, reply) => {
      const actor = await auth.requireActor(request, 'customer');
      const key = request.headers['idempotency-key'];
      if (key !== undefined && (typeof key !== 'string' || !IDEMPOTENCY_KEY.test(key))) {
        throw new AppError('VALIDATION_FAILED', 'Idempotency-Key must be 1–200 printable ASCII characters', {
          errors: [{ path: 'headers.idempotency-key', message: 'is malformed' }],
        });
      }
      const result = await createSession(ctx, actor, request.body, key);
      return reply.status(result.created ? 201 : 200).send(toSessionDto(result.session, result.participants));
    },
  );

  app.get(
    '/api/sessions',
    { schema: { tags, summary: 'My sessions (all, for admins)', querystring: SessionListQuery } },
    async (request) => {
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
    },
  );

  app.get('/api/sessions/:id', { schema: { tags, summary: 'One session', params: IdParams } }, async (request) => {
    const actor = await auth.requireActor(request);
    const { session, participants } = await loadVisibleSession(ctx, actor, request.params.id);
    return toSessionDto(session, participants);
  });

  app.get('/api/mechanic/queue', { schema: { tags, summary: 'Pending sessions I may accept' } }, async (request) => {
    const actor = await auth.requireActor(request, 'mechanic');
    return listQueue(ctx, actor);
  });

  app.post(
    '/api/sessions/:id/accept',
    { schema: { tags, summary: 'Accept (T2)', params: IdParams } },
    async (request) => {
      const actor = await auth.requireActor(request);
      return dto(await acceptSession(ctx, actor, request.params.id));
    },
  );

  app.post(
    '/api/sessions/:id/release',
    { schema: { tags, summary: 'Release (T5)', params: IdParams } },
    async (request) => {
      const actor = await auth.requireActor(request);
      return dto(await releaseSession(ctx, actor, request.params.id));
    },
  );

  app.post('/api/sessions/:id/join', { schema: { tags, summary: 'Join (T6)', params: IdParams } }, async (request) => {
    const actor = await auth.requireActor(request);
    return dto(await joinSession(ctx, actor, request.params.id));
  });

  app.post(
    '/api/sessions/:id/end',
    { schema: { tags, summary: 'End (T3, T7, T8, T10); idempotent', params: IdParams, body: EndSessionBody } },
    async (request) => {
      const actor = await auth.requireActor(request);
      const result = await endSession(ctx, actor, request.params.id, request.body?.reason);
      return { session: dto(result), alreadyEnded: result.alreadyEnded };
    },
  );

  app.get(
    '/api/sessions/:id/events',
    { schema: { tags, summary: 'The session’s event timeline', params: IdParams, querystring: EventsQuery } },
    async (request) => {
      const actor = await auth.requireActor(request);
      await loadVisibleSession(ctx, actor, request.params.id);
      const rows = await listEvents(ctx.db, request.params.id, request.query.after, request.query.limit);
      return { items: rows.map(toEventDto) };
    },
  );
}
