import type { Ctx } from '../context.js';
import { findWorkshop } from '../catalogue/catalogue.repository.js';
import { AppError } from '../errors.js';

/** The active workshop a workshop partner belongs to, or a field error naming `field`. */
export async function requireActiveWorkshop(ctx: Ctx, workshopId: string | undefined, field: string) {
  if (!workshopId) {
    throw new AppError('VALIDATION_FAILED', 'A workshop partner needs a workshop', {
      errors: [{ path: field, message: 'is required for the workshop_partner tier' }],
    });
  }
  const workshop = await findWorkshop(ctx.db, workshopId);
  if (!workshop || workshop.status !== 'active') {
    throw new AppError('VALIDATION_FAILED', 'No such active workshop', {
      errors: [{ path: field, message: 'is not an active workshop' }],
    });
  }
  return workshop;
}
