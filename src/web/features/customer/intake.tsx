import { useMemo, useState, type FormEvent } from 'react';
import { accounts, sessions, vehicles, type CreateSessionBody, type SavedVehicle } from '../../../shared/contract';
import { PaymentStep } from './payment-step';
import { WaitlistOffer } from '../notifications/waitlist-offer';
import { ANOTHER_VEHICLE, orderByRecentUse, VehiclePicker } from './vehicle-picker';
import { ApiError, call } from '../../lib/api';
import { money } from '../../lib/format';
import { navigate } from '../../lib/router';
import { useEndpoint } from '../../lib/use-endpoint';
import { pendingPhotos } from '../room/pending-photos';
import {
  draftProblems,
  emptyDraft,
  saveBodyOf,
  serverProblems,
  sessionVehicleOf,
  type VehicleProblems,
} from '../garage/vehicle-draft';
import { VehicleFields } from '../garage/vehicle-fields';
import { TroubleCodeInput } from '../../components/trouble-code-input';
import { TroubleCodeList } from '../../components/trouble-code-list';
import { VehicleSummary } from '../../components/vehicle-summary';
import { Notice, PageTitle, Select, Spinner, TextArea } from '../../components/ui';

const couldNotSend = () => new ApiError(0, 'NETWORK', 'Could not send your request. Try again.');

/**
 * The customer picks the car (a saved one in one click, or another: typed, or filled from its VIN,
 * and saved to the garage if they like), gives the trouble codes they have, describes the problem,
 * picks a plan, and optionally a workshop and photos.
 */
