import type { Session, SessionMoney } from '../../../shared/contract';
import { promisedEnd } from '../../../shared/domain';
import { money } from '../../lib/format';
import { cardWords } from '../../lib/payment-words';

/** What the "End the session?" dialog says: the time left, and what happens to the money (payments.md §3). */
export type EndWords = {
  title: string;
  /** How much time is left, or why the session is not running yet. */
  time: string;
  /** What ending now does to the card. */
  payment: string;
};

type EndingSession = Pick<
  Session,
  'status' | 'plan' | 'startedAt' | 'plannedMinutes' | 'extendedMinutes' | 'deadlineAt' | 'participants'
>;

const minutes = (n: number) => (n === 1 ? '1 minute' : `${n} minutes`);

/** "You have 12 minutes left." — rounded up, as the countdown's 11:40 reads "12 minutes" to a person. */
export function timeLeftWords(msLeft: number): string {
  if (msLeft <= 0) return 'Your time is up: the session closes by itself in a moment.';
  if (msLeft < 60_000) return 'You have less than a minute left.';
  return `You have ${minutes(Math.ceil(msLeft / 60_000))} left.`;
}

/**
 * The dialog's words for the participant about to end a session, following the lifecycle
 * (domain.md T7, T8, T10) and the money rules (payments.md §3): a live session is completed and
 * the plan's price captured, however much time is left; one that never started is cancelled (or
 * recorded as the other side's no-show once the join window has passed) and the hold released —
 * except a customer's own no-show, which costs the no-show fee. `view` is the session's money
 * (null while it loads: the words then say what happens without the amount).
 */
export function endWords(input: {
  session: EndingSession;
  role: 'customer' | 'mechanic';
  view: SessionMoney | null;
  now: number;
}): EndWords {
  const { session, role, view, now } = input;
  const free = session.plan === 'free' || view?.outcome === 'free';
  const payment = view?.payment ?? null;
  const held = payment ? money(payment.amountCents, payment.currency) : null;

  if (session.status === 'live' && session.startedAt) {
    const end = promisedEnd(new Date(session.startedAt), session.plannedMinutes, session.extendedMinutes);
    const time = timeLeftWords(end.getTime() - now);
    if (free) return { title: 'End the session now?', time, payment: 'This is a free session: nothing is charged.' };
    if (role === 'mechanic') {
      return {
        title: 'End the session now?',
        time,
        payment:
          'Ending now completes the session: the customer is charged for it and your share goes to your earnings.',
      };
    }
    const card = payment?.card ? ` (${cardWords(payment.card)})` : '';
    const extra = (view?.extensions ?? [])
      .filter((x) => x.status === 'succeeded')
      .reduce((sum, x) => sum + x.amountCents, 0);
    const already =
      extra > 0 ? ` The ${money(extra, payment?.currency)} for added time was charged when you added it.` : '';
    return {
      title: 'End the session now?',
      time,
      payment: held
        ? `Ending now charges your card${card} ${held} for this session — the full price, whatever time is left.${already}`
        : 'Ending now completes the session and charges your card the plan’s price, whatever time is left.',
    };
  }

  // Not started (accepted, or still pending): cancelled, or a no-show once the join window has passed.
  const joinWindowPassed =
    session.status === 'accepted' && session.deadlineAt !== null && now >= Date.parse(session.deadlineAt);
  const other = session.participants.find((p) => p.role !== role);
  const otherMissed = joinWindowPassed && !other?.joinedAt;
  const time = otherMissed
    ? `The ${role === 'customer' ? 'mechanic' : 'customer'} did not join in time: ending now records that they missed the session.`
    : 'The session has not started yet: ending now cancels it.';
  if (role === 'mechanic') {
    return {
      title: 'End the session before it starts?',
      time,
      payment: free
        ? 'This is a free session: nothing is charged.'
        : otherMissed
          ? 'The customer may be charged the no-show fee for the session they missed.'
          : 'The customer is not charged. To let another mechanic take it instead, release it to the queue.',
    };
  }
  return {
    title: 'End the session before it starts?',
    time,
    payment: free
      ? 'This is a free session: nothing is charged.'
      : `Your card will not be charged; the hold${held ? ` of ${held}` : ''} is released.`,
  };
}
