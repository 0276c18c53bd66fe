import type { z } from 'zod';
import type { CreateWorkshopBody } from '../../shared/contract/index.js';
import type { Actor } from '../auth/auth.js';
import { recordAdminAction } from '../audit/audit.repository.js';
import type { Ctx } from '../context.js';
import { AppError, uniqueViolation } from '../errors.js';
import { insertWorkshop } from './catalogue.repository.js';

/** An admin adds a workshop (audited); name and city together are unique. */
export async function createWorkshop(ctx: Ctx, admin: Actor, body: z.infer<typeof CreateWorkshopBody>) {
  const now = ctx.clock.now();
  try {
    return await ctx.db.transaction(async (tx) => {
      const row = await insertWorkshop(tx, { name: body.name, city: body.city, country: body.country, createdAt: now });
      await recordAdminAction(tx, {
        adminId: admin.id,
        action: 'workshop.create',
        targetType: 'workshop',
        targetId: row.id,
        reason: body.reason ?? 'new workshop',
        before: null,
        after: row,
        at: now,
      });
      return row;
    });
  } catch (error) {
    if (uniqueViolation(error)) {
      throw new AppError('VALIDATION_FAILED', 'A workshop with this name exists in this city', {
        errors: [{ path: 'body.name', message: 'is taken in this city' }],
      });
    }
    throw error;
  }
}
