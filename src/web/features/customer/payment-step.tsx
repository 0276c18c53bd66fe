import { lazy, Suspense, useState, type FormEvent } from 'react';
import { payments, type Payment, type Plan } from '../../../shared/contract';
import { ErrorSummary } from '../../components/error-summary';
import { Field, Notice, Spinner } from '../../components/ui';
import { ApiError, call } from '../../lib/api';
import { problemSentence } from '../../lib/form-errors';
import { CARD } from '../../lib/form-words';
import { money } from '../../lib/format';
import { declineMessage } from '../../lib/payment-words';
import { useEndpoint } from '../../lib/use-endpoint';
import { useFormErrors } from '../../lib/use-form-errors';

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
  const form = useFormErrors(CARD);
  const [busy, setBusy] = useState(false);
  if (!config.data) {
    return config.error ? <Notice tone="error">{problemSentence(config.error)}</Notice> : <Spinner />;
  }
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
    const data = new FormData(event.currentTarget);
    const card = {
      cardNumber: String(data.get('cardNumber') ?? ''),
      expiry: String(data.get('expiry') ?? ''),
      cvc: String(data.get('cvc') ?? '').trim(),
    };
    if (!form.check(card)) return;
    const [month, year] = card.expiry.split('/').map((part) => part.trim());
    setBusy(true);
    try {
      const open = await openPayment();
      const authorized = await call(payments.confirm, {
        params: { id: open.id },
        body: {
          cardNumber: card.cardNumber,
          expMonth: Number(month),
          expYear: year && year.length === 2 ? 2000 + Number(year) : Number(year),
          cvc: card.cvc,
        },
      });
      setPayment(authorized);
      await props.onAuthorized(authorized.id);
    } catch (caught) {
      if (caught instanceof ApiError && caught.code === 'PAYMENT_DECLINED') {
        setPayment(null); // the next attempt is a new payment
        form.show({}, declineMessage(caught.declineCode), caught.code);
      } else {
        form.fail(caught);
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
      {config.data.provider === 'local' ? (
        <form onSubmit={(e) => void pay(e)} onChange={form.onChange} className="space-y-4" noValidate aria-label="Card">
          <ErrorSummary form={form} level={3} />
          <Field
            label="Card number"
            name="cardNumber"
            inputMode="numeric"
            autoComplete="cc-number"
            placeholder="4242 4242 4242 4242"
            required
            {...form.field('cardNumber')}
          />
          <div className="grid grid-cols-2 gap-4">
            <Field
              label="Expiry (MM/YY)"
              name="expiry"
              inputMode="numeric"
              autoComplete="cc-exp"
              placeholder="12/30"
              required
              {...form.field('expiry')}
            />
            <Field
              label="CVC"
              name="cvc"
              inputMode="numeric"
              autoComplete="cc-csc"
              placeholder="123"
              required
              {...form.field('cvc')}
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
