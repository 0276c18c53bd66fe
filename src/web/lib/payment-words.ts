import type { SessionMoney } from '../../shared/contract';
import { money } from './format';

/** A card refusal in words a customer can act on (Stripe's decline and error codes). */
export function declineMessage(code: string | null | undefined): string {
  switch (code) {
    case 'insufficient_funds':
      return 'The card has insufficient funds. Try another card.';
    case 'incorrect_number':
      return 'The card number does not look right. Check it and try again.';
    case 'expired_card':
      return 'The card has expired. Try another card.';
    case 'incorrect_cvc':
    case 'invalid_cvc':
      return 'The security code (CVC) does not match. Check the 3 digits on the back of the card.';
    case 'test_mode_live_card':
      return 'This is a demo: real cards are not charged here. Use one of the test cards below.';
    default:
      return 'Your bank declined the card. Try another card, or call your bank.';
  }
}

/** What happened to the money of a session, for the customer, in one sentence. */
export function moneyOutcome(view: SessionMoney): string | null {
  const payment = view.payment;
  if (view.outcome === 'free' || !payment)
    return view.outcome === 'free' ? 'This was a free session: nothing to pay.' : null;
  const card = payment.card ? ` to ${cardWords(payment.card)}` : '';
  switch (view.outcome) {
    case 'charged': {
      const refunded = view.refundedCents > 0 ? `, ${money(view.refundedCents, payment.currency)} refunded` : '';
      return `Charged ${money(view.capturedCents, payment.currency)}${card}${refunded}.`;
    }
    case 'released':
      return `Nothing was charged: the hold of ${money(payment.amountCents, payment.currency)} on your card was released.`;
    case 'authorized':
      return `${money(payment.amountCents, payment.currency)} is on hold${card}; it is charged only once the mechanic has helped you.`;
    case 'capture_failed':
      return 'We could not complete the charge; our team is looking at it. You do not need to do anything.';
    default:
      return 'Settling the payment…';
  }
}

const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** "Visa •••• 4242". */
export const cardWords = (card: { brand: string; last4: string }) => `${capitalise(card.brand)} •••• ${card.last4}`;

/** Where a customer's refund request stands, in one sentence. */
export function refundRequestWords(request: {
  status: 'pending' | 'approved' | 'declined';
  decisionNote: string | null;
}): string {
  switch (request.status) {
    case 'pending':
      return 'You asked for a refund. Our support team reviews every request within two business days.';
    case 'approved':
      return 'Your refund request was approved: the money goes back to your card within 5–10 business days.';
    case 'declined':
      return `Your refund request was declined${request.decisionNote ? `: “${request.decisionNote}”` : '.'}`;
  }
}
