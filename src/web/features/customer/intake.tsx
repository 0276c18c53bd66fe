import { useState, type FormEvent } from 'react';
import { VIN_MESSAGES, vinProblem } from '../../../shared/vin';
import { accounts, sessions, type CreateSessionBody } from '../../../shared/contract';
import { PaymentStep } from './payment-step';
import { ApiError, call } from '../../lib/api';
import { money } from '../../lib/format';
import { navigate } from '../../lib/router';
import { useEndpoint } from '../../lib/use-endpoint';
import { pendingPhotos } from '../room/pending-photos';
import { Field, Notice, PageTitle, Select, Spinner, TextArea } from '../../components/ui';

/** The customer describes the car and the problem, picks a plan, and optionally a workshop and photos. */
export function Intake() {
  const loadedPlans = useEndpoint(accounts.plans, {});
  const plans = loadedPlans.data?.items ?? null;
  const workshops = useEndpoint(accounts.workshops, {}).data?.items ?? [];
  const [plan, setPlan] = useState('quick');
  const [vin, setVin] = useState('');
  const [photos, setPhotos] = useState<File[]>([]);
  const [submitError, setSubmitError] = useState<ApiError | null>(null);
  // Plans that could not be loaded are reported like a request that failed.
  const error = submitError ?? loadedPlans.error;
  const [busy, setBusy] = useState(false);
  const [idempotencyKey] = useState(() => crypto.randomUUID());
  /** A paid plan's request waits here while the customer pays. */
  const [toPay, setToPay] = useState<CreateSessionBody | null>(null);

  const vinError = vin.trim()
    ? vinProblem(vin.trim())
      ? VIN_MESSAGES[vinProblem(vin.trim())!]
      : undefined
    : undefined;

  /** Sends the request (with its payment, for a paid plan) and goes to the waiting page. */
  const send = async (body: CreateSessionBody) => {
    const session = await call(sessions.create, { headers: { 'idempotency-key': idempotencyKey }, body });
    sessionStorage.setItem(`photos:${session.id}`, String(photos.length));
    pendingPhotos.set(session.id, photos);
    navigate(`/sessions/${session.id}`);
  };

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (vinError) return;
    const form = new FormData(event.currentTarget);
    const mileage = String(form.get('mileage') ?? '').trim();
    const workshopId = String(form.get('workshopId') ?? '');
    const body: CreateSessionBody = {
      plan,
      vehicle: {
        year: Number(form.get('year')),
        make: String(form.get('make')),
        model: String(form.get('model')),
        ...(vin.trim() ? { vin: vin.trim() } : {}),
        ...(mileage ? { mileage: Number(mileage) } : {}),
      },
      concern: String(form.get('concern')),
      urgent: form.get('urgent') === 'on',
      ...(workshopId ? { workshopId } : {}),
    };
    if ((plans?.find((p) => p.slug === plan)?.priceCents ?? 0) > 0) {
      setSubmitError(null);
      setToPay(body);
      return;
    }
    setBusy(true);
    setSubmitError(null);
    try {
      await send(body);
    } catch (caught) {
      // This form has always said it in its own words when the request did not get through.
      setSubmitError(
        caught instanceof ApiError && caught.code !== 'NETWORK'
          ? caught
          : new ApiError(0, 'NETWORK', 'Could not send your request. Try again.'),
      );
    } finally {
      setBusy(false);
    }
  };

  const chosen = plans?.find((p) => p.slug === plan);
  if (toPay && chosen) {
    return (
      <div className="mx-auto max-w-2xl">
        <PageTitle>Get help with your car</PageTitle>
        <PaymentStep
          plan={chosen}
          urgent={Boolean(toPay.urgent)}
          onBack={() => setToPay(null)}
          onAuthorized={async (paymentId) => {
            try {
              await send({ ...toPay, paymentId });
            } catch (caught) {
              // The request itself was refused (e.g. an open session): back to the form, which says why.
              setToPay(null);
              setSubmitError(
                caught instanceof ApiError
                  ? caught
                  : new ApiError(0, 'NETWORK', 'Could not send your request. Try again.'),
              );
            }
          }}
        />
      </div>
    );
  }

  if (!plans && !error) return <Spinner />;
  const thisYear = new Date().getFullYear();
  return (
    <div className="mx-auto max-w-2xl">
      <PageTitle>Get help with your car</PageTitle>
      <form onSubmit={submit} className="space-y-6" noValidate>
        {error && (
          <Notice tone="error">
            {error.code === 'ACTIVE_SESSION_EXISTS' ? (
              <>
                You already have an open session.{' '}
                <a className="underline" href="/app">
                  Go to it
                </a>
                .
              </>
            ) : error.code === 'FREE_PLAN_USED' ? (
              'You have used your free question. Please pick another plan.'
            ) : (
              error.message
            )}
          </Notice>
        )}
        <fieldset className="card grid gap-4 sm:grid-cols-2">
          <legend className="px-1 font-semibold">Your vehicle</legend>
          <Field
            label="Year"
            name="year"
            type="number"
            min={1950}
            max={thisYear + 2}
            defaultValue={thisYear - 6}
            required
            error={error?.field('vehicle.year')}
          />
          <Field label="Make" name="make" placeholder="Toyota" required error={error?.field('vehicle.make')} />
          <Field label="Model" name="model" placeholder="Corolla" required error={error?.field('vehicle.model')} />
          <Field
            label="Mileage (optional)"
            name="mileage"
            type="number"
            min={0}
            inputMode="numeric"
            error={error?.field('vehicle.mileage')}
          />
          <div className="sm:col-span-2">
            <Field
              label="VIN (optional)"
              name="vin"
              value={vin}
              onChange={(e) => setVin(e.target.value.toUpperCase())}
              maxLength={17}
              autoComplete="off"
              spellCheck={false}
              hint="17 characters, on the dashboard by the windscreen or on the driver’s door frame."
              error={vinError ?? error?.field('vehicle.vin')}
            />
          </div>
        </fieldset>
        <fieldset className="card space-y-4">
          <legend className="px-1 font-semibold">The problem</legend>
          <TextArea
            label="What is happening?"
            name="concern"
            minLength={10}
            maxLength={4000}
            required
            placeholder="E.g. a grinding noise from the front left wheel when I brake, since yesterday."
            error={error?.field('concern')}
          />
          <label className="flex items-center gap-2 text-sm">
            <input type="checkbox" name="urgent" className="h-4 w-4" /> It’s urgent (I’m stuck or it feels unsafe)
          </label>
          <div>
            <label htmlFor="photos" className="label">
              Photos (optional)
            </label>
            <input
              id="photos"
              type="file"
              accept="image/jpeg,image/png,image/webp"
              multiple
              className="text-sm"
              onChange={(e) => setPhotos([...(e.target.files ?? [])].slice(0, 5))}
            />
            <p className="mt-1 text-xs text-slate-500">
              Up to 5 photos; they are shared in the chat once a mechanic joins.
            </p>
          </div>
        </fieldset>
        <fieldset className="card space-y-3">
          <legend className="px-1 font-semibold">Plan</legend>
          {plans?.map((p) => (
            <label
              key={p.slug}
              className={`flex cursor-pointer items-center justify-between rounded-lg border p-3 ${plan === p.slug ? 'border-blue-700 bg-blue-50' : 'border-slate-200'}`}
            >
              <span className="flex items-center gap-3">
                <input
                  type="radio"
                  name="plan"
                  value={p.slug}
                  checked={plan === p.slug}
                  onChange={() => setPlan(p.slug)}
                />
                <span>
                  <span className="font-semibold">{p.name}</span>
                  <span className="block text-xs text-slate-600">
                    {p.minutes} min · {p.kind}
                    {p.requiredTier ? ' · with a workshop mechanic' : ''}
                  </span>
                </span>
              </span>
              <span className="font-bold">{money(p.priceCents, p.currency)}</span>
            </label>
          ))}
          {error?.field('plan') && <p className="text-xs text-red-700">{error.field('plan')}</p>}
          {workshops.length > 0 && (
            <Select label="Prefer a specific workshop? (optional)" name="workshopId" defaultValue="">
              <option value="">Any available mechanic</option>
              {workshops.map((w) => (
                <option key={w.id} value={w.id}>
                  {w.name}, {w.city}
                </option>
              ))}
            </Select>
          )}
        </fieldset>
        <button className="btn-primary w-full py-3 text-base" disabled={busy}>
          {busy ? 'Sending…' : (chosen?.priceCents ?? 0) > 0 ? 'Continue to payment' : 'Find me a mechanic'}
        </button>
      </form>
    </div>
  );
}
