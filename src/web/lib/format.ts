import type { Session } from '../../shared/contract';
import type { SessionStatus } from '../../shared/domain';

/** Times in the viewer's own time zone. */
export const formatTime = (iso: string | null) =>
  iso ? new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' }) : '—';
export const formatClock = (iso: string) =>
  new Date(iso).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });
export const money = (cents: number, currency = 'USD') =>
  cents === 0 ? 'Free' : new Intl.NumberFormat(undefined, { style: 'currency', currency }).format(cents / 100);

export function minutesSince(iso: string, now = Date.now()): string {
  const minutes = Math.max(0, Math.round((now - Date.parse(iso)) / 60_000));
  return minutes < 1 ? 'just now' : minutes === 1 ? '1 minute ago' : `${minutes} minutes ago`;
}

export function countdown(msLeft: number): string {
  const total = Math.max(0, Math.floor(msLeft / 1000));
  const m = Math.floor(total / 60);
  const s = total % 60;
  return `${m}:${String(s).padStart(2, '0')}`;
}

export const STATUS_LABEL: Record<SessionStatus, string> = {
  pending: 'Finding a mechanic',
  accepted: 'Mechanic found',
  live: 'In session',
  completed: 'Completed',
  cancelled: 'Cancelled',
  no_show: 'Missed',
  expired: 'No mechanic available',
};

/** The outcome in words a customer understands. */
export function outcome(session: Session, viewerRole: 'customer' | 'mechanic' | 'admin'): string {
  switch (session.status) {
    case 'completed':
      return session.endReason === 'time_limit'
        ? `Completed — the ${session.plannedMinutes + session.extendedMinutes}-minute session reached its time limit.`
        : session.endReason === 'abandoned'
          ? 'Completed — both sides left the session.'
          : `Completed after ${session.durationMinutes ?? 0} minute${session.durationMinutes === 1 ? '' : 's'}.`;
    case 'cancelled':
      return session.endReason === 'cancelled_before_accept'
        ? 'Cancelled before a mechanic accepted.'
        : session.endReason === 'cancelled_by_mechanic'
          ? 'Cancelled by the mechanic.'
          : session.endReason === 'admin'
            ? 'Ended by AutoDoctor support.'
            : 'Cancelled by the customer.';
    case 'no_show': {
      const party = session.noShowParty;
      if (party === 'both') return 'Missed — neither side joined in time.';
      const mine =
        (viewerRole === 'customer' && party === 'customer') || (viewerRole === 'mechanic' && party === 'mechanic');
      return mine ? 'Missed — you did not join in time.' : `Missed — the ${party} did not join in time.`;
    }
    case 'expired':
      return 'No mechanic was available in time. You were not charged; please try again.';
    default:
      return STATUS_LABEL[session.status];
  }
}
