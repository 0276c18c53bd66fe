import { asc, eq } from 'drizzle-orm';
import { ApplyBody, ShiftBody } from '../../shared/api.js';
import { plans } from '../db/schema.js';
import { countOnShift, findMechanic } from '../mechanics/mechanic.repository.js';
import { applyAsMechanic, listActiveWorkshops, setShift, toMechanicDto } from '../mechanics/mechanics.service.js';
import type { App, RouteDeps } from '../platform/routing.js';

export function accountRoutes(app: App, { ctx, auth }: RouteDeps): void {
  app.get('/api/me', { schema: { tags: ['accounts'], summary: 'Who am I' } }, async (request) => {
    const actor = await auth.requireActor(request);
    const mechanic = await findMechanic(ctx.db, actor.id);
    return {
      user: { id: actor.id, email: actor.email, name: actor.name, role: actor.role },
      mechanic: mechanic ? toMechanicDto(mechanic) : null,
    };
  });

  app.post(
    '/api/mechanics/apply',
    { schema: { tags: ['mechanics'], summary: 'Apply to become a mechanic', body: ApplyBody } },
    async (request, reply) => {
      const actor = await auth.requireActor(request);
      const row = await applyAsMechanic(ctx, actor, request.body);
      return reply.status(201).send(toMechanicDto(row));
    },
  );

  app.post(
    '/api/mechanic/shift',
    { schema: { tags: ['mechanics'], summary: 'Go on or off shift', body: ShiftBody } },
    async (request) => {
      const actor = await auth.requireActor(request, 'mechanic');
      return toMechanicDto(await setShift(ctx, actor, request.body.onShift));
    },
  );

  app.get('/api/plans', { schema: { tags: ['catalogue'], summary: 'Active plans' } }, async () => {
    const rows = await ctx.db.select().from(plans).where(eq(plans.active, true)).orderBy(asc(plans.sortOrder));
    return {
      items: rows.map((p) => ({
        slug: p.slug,
        name: p.name,
        kind: p.kind,
        priceCents: p.priceCents,
        currency: p.currency,
        minutes: p.minutes,
        requiredTier: p.requiredTier,
      })),
    };
  });

  app.get('/api/workshops', { schema: { tags: ['catalogue'], summary: 'Active workshops' } }, async () => ({
    items: await listActiveWorkshops(ctx),
  }));

  app.get(
    '/api/mechanics/available',
    { schema: { tags: ['catalogue'], summary: 'How many approved mechanics are on shift' } },
    async () => ({ onShift: await countOnShift(ctx.db) }),
  );
}
