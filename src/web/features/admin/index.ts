/** The admin console, loaded as one chunk (main.tsx): nobody else downloads it. */
export { Approvals } from './approvals';
export { Audit } from './audit';
export { Disputes } from './disputes';
export { Invariants } from './invariants';
export { Outbox } from './outbox';
export { MechanicInspector } from './mechanic-inspector';
export { PaymentStory } from './payment-story';
export { AdminPayments } from './payments-page';
export { Payouts } from './payouts';
export { RefundRequests } from './refund-requests';
export { SessionInspector } from './session-inspector';
export { AdminSessions } from './sessions-page';
export { Workshops } from './workshops';
export { Webhooks } from './webhooks';
