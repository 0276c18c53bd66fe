import type { WebhookDeliveryStatus } from '../../../shared/contract';
import type { WebhookEvent } from '../../../shared/domain';

/** What each event means, for the admin choosing which ones an endpoint receives. */
export const WEBHOOK_EVENT_LABEL: Record<WebhookEvent, string> = {
  'session.created': 'A customer requests a session',
  'session.accepted': 'A mechanic accepts a request',
  'session.live': 'A session goes live',
  'session.ended': 'A session ends',
  'report.submitted': 'A mechanic submits a report',
  'payment.captured': 'A payment is captured',
  'payment.refunded': 'A payment is refunded',
};

export const DELIVERY_STATUS_LABEL: Record<WebhookDeliveryStatus, string> = {
  pending: 'Pending',
  succeeded: 'Delivered',
  failed: 'Failed',
};

export const DELIVERY_STATUS_TONE: Record<WebhookDeliveryStatus, string> = {
  pending: 'bg-amber-100 text-amber-900',
  succeeded: 'bg-green-100 text-green-900',
  failed: 'bg-red-100 text-red-900',
};
