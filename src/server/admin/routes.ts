import { z } from 'zod';
import {
  AddMemberBody,
  AdminMechanicsQuery,
  AdminReasonBody,
  AdminSessionsQuery,
  CreateWorkshopBody,
  ForceEndBody,
  Id,
  IdParams,
  MechanicInspectQuery,
} from '../../shared/api.js';
import { AppError } from '../errors.js';
import {
  addWorkshopMember,
  approveMechanic,
  createWorkshop,
  listMechanics,
  setCanAccept,
  suspendMechanic,
  toMechanicDto,
} from '../mechanics/mechanics.service.js';
import type { App, RouteDeps } from '../platform/routing.js';
import { listSessionsPage } from '../sessions/list-sessions.js';
import { toSessionDto } from '../sessions/session.dto.js';
import { listAdminActions } from '../audit/audit.repository.js';
import { forceEndSession } from '../sessions/force-end-session.js';
import { inspectMechanic } from './inspect-mechanic.js';
import { inspectSession } from './inspect-session.js';
import { findViolations } from './invariants.js';

const tags = ['admin'];
const UserParams = z.strictObject({ userId: Id });
const AuditQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  before: z.coerce.number().int().min(1).optional(),
});

export function adminRoutes(app: App, { ctx, auth, config }: RouteDeps): void {
  const admin = (request: Parameters<typeof auth.requireActor>[0]) => auth.requireActor(request, 'admin');

  app.get(
    '/api/admin/sessions',
    {
      schema: {
        tags,
        summary: 'All sessions; stuck=true lists open sessions past their deadline',
        querystring: AdminSessionsQuery,
      },
    },
    async (request) => {
      await admin(request);
      const q = request.query;
      return listSessionsPage(
        ctx,
        {
          statuses: q.status ? [q.status] : undefined,
          kind: q.kind,
          stuckAt: q.stuck === 'true' ? ctx.clock.now() : undefined,
        },
        q.limit,
        q.cursor,
      );
    },
  );

  app.get(
    '/api/admin/sessions/:id/inspect',
    {
      schema: {
        tags,
        summary: 'Explain one session: state, participants, timeline, deadline, violations',
        params: IdParams,
      },
    },
    async (request) => {
      await admin(request);
      return inspectSession(ctx, request.params.id, config.sweepIntervalMs);
    },
  );

  app.get(
    '/api/admin/mechanics/inspect',
    {
      schema: {
        tags,
        summary: 'Explain why a mechanic can or cannot see each request',
        querystring: MechanicInspectQuery,
      },
    },
    async (request) => {
      await admin(request);
      return inspectMechanic(ctx, request.query);
    },
  );

  app.get(
    '/api/admin/invariants',
    { schema: { tags, summary: 'Check invariants I1–I7 over the whole database' } },
    async (request) => {
      await admin(request);
      const violations = await findViolations(ctx.db, {
        now: ctx.clock.now(),
        sweepIntervalMs: config.sweepIntervalMs,
      });
      return { ok: violations.length === 0, violations };
    },
  );

  app.post(
    '/api/admin/sessions/:id/force-end',
    { schema: { tags, summary: 'Force-end an open session (T13)', params: IdParams, body: ForceEndBody } },
    async (request) => {
      const actor = await admin(request);
      const result = await forceEndSession(ctx, actor, request.params.id, request.body.reason);
      return toSessionDto(result.session, result.participants);
    },
  );

  app.get(
    '/api/admin/mechanics',
    { schema: { tags, summary: 'Mechanics, optionally by approval status', querystring: AdminMechanicsQuery } },
    async (request) => {
      await admin(request);
      return { items: await listMechanics(ctx, request.query.approval) };
    },
  );

  const mechanicAction = (
    path: string,
    summary: string,
    run: typeof approveMechanic | typeof suspendMechanic | 'can-accept',
  ) =>
    app.post(
      `/api/admin/mechanics/:userId/${path}`,
      { schema: { tags, summary, params: UserParams, body: AdminReasonBody } },
      async (request) => {
        const actor = await admin(request);
        const { reason, value, endActiveSession } = request.body;
        if (run === suspendMechanic) {
          return toMechanicDto(await suspendMechanic(ctx, actor, request.params.userId, reason, { endActiveSession }));
        }
        if (run === 'can-accept') {
          if (value === undefined) {
            throw new AppError('VALIDATION_FAILED', 'Say whether the mechanic may accept sessions', {
              errors: [{ path: 'body.value', message: 'is required' }],
            });
          }
          return toMechanicDto(await setCanAccept(ctx, actor, request.params.userId, value, reason));
        }
        return toMechanicDto(await run(ctx, actor, request.params.userId, reason));
      },
    );
  mechanicAction('approve', 'Approve a mechanic', approveMechanic);
  mechanicAction('suspend', 'Suspend a mechanic (also takes them off shift)', suspendMechanic);
  mechanicAction('can-accept', 'Allow or stop a mechanic accepting sessions', 'can-accept');

  app.post(
    '/api/admin/workshops',
    { schema: { tags, summary: 'Create a workshop', body: CreateWorkshopBody } },
    async (request, reply) => {
      const actor = await admin(request);
      const row = await createWorkshop(ctx, actor, request.body);
      return reply
        .status(201)
        .send({ id: row.id, name: row.name, city: row.city, country: row.country, status: row.status });
    },
  );

  app.post(
    '/api/admin/workshops/:id/members',
    { schema: { tags, summary: 'Make a mechanic a partner of this workshop', params: IdParams, body: AddMemberBody } },
    async (request) => {
      const actor = await admin(request);
      const row = await addWorkshopMember(
        ctx,
        actor,
        request.params.id,
        request.body.userId,
        request.body.reason ?? 'workshop member',
      );
      return toMechanicDto(row);
    },
  );

  app.get(
    '/api/admin/audit',
    { schema: { tags, summary: 'Admin actions, newest first', querystring: AuditQuery } },
    async (request) => {
      await admin(request);
      const rows = await listAdminActions(ctx.db, request.query.limit, request.query.before);
      return {
        items: rows.map((r) => ({ ...r, createdAt: r.createdAt.toISOString() })),
      };
    },
  );
}
