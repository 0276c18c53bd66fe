import type { UserMatch } from '../accounts/account.repository.js';
import type { PaymentRow, PlanRow, UserRow } from '../db/schema.js';
import type { toSessionDto } from '../sessions/session.dto.js';

/** A `PersonRef`: who someone is, as the console names them. */
export const toPersonRef = (user: Pick<UserRow, 'id' | 'name' | 'email'>) => ({
  id: user.id,
  name: user.name,
  email: user.email,
});

/** An account the console's search found (`UserSearchItem`). */
export function toUserSearchItem({ user, displayName, approvalStatus }: UserMatch) {
  return {
    id: user.id,
    role: user.role,
    name: user.name,
    email: user.email,
    banned: user.banned,
    displayName,
    approvalStatus,
  };
}

/**
 * A session as the console lists it (`AdminSessionItem`): the session, its customer and mechanic by
 * name, and its price — what was held at checkout, or the plan's price when nothing was (free).
 */
export function toAdminSessionItem(
  session: ReturnType<typeof toSessionDto>,
  people: Map<string, UserRow>,
  plan: PlanRow | undefined,
  payment: PaymentRow | undefined,
) {
  const person = (id: string) => {
    const user = people.get(id);
    // Accounts are never deleted while their sessions exist (foreign keys); said plainly if one is.
    return user ? toPersonRef(user) : { id, name: 'Unknown account', email: '' };
  };
  return {
    ...session,
    customer: person(session.customerId),
    mechanic: session.mechanicId ? person(session.mechanicId) : null,
    price: {
      planName: plan?.name ?? session.plan,
      cents: payment?.amountCents ?? plan?.priceCents ?? 0,
      currency: payment?.currency ?? plan?.currency ?? 'USD',
      paymentStatus: payment?.status ?? null,
      chargedCents: payment?.capturedCents ?? 0,
      refundedCents: payment?.refundedCents ?? 0,
    },
  };
}
