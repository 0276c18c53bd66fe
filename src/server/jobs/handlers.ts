import { applyExtensionHandler } from '../payments/extend-session.js';
import { refundHandler } from '../payments/issue-refund.js';
import { transferHandler, weeklyPayoutsHandler } from '../payments/run-payouts.js';
import { settlePaymentHandler, voidUnattachedHandler } from '../payments/settle-payment.js';
import type { JobHandler } from './queue.js';

/** Every kind of durable job, by area. The runner refuses (dead letter) a kind it has no handler for. */
export const JOB_HANDLERS: JobHandler[] = [
  settlePaymentHandler,
  voidUnattachedHandler,
  applyExtensionHandler,
  refundHandler,
  transferHandler,
  weeklyPayoutsHandler,
];
