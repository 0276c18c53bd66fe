import { useEffect, useRef, useState, type FormEvent } from 'react';
import type { Stripe, StripeElements } from '@stripe/stripe-js';
import { loadStripe } from '@stripe/stripe-js/pure';
import { payments, type Plan } from '../../../shared/contract';
import { Notice } from '../../components/ui';
import { call } from '../../lib/api';
import { problemSentence } from '../../lib/form-errors';
import { declineMessage } from '../../lib/payment-words';

/**
 * The card form when Stripe takes the payments: Stripe's Payment Element, in Stripe's own frame.
 * The card goes to Stripe, never to our server; we hand it the payment's client secret and learn
 * the outcome from Stripe (and, authoritatively, from its webhook). Loaded only on Stripe servers.
 */
export function StripeCardStep(props: {
  plan: Plan;
  publishableKey: string;
  price: string;
  onAuthorized: (paymentId: string) => Promise<void>;
  onBack: () => void;
}) {
  const mount = useRef<HTMLDivElement>(null);
  const [stripe, setStripe] = useState<{ stripe: Stripe; elements: StripeElements; paymentId: string } | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const { plan, publishableKey } = props;

  useEffect(() => {
    let cancelled = false;
    void (async () => {
      try {
        const [client, payment] = await Promise.all([
          loadStripe(publishableKey),
          call(payments.checkout, { body: { plan: plan.slug } }),
        ]);
        if (cancelled || !client || !payment.clientSecret || !mount.current) return;
        const elements = client.elements({ clientSecret: payment.clientSecret });
        elements.create('payment').mount(mount.current);
        setStripe({ stripe: client, elements, paymentId: payment.id });
      } catch (caught) {
        if (!cancelled) setProblem(problemSentence(caught));
      }
    })();
    return () => {
      cancelled = true;
    };
  }, [plan.slug, publishableKey]);

  const pay = async (event: FormEvent) => {
    event.preventDefault();
    if (!stripe) return;
    setBusy(true);
    setProblem(null);
    try {
      const { error, paymentIntent } = await stripe.stripe.confirmPayment({
        elements: stripe.elements,
        redirect: 'if_required',
      });
      if (error)
        return setProblem(
          error.type === 'card_error'
            ? declineMessage(error.decline_code ?? error.code)
            : (error.message ?? 'The payment could not be made.'),
        );
      if (paymentIntent?.status === 'requires_capture') await props.onAuthorized(stripe.paymentId);
      else setProblem('The card was not authorised. Try another card.');
    } finally {
      setBusy(false);
    }
  };

  return (
    <form onSubmit={(e) => void pay(e)} className="space-y-4" aria-label="Card">
      {problem && <Notice tone="error">{problem}</Notice>}
      <div ref={mount} className="min-h-24" aria-busy={!stripe} />
      <div className="flex flex-wrap gap-2">
        <button type="button" className="btn-secondary" onClick={props.onBack} disabled={busy}>
          Back
        </button>
        <button className="btn-primary flex-1 py-3 text-base" disabled={busy || !stripe}>
          {busy ? 'Authorising…' : `Authorise ${props.price} and find a mechanic`}
        </button>
      </div>
    </form>
  );
}
