import { applyExtensionHandler } from '../payments/extend-session.js';
import { refundHandler } from '../payments/issue-refund.js';
import { transferHandler, weeklyPayoutsHandler } from '../payments/run-payouts.js';
import { settlePaymentHandler, voidUnattachedHandler } from '../payments/settle-payment.js';
import { deliverWebhookHandler } from '../webhooks/deliver-webhook.js';
import { notifyHandler } from '../notifications/announce.js';
import { sendEmailHandler } from '../notifications/send-email.js';
import type { JobHandler } from './queue.js';

/** Every kind of durable job, by area. The runner refuses (dead letter) a kind it has no handler for. */
export const JOB_HANDLERS: JobHandler[] = [
  settlePaymentHandler,
  voidUnattachedHandler,
  applyExtensionHandler,
  refundHandler,
  transferHandler,
  weeklyPayoutsHandler,
  notifyHandler,
  sendEmailHandler,
  deliverWebhookHandler,
];
