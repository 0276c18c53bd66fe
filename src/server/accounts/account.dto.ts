import type { MechanicRow, Role } from '../db/schema.js';
import { toMechanicDto } from '../mechanics/mechanic.dto.js';

/** The `Me` object of the contract: the signed-in account, and its mechanic row if it has one. */
export function toMeDto(
  user: { id: string; email: string; name: string; role: Role },
  mechanic: MechanicRow | null | undefined,
) {
  return {
    user: { id: user.id, email: user.email, name: user.name, role: user.role },
    mechanic: mechanic ? toMechanicDto(mechanic) : null,
  };
}
