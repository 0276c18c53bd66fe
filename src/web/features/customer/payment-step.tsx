import { lazy, Suspense, useState, type FormEvent } from 'react';
import { payments, type Payment, type Plan } from '../../../shared/contract';
import { Field, Notice, Spinner } from '../../components/ui';
import { ApiError, call } from '../../lib/api';
import { money } from '../../lib/format';
import { declineMessage } from '../../lib/payment-words';
import { useEndpoint } from '../../lib/use-endpoint';

// Stripe's card form (and Stripe.js) only for servers where Stripe takes the payments.
const StripeCardStep = lazy(() => import('./stripe-card-step').then((m) => ({ default: m.StripeCardStep })));

const TEST_CARDS = [
  ['4242 4242 4242 4242', 'authorised'],
  ['4000 0000 0000 0002', 'declined'],
  ['4000 0000 0000 9995', 'declined: insufficient funds'],
  ['4000 0000 0000 0341', 'authorised, but declines extra time later'],
] as const;

/**
 * The intake's last step: the price from the server, the promise in plain words, and the card.
 * With the embedded provider the card is posted to our server; with Stripe it goes to Stripe's
 * Payment Element and never reaches us. `onAuthorized` receives the payment to send with the request.
 */
export function PaymentStep(props: {
  plan: Plan;
  urgent: boolean;
  onAuthorized: (paymentId: string) => Promise<void>;
  onBack: () => void;
}) {
  const config = useEndpoint(payments.config, {});
  const [payment, setPayment] = useState<Payment | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [fields, setFields] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  if (!config.data) return config.error ? <Notice tone="error">{config.error.message}</Notice> : <Spinner />;
  const window = props.urgent ? config.data.urgentOfferWindowMinutes : config.data.offerWindowMinutes;
  const price = money(props.plan.priceCents, props.plan.currency);

  /** A payment waiting for a card: the one we have, or a new one after a decline. */
  const openPayment = async () => {
    if (payment && payment.status === 'requires_payment_method') return payment;
    const fresh = await call(payments.checkout, { body: { plan: props.plan.slug } });
    setPayment(fresh);
    return fresh;
  };

  const pay = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const [month, year] = String(form.get('expiry') ?? '')
      .split('/')
      .map((part) => part.trim());
    setBusy(true);
    setProblem(null);
    setFields(null);
    try {
      const open = await openPayment();
      const authorized = await call(payments.confirm, {
        params: { id: open.id },
        body: {
          cardNumber: String(form.get('cardNumber') ?? ''),
          expMonth: Number(month),
          expYear: year && year.length === 2 ? 2000 + Number(year) : Number(year),
          cvc: String(form.get('cvc') ?? ''),
        },
      });
      setPayment(authorized);
      await props.onAuthorized(authorized.id);
    } catch (caught) {
      if (caught instanceof ApiError && caught.code === 'PAYMENT_DECLINED') {
        setPayment(null); // the next attempt is a new payment
        setProblem(declineMessage(caught.declineCode));
      } else if (caught instanceof ApiError && caught.code === 'VALIDATION_FAILED') {
        setFields(caught);
      } else {
        setProblem(caught instanceof ApiError ? caught.message : 'The payment could not be made. Try again.');
      }
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="card space-y-5" aria-labelledby="pay-heading">
      <div>
        <h2 id="pay-heading" className="text-xl font-bold">
          Pay for {props.plan.name}: {price}
        </h2>
        <p className="mt-2 text-sm text-slate-700">
          Your card is <strong>authorised now</strong> and <strong>charged only when a mechanic has helped you</strong>.
          If no mechanic accepts within {window} minutes, the hold is released and nothing is charged.
        </p>
      </div>
      {problem && <Notice tone="error">{problem}</Notice>}
      {config.data.provider === 'local' ? (
        <form onSubmit={(e) => void pay(e)} className="space-y-4" noValidate aria-label="Card">
          <Field
            label="Card number"
            name="cardNumber"
            inputMode="numeric"
            autoComplete="cc-number"
            placeholder="4242 4242 4242 4242"
            required
            error={fields?.field('cardNumber')}
          />
          <div className="grid grid-cols-2 gap-4">
            <Field
              label="Expiry (MM/YY)"
              name="expiry"
              inputMode="numeric"
              autoComplete="cc-exp"
              placeholder="12/30"
              required
              error={fields?.field('expMonth') ?? fields?.field('expYear')}
            />
            <Field
              label="CVC"
              name="cvc"
              inputMode="numeric"
              autoComplete="cc-csc"
              placeholder="123"
              required
              error={fields?.field('cvc')}
            />
          </div>
          {config.data.testCards && (
            <div className="rounded-lg bg-slate-50 p-3 text-xs text-slate-700">
              <p className="font-semibold">Demo payments — no real money. Test cards (any future expiry, any CVC):</p>
              <ul className="mt-1 space-y-0.5">
                {TEST_CARDS.map(([number, result]) => (
                  <li key={number}>
                    <code>{number}</code> {result}
                  </li>
                ))}
              </ul>
            </div>
          )}
          <div className="flex flex-wrap gap-2">
            <button type="button" className="btn-secondary" onClick={props.onBack} disabled={busy}>
              Back
            </button>
            <button className="btn-primary flex-1 py-3 text-base" disabled={busy}>
              {busy ? 'Authorising…' : `Authorise ${price} and find a mechanic`}
            </button>
          </div>
        </form>
      ) : config.data.publishableKey ? (
        <Suspense fallback={<Spinner label="Loading the card form…" />}>
          <StripeCardStep
            plan={props.plan}
            publishableKey={config.data.publishableKey}
            price={price}
            onAuthorized={props.onAuthorized}
            onBack={props.onBack}
          />
        </Suspense>
      ) : (
        <Notice tone="error">Card payments are not set up on this server (STRIPE_PUBLISHABLE_KEY is missing).</Notice>
      )}
    </section>
  );
}
