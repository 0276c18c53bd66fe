import type { SessionEvent } from '../../../shared/contract';
import type { Role } from '../../../shared/domain';

/*
 * The console's words for the server's codes. The codes stay in the API (scripts and the command
 * line use them); people read these.
 */

export const ROLE_LABEL: Record<Role, string> = { customer: 'Customer', mechanic: 'Mechanic', admin: 'Admin' };

export const APPROVAL_LABEL = {
  pending: 'Waiting for approval',
  approved: 'Approved',
  suspended: 'Suspended or declined',
} as const;

export const TIER_LABEL = { virtual_only: 'Remote only', workshop_partner: 'Workshop partner' } as const;

/** Why a mechanic cannot take a request: the end of "Cannot take it: …". */
export const ELIGIBILITY_LABEL: Record<string, string> = {
  NOT_A_MECHANIC: 'the account is not a mechanic',
  NOT_APPROVED: 'not approved',
  ACCEPT_DISABLED: 'an admin paused their accepting',
  OFF_SHIFT: 'off shift',
  BUSY: 'already in a session',
  TIER_REQUIRED: 'the plan needs a workshop partner',
  OTHER_WORKSHOP: 'the customer chose another workshop',
  RESERVED: 'reserved for the mechanic the customer asked for',
  RELEASED_BEFORE: 'they released it before',
};

export const eligibilityWords = (code: string | null) => (code ? (ELIGIBILITY_LABEL[code] ?? code) : '');

const ACTOR: Record<string, string> = {
  customer: 'the customer',
  mechanic: 'the mechanic',
  system: 'the sweeper',
  admin: 'an admin',
};

/** One line of the timeline: "Requested by the customer", "The mechanic joined", "Ended by the sweeper". */
export function eventWords(event: Pick<SessionEvent, 'type' | 'actorRole'>): string {
  const who = ACTOR[event.actorRole] ?? event.actorRole;
  switch (event.type) {
    case 'session.created':
      return `Requested by ${who}`;
    case 'session.accepted':
      return `Accepted by ${who}`;
    case 'session.released':
      return `Released back to the queue by ${who}`;
    case 'session.joined':
      return `${capitalise(who)} joined`;
    case 'session.started':
      return `Started when ${who} joined`;
    case 'session.extended':
      return `Time added by ${who}`;
    case 'session.ended':
      return `Ended by ${who}`;
    case 'message.created':
      return `Message from ${who}`;
    case 'report.submitted':
      return `Report submitted by ${who}`;
    case 'timer.warning':
      return 'Time warning sent to both';
    default:
      return `${event.type} (${who})`;
  }
}

const capitalise = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);
