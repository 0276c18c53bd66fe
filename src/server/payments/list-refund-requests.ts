import type { Ctx } from '../context.js';
import { findUsersByIds } from '../accounts/account.repository.js';
import { toRefundRequestDto } from './payment.dto.js';
import { findPaymentsByIds } from './payment.repository.js';
import { listRefundRequests } from './refund.repository.js';

const STATUSES = {
  pending: ['pending'],
  approved: ['approved'],
  declined: ['declined'],
  all: ['pending', 'approved', 'declined'],
} as const;

/** The admins' queue of customers' refund requests, with who asked and what was charged. */
export async function listRefundRequestsForAdmins(ctx: Ctx, status: keyof typeof STATUSES) {
  const requests = await listRefundRequests(ctx.db, [...STATUSES[status]], 200);
  const [customers, payments] = await Promise.all([
    findUsersByIds(ctx.db, [...new Set(requests.map((r) => r.customerId))]),
    findPaymentsByIds(
      ctx.db,
      requests.map((r) => r.paymentId),
    ),
  ]);
  return requests
    .sort((a, b) => Number(b.status === 'pending') - Number(a.status === 'pending'))
    .map((r) => ({
      ...toRefundRequestDto(r),
      customerEmail: customers.get(r.customerId)?.email ?? null,
      capturedCents: payments.get(r.paymentId)?.capturedCents ?? 0,
    }));
}