export function Intake() {
  const loadedPlans = useEndpoint(accounts.plans, {});
  const plans = loadedPlans.data?.items ?? null;
  const workshops = useEndpoint(accounts.workshops, {}).data?.items ?? [];
  const garage = useEndpoint(vehicles.list, {});
  const recent = useEndpoint(sessions.list, { query: { status: 'all', limit: 20 } });
  const saved = useMemo(
    () => orderByRecentUse(garage.data?.items ?? [], recent.data?.items ?? []),
    [garage.data, recent.data],
  );
  const [plan, setPlan] = useState('quick');
  /**
   * A saved vehicle's id or ANOTHER_VEHICLE; until the customer chooses, the one the link named
   * (`?vehicle=` from the garage) or else the most recent is preselected.
   */
  const [choice, setChoice] = useState<string | null>(() => new URLSearchParams(location.search).get('vehicle'));
  const [draft, setDraft] = useState(() => emptyDraft(String(new Date().getFullYear() - 6)));
  const [saveToGarage, setSaveToGarage] = useState(false);
  const [codes, setCodes] = useState<string[]>([]);
  const [codeDraft, setCodeDraft] = useState('');
  const [concern, setConcern] = useState('');
  const [urgent, setUrgent] = useState(false);
  const [workshopId, setWorkshopId] = useState('');
  const [photos, setPhotos] = useState<File[]>([]);
  const [submitError, setSubmitError] = useState<ApiError | null>(null);
  /** What the form itself found wrong before sending, or what the garage refused when saving the car. */
  const [vehicleProblems, setVehicleProblems] = useState<VehicleProblems>({});
  const [codesProblem, setCodesProblem] = useState<string | undefined>();
  // Plans that could not be loaded are reported like a request that failed.
  const error = submitError ?? loadedPlans.error;
  const [busy, setBusy] = useState(false);
  const [idempotencyKey] = useState(() => crypto.randomUUID());
  /** A paid plan's request waits here while the customer pays. */
  const [toPay, setToPay] = useState<CreateSessionBody | null>(null);

  const isKnownChoice = choice === ANOTHER_VEHICLE || saved.some((v) => v.id === choice);
  const selected = (isKnownChoice ? choice : null) ?? saved[0]?.id ?? ANOTHER_VEHICLE;
  const isNewVehicle = selected === ANOTHER_VEHICLE;
  const pickedVehicle = isNewVehicle ? draft : saved.find((v) => v.id === selected);
  /** How the waitlist names the car ("2016 Toyota Corolla"). */
  const vehicleLabel = [pickedVehicle?.year, pickedVehicle?.make, pickedVehicle?.model]
    .filter((part) => String(part ?? '').trim())
    .join(' ');
  const problems: VehicleProblems = { ...serverProblems(error, 'vehicle.'), ...vehicleProblems };

  /** Sends the request (with its payment, for a paid plan) and goes to the waiting page. */
  const send = async (body: CreateSessionBody) => {
    const session = await call(sessions.create, { headers: { 'idempotency-key': idempotencyKey }, body });
    sessionStorage.setItem(`photos:${session.id}`, String(photos.length));
    pendingPhotos.set(session.id, photos);
    navigate(`/sessions/${session.id}`);
  };

  /** Saves the vehicle typed in to the garage; from then on the intake offers it like any saved one. */
  const saveVehicle = async (): Promise<SavedVehicle | null> => {
    try {
      const vehicle = await call(vehicles.create, { body: saveBodyOf(draft) });
      garage.setData((current) => current && { items: [...current.items, vehicle] });
      setChoice(vehicle.id);
      setSaveToGarage(false);
      setDraft(emptyDraft(String(new Date().getFullYear() - 6)));
      return vehicle;
    } catch (caught) {
      const refused = caught instanceof ApiError ? caught : couldNotSend();
      const fields = serverProblems(refused);
      setVehicleProblems(fields);
      setSubmitError(Object.keys(fields).length > 0 ? null : refused);
      return null;
    }
  };

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const local = isNewVehicle ? draftProblems(draft) : {};
    const pendingCode = codeDraft.trim()
      ? 'Add the code you typed (press Enter) or clear the field before sending.'
      : undefined;
    setVehicleProblems(local);
    setCodesProblem(pendingCode);
    if (Object.keys(local).length > 0 || pendingCode) {
      setSubmitError(null);
      return;
    }
    setBusy(true);
    setSubmitError(null);
    try {
      let vehicle: Pick<CreateSessionBody, 'vehicle' | 'vehicleId'>;
      if (isNewVehicle && saveToGarage) {
        const savedVehicle = await saveVehicle();
        if (!savedVehicle) return;
        vehicle = { vehicleId: savedVehicle.id };
      } else {
        vehicle = isNewVehicle ? { vehicle: sessionVehicleOf(draft) } : { vehicleId: selected };
      }
      const body: CreateSessionBody = {
        plan,
        ...vehicle,
        ...(codes.length > 0 ? { troubleCodes: codes } : {}),
        concern,
        urgent,
        ...(workshopId ? { workshopId } : {}),
      };
      if ((plans?.find((p) => p.slug === plan)?.priceCents ?? 0) > 0) {
        setToPay(body);
        return;
      }
      await send(body);
    } catch (caught) {
      // This form has always said it in its own words when the request did not get through.
      setSubmitError(caught instanceof ApiError && caught.code !== 'NETWORK' ? caught : couldNotSend());
    } finally {
      setBusy(false);
    }
  };

  const chosen = plans?.find((p) => p.slug === plan);
  if (toPay && chosen) {
    const chosenVehicle = toPay.vehicleId ? saved.find((v) => v.id === toPay.vehicleId) : toPay.vehicle;
    return (
      <div className="mx-auto max-w-2xl space-y-4">
        <PageTitle>Get help with your car</PageTitle>
        {chosenVehicle && (
          <section className="card space-y-3" aria-labelledby="request-summary">
            <h2 id="request-summary" className="text-xs font-semibold uppercase tracking-wide text-slate-600">
              Your request
            </h2>
            <VehicleSummary vehicle={chosenVehicle} />
            <p className="line-clamp-2 text-sm text-slate-700">{toPay.concern}</p>
            <TroubleCodeList codes={toPay.troubleCodes ?? []} />
          </section>
        )}
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
              setSubmitError(caught instanceof ApiError ? caught : couldNotSend());
            }
          }}
        />
      </div>
    );
  }

  const loadingGarage = !garage.data && !garage.error;
  const loadingRecent = !recent.data && !recent.error;
  if ((!plans && !error) || loadingGarage || loadingRecent) return <Spinner />;
  const vehicleIdProblem = error?.field('vehicleId');
  return (
    <div className="mx-auto max-w-2xl">
      <PageTitle>Get help with your car</PageTitle>
      <form onSubmit={(e) => void submit(e)} className="space-y-6" noValidate>
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
        <fieldset className="card space-y-4">
          <legend className="px-1 font-semibold">Your vehicle</legend>
          {saved.length > 0 && (
            <VehiclePicker
              vehicles={saved}
              selected={selected}
              onSelect={(next) => {
                setChoice(next);
                setVehicleProblems({});
              }}
              error={vehicleIdProblem}
            />
          )}
          {isNewVehicle && (
            <>
              <VehicleFields draft={draft} setDraft={setDraft} problems={problems} details={saveToGarage} />
              <label className="flex items-start gap-2 text-sm">
                <input
                  type="checkbox"
                  className="mt-0.5 h-4 w-4"
                  checked={saveToGarage}
                  onChange={(e) => setSaveToGarage(e.target.checked)}
                />
                <span>
                  Save this vehicle to my garage
                  <span className="block text-xs text-slate-600">
                    Next time it is one click, and its sessions and reports are kept together as its service history.
                  </span>
                </span>
              </label>
            </>
          )}
        </fieldset>
        <fieldset className="card space-y-4">
          <legend className="px-1 font-semibold">The problem</legend>
          <TextArea
            label="What is happening?"
            name="concern"
            minLength={10}
            maxLength={4000}
            required
            value={concern}
            onChange={(e) => setConcern(e.target.value)}
            placeholder="E.g. a grinding noise from the front left wheel when I brake, since yesterday."
            error={error?.field('concern')}
          />
          <TroubleCodeInput
            value={codes}
            onChange={(next) => {
              setCodes(next);
              setCodesProblem(undefined);
            }}
            onDraftChange={(text) => {
              setCodeDraft(text);
              if (!text.trim()) setCodesProblem(undefined);
            }}
            error={codesProblem ?? error?.field('troubleCodes')}
          />
          <label className="flex items-center gap-2 text-sm">
            <input
              type="checkbox"
              name="urgent"
              className="h-4 w-4"
              checked={urgent}
              onChange={(e) => setUrgent(e.target.checked)}
            />{' '}
            It’s urgent (I’m stuck or it feels unsafe)
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
            <p className="mt-1 text-xs text-slate-600">
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
            <Select
              label="Prefer a specific workshop? (optional)"
              name="workshopId"
              value={workshopId}
              onChange={(e) => setWorkshopId(e.target.value)}
            >
              <option value="">Any available mechanic</option>
              {workshops.map((w) => (
                <option key={w.id} value={w.id}>
                  {w.name}, {w.city}
                </option>
              ))}
            </Select>
          )}
        </fieldset>
        <WaitlistOffer plan={plan} vehicle={vehicleLabel} />
        <button className="btn-primary w-full py-3 text-base" disabled={busy}>
          {busy ? 'Sending…' : (chosen?.priceCents ?? 0) > 0 ? 'Continue to payment' : 'Find me a mechanic'}
        </button>
      </form>
    </div>
  );
}
