import { useState, type FormEvent } from 'react';
import { vehicles, type SavedVehicle } from '../../../shared/contract';
import { ApiError, call } from '../../lib/api';
import { Notice } from '../../components/ui';
import {
  draftOf,
  draftProblems,
  emptyDraft,
  saveBodyOf,
  serverProblems,
  updateBodyOf,
  type VehicleProblems,
} from './vehicle-draft';
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
  const [problems, setProblems] = useState<VehicleProblems>({});
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const title = vehicle ? 'Edit this vehicle' : 'Add a vehicle';

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const local = draftProblems(draft);
    setProblems(local);
    setFailure(null);
    if (Object.keys(local).length > 0) return;
    const changes = vehicle ? updateBodyOf(draft, vehicle) : null;
    if (vehicle && !changes) return onCancel(); // nothing changed: nothing to send
    setBusy(true);
    try {
      const saved = vehicle
        ? await call(vehicles.update, { params: { id: vehicle.id }, body: changes! })
        : await call(vehicles.create, { body: saveBodyOf(draft) });
      onSaved(saved);
    } catch (caught) {
      const error = caught instanceof ApiError ? caught : new ApiError(0, 'UNKNOWN', 'Could not save the vehicle.');
      const fields = serverProblems(error);
      setProblems(fields);
      setFailure(
        Object.keys(fields).length > 0
          ? 'Please correct the fields marked below.'
          : error.code === 'NETWORK'
            ? 'Could not save the vehicle: check your connection and try again.'
            : error.message,
      );
      setBusy(false);
    }
  };

  return (
    <form onSubmit={(e) => void submit(e)} className="space-y-4" noValidate aria-label={title}>
      <h2 className="text-lg font-bold">{title}</h2>
      {failure && <Notice tone="error">{failure}</Notice>}
      <VehicleFields draft={draft} setDraft={setDraft} problems={problems} details nickname />
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
