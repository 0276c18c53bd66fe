import { useState, type FormEvent } from 'react';
import { vehicles, type SavedVehicle } from '../../../shared/contract';
import { call } from '../../lib/api';
import { VEHICLE } from '../../lib/form-words';
import { useFormErrors } from '../../lib/use-form-errors';
import { ErrorSummary } from '../../components/error-summary';
import { draftOf, emptyDraft, saveBodyOf, updateBodyOf } from './vehicle-draft';
import { VehicleFields } from './vehicle-fields';

/** Adds a vehicle to the garage (without `vehicle`) or changes one: every field, the VIN filling the rest. */
export function VehicleEditor({
  vehicle,
  onSaved,
  onCancel,
}: {
  vehicle?: SavedVehicle;
  onSaved: (saved: SavedVehicle) => void;
  onCancel: () => void;
}) {
  const [draft, setDraft] = useState(() => (vehicle ? draftOf(vehicle) : emptyDraft()));
  const form = useFormErrors(VEHICLE);
  const [busy, setBusy] = useState(false);
  const title = vehicle ? 'Edit this vehicle' : 'Add a vehicle';

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!form.check(draft)) return;
    const changes = vehicle ? updateBodyOf(draft, vehicle) : null;
    if (vehicle && !changes) return onCancel(); // nothing changed: nothing to send
    setBusy(true);
    try {
      const saved = vehicle
        ? await call(vehicles.update, { params: { id: vehicle.id }, body: changes! })
        : await call(vehicles.create, { body: saveBodyOf(draft) });
      onSaved(saved);
    } catch (caught) {
      form.fail(caught);
      setBusy(false);
    }
  };

  return (
    <form onSubmit={(e) => void submit(e)} onChange={form.onChange} className="space-y-4" noValidate aria-label={title}>
      <h2 className="text-lg font-bold">{title}</h2>
      <ErrorSummary form={form} level={3} />
      <VehicleFields draft={draft} setDraft={setDraft} form={form} details nickname />
      <div className="flex flex-wrap justify-end gap-2">
        <button type="button" className="btn-secondary" onClick={onCancel} disabled={busy}>
          Cancel
        </button>
        <button className="btn-primary" disabled={busy}>
          {busy ? 'Saving…' : vehicle ? 'Save changes' : 'Add to my garage'}
        </button>
      </div>
    </form>
  );
}
