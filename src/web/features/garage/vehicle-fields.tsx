import { useRef, useState, type Dispatch, type SetStateAction } from 'react';
import type { VinDecode } from '../../../shared/contract';
import { VIN_MESSAGES } from '../../../shared/vin';
import { Field, Notice } from '../../components/ui';
import { vehicleName } from '../../components/vehicle-summary';
import { MIN_VEHICLE_YEAR } from '../../lib/form-words';
import type { FormErrors } from '../../lib/use-form-errors';
import { decodeVin, vinDecodeProblem } from '../../lib/vin-decode';
import { filledFromVin, type VehicleDraft, type VehicleField } from './vehicle-draft';

type Lookup =
  | { state: 'idle' }
  | { state: 'looking'; vin: string }
  | { state: 'found'; vin: string; decoded: VinDecode; filled: VehicleField[] }
  | { state: 'refused'; vin: string; message: string }
  | { state: 'failed'; vin: string; message: string };

const DETAIL_LABEL: Partial<Record<VehicleField, string>> = {
  year: 'year',
  make: 'make',
  model: 'model',
  trim: 'trim',
  engine: 'engine',
  fuel: 'fuel',
};

/**
 * A vehicle's fields, for the intake and the garage. Typing a full VIN looks it up (offline, on the
 * server) and fills what the decode knows — year, make, model and, with `details`, trim, engine and
 * fuel — saying so, and leaving every field for the customer to correct. A VIN the server refuses
 * shows its reason under the field; a wrong check digit outside North America is only a warning.
 * The fields' problems are the form's (`form`), at `under` + the field's name (the intake's
 * `vehicle.year`, the garage's `year`).
 */
export function VehicleFields({
  draft,
  setDraft,
  form,
  under = '',
  details = false,
  nickname = false,
}: {
  draft: VehicleDraft;
  setDraft: Dispatch<SetStateAction<VehicleDraft>>;
  form: FormErrors;
  under?: string;
  /** Trim, engine and fuel (kept with a saved vehicle). */
  details?: boolean;
  nickname?: boolean;
}) {
  const [lookup, setLookup] = useState<Lookup>({ state: 'idle' });
  /** Fields the last decode filled and the customer has not changed since. */
  const [fromVin, setFromVin] = useState<ReadonlySet<VehicleField>>(new Set());
  const [vinTouched, setVinTouched] = useState(false);
  const latestVin = useRef('');

  const lookUp = (vin: string) => {
    latestVin.current = vin;
    setLookup({ state: 'looking', vin });
    decodeVin(vin).then(
      (decoded) => {
        if (latestVin.current !== vin) return; // a newer VIN was typed meanwhile
        const filled = filledFromVin(decoded);
        setDraft((current) => (current.vin.trim() === vin ? { ...current, ...filled } : current));
        const fields = Object.keys(filled) as VehicleField[];
        setFromVin(new Set(fields));
        setLookup({ state: 'found', vin, decoded, filled: fields });
      },
      (error: unknown) => {
        if (latestVin.current !== vin) return;
        const problem = vinDecodeProblem(error);
        setLookup({ state: problem.refused ? 'refused' : 'failed', vin, message: problem.message });
      },
    );
  };

  const changeVin = (typed: string) => {
    const vin = typed.toUpperCase().replace(/\s+/g, '');
    setDraft((current) => ({ ...current, vin }));
    if (vin.length === 17 && vin !== latestVin.current) lookUp(vin);
    else if (vin.length !== 17) {
      latestVin.current = '';
      setLookup({ state: 'idle' });
    }
  };

  const change = (field: VehicleField) => (value: string) => {
    setDraft((current) => ({ ...current, [field]: value }));
    if (fromVin.has(field)) setFromVin((set) => new Set([...set].filter((f) => f !== field)));
  };
  const hintOf = (field: VehicleField, otherwise?: string) => (fromVin.has(field) ? 'From the VIN' : otherwise);
  const fieldOf = (field: VehicleField) => form.field(`${under}${field}`);

  const vin = draft.vin.trim();
  const current = lookup.state !== 'idle' && lookup.vin === vin ? lookup : null;
  // While typing, a short VIN is not yet wrong: its length is said once the field is left.
  const vinProblem =
    (current?.state === 'refused' ? current.message : undefined) ??
    (vinTouched && vin && vin.length !== 17 ? `${VIN_MESSAGES.length}.` : undefined) ??
    fieldOf('vin').error;
  const thisYear = new Date().getFullYear();

  return (
    <div className="grid gap-4 sm:grid-cols-2">
      <div className="sm:col-span-2">
        <Field
          label="VIN (optional)"
          name="vin"
          value={draft.vin}
          onChange={(e) => changeVin(e.target.value)}
          onBlur={() => setVinTouched(true)}
          maxLength={17}
          autoComplete="off"
          autoCapitalize="characters"
          spellCheck={false}
          className="input font-mono"
          hint="17 characters, on the dashboard by the windscreen or on the driver’s door frame. We fill in the rest from it."
          {...fieldOf('vin')}
          error={vinProblem}
        />
        <VinLookupNotice lookup={current} shown={details ? undefined : ['year', 'make', 'model']} />
      </div>
      {nickname && (
        <div className="sm:col-span-2">
          <Field
            label="Nickname (optional)"
            name="nickname"
            value={draft.nickname}
            onChange={(e) => change('nickname')(e.target.value)}
            placeholder="Family car"
            maxLength={60}
            {...fieldOf('nickname')}
          />
        </div>
      )}
      <Field
        label="Year"
        name="year"
        type="number"
        inputMode="numeric"
        min={MIN_VEHICLE_YEAR}
        max={thisYear + 1}
        value={draft.year}
        onChange={(e) => change('year')(e.target.value)}
        required
        hint={hintOf('year')}
        {...fieldOf('year')}
      />
      <Field
        label="Make"
        name="make"
        placeholder="Toyota"
        value={draft.make}
        onChange={(e) => change('make')(e.target.value)}
        required
        maxLength={60}
        hint={hintOf('make')}
        {...fieldOf('make')}
      />
      <Field
        label="Model"
        name="model"
        placeholder="Corolla"
        value={draft.model}
        onChange={(e) => change('model')(e.target.value)}
        required
        maxLength={80}
        hint={hintOf('model')}
        {...fieldOf('model')}
      />
      <Field
        label="Mileage (optional)"
        name="mileage"
        type="number"
        min={0}
        inputMode="numeric"
        value={draft.mileage}
        onChange={(e) => change('mileage')(e.target.value)}
        hint="In miles, roughly"
        {...fieldOf('mileage')}
      />
      {details && (
        <>
          <Field
            label="Trim (optional)"
            name="trim"
            value={draft.trim}
            onChange={(e) => change('trim')(e.target.value)}
            placeholder="LE"
            maxLength={80}
            hint={hintOf('trim')}
            {...fieldOf('trim')}
          />
          <Field
            label="Engine (optional)"
            name="engine"
            value={draft.engine}
            onChange={(e) => change('engine')(e.target.value)}
            placeholder="1.8 L, 4 cylinders"
            maxLength={80}
            hint={hintOf('engine')}
            {...fieldOf('engine')}
          />
          <Field
            label="Fuel (optional)"
            name="fuel"
            value={draft.fuel}
            onChange={(e) => change('fuel')(e.target.value)}
            placeholder="Gasoline"
            maxLength={40}
            hint={hintOf('fuel')}
            {...fieldOf('fuel')}
          />
        </>
      )}
    </div>
  );
}

