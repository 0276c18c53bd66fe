import { useMemo, useState, type FormEvent } from 'react';
import { accounts, sessions, vehicles, type CreateSessionBody, type SavedVehicle } from '../../../shared/contract';
import { PaymentStep } from './payment-step';
import { WaitlistOffer } from '../notifications/waitlist-offer';
import { ANOTHER_VEHICLE, orderByRecentUse, VehiclePicker } from './vehicle-picker';
import { call } from '../../lib/api';
import { problemSentence } from '../../lib/form-errors';
import { INTAKE } from '../../lib/form-words';
import { money } from '../../lib/format';
import { navigate } from '../../lib/router';
import { useEndpoint } from '../../lib/use-endpoint';
import { failedPhotosKey, uploadIntakePhotos } from '../room/intake-photo-upload';
import { INTAKE_PHOTO_LIMITS, intakePhotosProblem } from '../../../shared/photos';
import { ChosenPhotos, PhotoPicker } from '../../components/photo-picker';
import { useFormErrors } from '../../lib/use-form-errors';
import { emptyDraft, saveBodyOf, sessionVehicleOf } from '../garage/vehicle-draft';
import { VehicleFields } from '../garage/vehicle-fields';
import { ErrorSummary } from '../../components/error-summary';
import { TroubleCodeInput } from '../../components/trouble-code-input';
import { TroubleCodeList } from '../../components/trouble-code-list';
import { VehicleSummary } from '../../components/vehicle-summary';
import { Notice, PageTitle, Select, Spinner, TextArea } from '../../components/ui';

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
  /** Why the photos just picked were not added (too many, too large, not a photo). */
  const [photoProblem, setPhotoProblem] = useState<string | null>(null);
  /** "Uploading photo 2 of 3…" while the request's photos go up, after the request is made. */
  const [photoProgress, setPhotoProgress] = useState<string | null>(null);
  /** What the form found wrong before sending, or what the server refused (form-words.ts INTAKE). */
  const form = useFormErrors(INTAKE);
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

  /** Sends the request (with its payment, for a paid plan) and goes to the waiting page. */
  const send = async (body: CreateSessionBody) => {
    const session = await call(sessions.create, { headers: { 'idempotency-key': idempotencyKey }, body });
    // The photos belong to the request from the start: uploaded now, they survive a reload of
    // the waiting page, which offers to add any that did not arrive.
    if (photos.length > 0) {
      const { failed } = await uploadIntakePhotos(session.id, photos, (done, total) =>
        setPhotoProgress(done < total ? `Uploading photo ${done + 1} of ${total}…` : null),
      );
      if (failed > 0) sessionStorage.setItem(failedPhotosKey(session.id), String(failed));
    }
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
      // The garage's fields (`year`) are the intake's `vehicle.year`.
      form.fail(caught, 'vehicle.');
      return null;
    }
  };

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const typedVehicle = isNewVehicle
      ? Object.fromEntries(Object.entries(draft).map(([field, value]) => [`vehicle.${field}`, value]))
      : {};
    if (!form.check({ ...typedVehicle, concern }, { troubleCodes: codeDraft.trim() ? 'unsent' : null })) return;
    setBusy(true);
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
      form.fail(caught);
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
        {photoProgress && (
          <p role="status" className="text-sm text-slate-700">
            {photoProgress}
          </p>
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
              form.fail(caught);
            }
          }}
        />
      </div>
    );
  }

  const loadingGarage = !garage.data && !garage.error;
  const loadingRecent = !recent.data && !recent.error;
  if ((!plans && !loadedPlans.error) || loadingGarage || loadingRecent) return <Spinner />;
  return (
    <div className="mx-auto max-w-2xl">
      <PageTitle>Get help with your car</PageTitle>
      <form onSubmit={(e) => void submit(e)} onChange={form.onChange} className="space-y-6" noValidate>
        {loadedPlans.error && <Notice tone="error">{problemSentence(loadedPlans.error)}</Notice>}
        <ErrorSummary form={form}>
          {form.code === 'ACTIVE_SESSION_EXISTS' && (
            <a className="underline" href="/app">
              Go to it.
            </a>
          )}
        </ErrorSummary>
        <fieldset className="card space-y-4">
          <legend className="px-1 font-semibold">Your vehicle</legend>
          {saved.length > 0 && (
            <VehiclePicker
              vehicles={saved}
              selected={selected}
              onSelect={(next) => {
                setChoice(next);
                for (const path of Object.keys(form.errors)) if (path.startsWith('vehicle')) form.clear(path);
              }}
              {...form.field('vehicleId')}
            />
          )}
          {isNewVehicle && (
            <>
              <VehicleFields draft={draft} setDraft={setDraft} form={form} under="vehicle." details={saveToGarage} />
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
            {...form.field('concern')}
          />
          <TroubleCodeInput
            value={codes}
            onChange={(next) => {
              setCodes(next);
              form.clear('troubleCodes');
            }}
            onDraftChange={setCodeDraft}
            {...form.field('troubleCodes')}
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
          <fieldset className="space-y-2">
            <legend className="label">Photos (optional)</legend>
            <PhotoPicker
              onPick={(picked) => {
                const problem = intakePhotosProblem(picked, photos.length);
                setPhotoProblem(problem);
                if (!problem) setPhotos([...photos, ...picked]);
              }}
              disabled={photos.length >= INTAKE_PHOTO_LIMITS.files}
              describedBy="photos-hint"
            />
            <ChosenPhotos files={photos} onRemove={(index) => setPhotos(photos.filter((_, i) => i !== index))} />
            <p id="photos-hint" className="text-xs text-slate-600">
              Up to {INTAKE_PHOTO_LIMITS.files} photos (JPEG, PNG or WebP, each at most{' '}
              {INTAKE_PHOTO_LIMITS.fileBytes / 1024 / 1024} MB) of the problem, a warning light or the dashboard.
              Mechanics see them with your request.
            </p>
            {photoProblem && (
              <p role="alert" className="text-sm text-red-700">
                {photoProblem}
              </p>
            )}
          </fieldset>
        </fieldset>
        <fieldset className="card space-y-3">
          <legend className="px-1 font-semibold">Plan</legend>
          {plans?.map((p) => (
            <label
              key={p.slug}
              data-field="plan"
              className={`flex cursor-pointer items-center justify-between rounded-lg border p-3 ${plan === p.slug ? 'border-blue-700 bg-blue-50' : 'border-slate-200'}`}
            >
              <span className="flex items-center gap-3">
                <input
                  type="radio"
                  name="plan"
                  id={p.slug === plans[0]?.slug ? form.idOf('plan') : undefined}
                  aria-describedby={form.errors.plan ? `${form.idOf('plan')}-msg` : undefined}
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
          {form.errors.plan && (
            <p id={`${form.idOf('plan')}-msg`} className="text-xs font-medium text-red-700">
              {form.errors.plan}
            </p>
          )}
          {workshops.length > 0 && (
            <Select
              label="Prefer a specific workshop? (optional)"
              name="workshopId"
              value={workshopId}
              onChange={(e) => setWorkshopId(e.target.value)}
              {...form.field('workshopId')}
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
          {photoProgress ??
            (busy ? 'Sending…' : (chosen?.priceCents ?? 0) > 0 ? 'Continue to payment' : 'Find me a mechanic')}
        </button>
      </form>
    </div>
  );
}
