import { admin as endpoints } from '../../shared/contract/index.js';
import { listAdminActions } from '../audit/audit.repository.js';
import { toWorkshopDto } from '../catalogue/catalogue.dto.js';
import { createWorkshop } from '../catalogue/create-workshop.js';
import { AppError } from '../errors.js';
import {
  addWorkshopMember,
  approveMechanic,
  declineMechanic,
  setCanAccept,
  suspendMechanic,
} from '../mechanics/change-standing.js';
import { toMechanicDto } from '../mechanics/mechanic.dto.js';
import { listMechanics } from '../mechanics/mechanic.repository.js';
import { route, type App, type RouteDeps } from '../platform/routing.js';
import { forceEndSession } from '../sessions/force-end-session.js';
import { toSessionDto } from '../sessions/session.dto.js';
import { findUsers } from './find-users.js';
import { inspectMechanic } from './inspect-mechanic.js';
import { inspectSession } from './inspect-session.js';
import { findViolations } from './invariants.repository.js';
import { listAdminSessions } from './list-admin-sessions.js';

/** The operations console's API; every route needs an admin (checked before the body is read). */
export function adminRoutes(app: App, { ctx, auth, config }: RouteDeps): void {
  const admin = (request: Parameters<typeof auth.requireActor>[0]) => auth.requireActor(request, 'admin');

  route(app, endpoints.sessions, async (request) => {
    await admin(request);
    const q = request.query;
    return listAdminSessions(
      ctx,
      {
        statuses: q.status ? [q.status] : undefined,
        kind: q.kind,
        stuckAt: q.stuck === 'true' ? ctx.clock.now() : undefined,
        customerId: q.customerId,
        mechanicId: q.mechanicId,
      },
      q.limit,
      q.cursor,
    );
  });

  route(app, endpoints.users, async (request) => {
    await admin(request);
    return findUsers(ctx, request.query);
  });

  route(app, endpoints.inspectSession, async (request) => {
    await admin(request);
    return inspectSession(ctx, request.params.id, config.sweepIntervalMs);
  });

  route(app, endpoints.inspectMechanic, async (request) => {
    await admin(request);
    return inspectMechanic(ctx, request.query);
  });

  route(app, endpoints.invariants, async (request) => {
    await admin(request);
    const violations = await findViolations(ctx.db, {
      now: ctx.clock.now(),
      sweepIntervalMs: config.sweepIntervalMs,
      noShowFeePercent: ctx.payments.noShowFeePercent,
    });
    return { ok: violations.length === 0, violations };
  });

  route(app, endpoints.forceEnd, async (request) => {
    const actor = await admin(request);
    const result = await forceEndSession(ctx, actor, request.params.id, request.body.reason);
    return toSessionDto(result.session, result.participants);
  });

  route(app, endpoints.mechanics, async (request) => {
    await admin(request);
    const rows = await listMechanics(ctx.db, request.query.approval);
    return { items: rows.map((r) => ({ ...toMechanicDto(r.mechanic), email: r.email, name: r.name })) };
  });

  route(app, endpoints.approve, async (request) => {
    const actor = await admin(request);
    return toMechanicDto(await approveMechanic(ctx, actor, request.params.userId, request.body.reason));
  });

  route(app, endpoints.decline, async (request) => {
    const actor = await admin(request);
    return toMechanicDto(await declineMechanic(ctx, actor, request.params.userId, request.body.reason));
  });

  route(app, endpoints.suspend, async (request) => {
    const actor = await admin(request);
    const { reason, endActiveSession } = request.body;
    return toMechanicDto(await suspendMechanic(ctx, actor, request.params.userId, reason, { endActiveSession }));
  });

  route(app, endpoints.canAccept, async (request) => {
    const actor = await admin(request);
    const { reason, value } = request.body;
    if (value === undefined) {
      throw new AppError('VALIDATION_FAILED', 'Say whether the mechanic may accept sessions', {
        errors: [{ path: 'body.value', message: 'is required' }],
      });
    }
    return toMechanicDto(await setCanAccept(ctx, actor, request.params.userId, value, reason));
  });

  route(app, endpoints.createWorkshop, async (request) => {
    const actor = await admin(request);
    const row = await createWorkshop(ctx, actor, request.body);
    return { ...toWorkshopDto(row), status: row.status };
  });

  route(app, endpoints.addMember, async (request) => {
    const actor = await admin(request);
    const { userId, reason } = request.body;
    return toMechanicDto(await addWorkshopMember(ctx, actor, request.params.id, userId, reason ?? 'workshop member'));
  });

  route(app, endpoints.audit, async (request) => {
    await admin(request);
    const rows = await listAdminActions(ctx.db, request.query.limit, request.query.before);
    return { items: rows.map((r) => ({ ...r, createdAt: r.createdAt.toISOString() })) };
  });
}