/** What the VIN look-up found (and filled), its warnings, or that it could not be done. */
function VinLookupNotice({ lookup, shown }: { lookup: Lookup | null; shown?: VehicleField[] }) {
  if (!lookup || lookup.state === 'refused' || lookup.state === 'idle') return null;
  if (lookup.state === 'looking') {
    return (
      <p role="status" className="mt-2 text-sm text-slate-600">
        Looking up this VIN…
      </p>
    );
  }
  if (lookup.state === 'failed') {
    return (
      <div className="mt-2">
        <Notice tone="warning">{lookup.message}</Notice>
      </div>
    );
  }
  const { decoded, filled } = lookup;
  const found = [
    decoded.modelYear !== null && decoded.make && decoded.model
      ? vehicleName({ year: decoded.modelYear, make: decoded.make, model: decoded.model })
      : [decoded.modelYear, decoded.make ?? decoded.manufacturer, decoded.model].filter(Boolean).join(' '),
    decoded.trim,
    decoded.bodyClass,
    decoded.engine,
    decoded.fuel,
  ].filter(Boolean);
  const words = filled.filter((field) => !shown || shown.includes(field)).map((field) => DETAIL_LABEL[field]);
  return (
    <div className="mt-2 space-y-2" data-testid="vin-lookup">
      {filled.length > 0 && (
        <Notice tone="success">
          <strong>Filled from the VIN — you can correct them.</strong> {found.join(' · ')}
          {words.length > 0 && <span className="block text-xs">We filled in the {list(words)}.</span>}
        </Notice>
      )}
      {decoded.warnings.length > 0 && (
        <Notice tone="warning">
          <ul className="space-y-1">
            {decoded.warnings.map((warning) => (
              <li key={warning}>{warning}</li>
            ))}
          </ul>
        </Notice>
      )}
    </div>
  );
}

const list = (words: (string | undefined)[]) => {
  const all = words.filter((w): w is string => Boolean(w));
  return all.length <= 1 ? all.join('') : `${all.slice(0, -1).join(', ')} and ${all.at(-1)}`;
};
