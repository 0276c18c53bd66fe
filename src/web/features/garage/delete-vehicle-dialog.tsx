import { useState } from 'react';
import { vehicles, type SavedVehicle } from '../../../shared/contract';
import { ApiError, call } from '../../lib/api';
import { problemSentence } from '../../lib/form-errors';
import { Dialog } from '../../components/dialog';
import { Notice } from '../../components/ui';
import { vehicleName } from '../../components/vehicle-summary';

/**
 * Confirms deleting a saved vehicle, saying what stays: its sessions and reports keep their own
 * copy of the car; only the garage entry and its service-history page go.
 */
export function DeleteVehicleDialog({
  vehicle,
  onDeleted,
  onClose,
}: {
  vehicle: SavedVehicle;
  onDeleted: (vehicle: SavedVehicle) => void;
  onClose: () => void;
}) {
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const name = vehicle.nickname ? `${vehicle.nickname} (${vehicleName(vehicle)})` : vehicleName(vehicle);

  const confirm = async () => {
    setBusy(true);
    setProblem(null);
    try {
      await call(vehicles.remove, { params: { id: vehicle.id } });
      onDeleted(vehicle);
    } catch (caught) {
      if (caught instanceof ApiError && caught.status === 404) {
        onDeleted(vehicle); // already gone (another tab): the garage just forgets it
        return;
      }
      setProblem(problemSentence(caught));
      setBusy(false);
    }
  };

  return (
    <Dialog title="Delete this vehicle?" busy={busy} onClose={onClose}>
      <p className="text-sm text-slate-700">
        <strong>{name}</strong> will be removed from your garage. Your past sessions and the mechanics’ reports for it
        stay on your dashboard, but its service history page goes away and it is no longer offered when you ask for
        help.
      </p>
      {problem && <Notice tone="error">{problem}</Notice>}
      <div className="flex flex-wrap justify-end gap-2">
        <button type="button" className="btn-secondary" onClick={onClose} disabled={busy} autoFocus>
          Keep it
        </button>
        <button type="button" className="btn-danger" onClick={() => void confirm()} disabled={busy}>
          {busy ? 'Deleting…' : 'Delete vehicle'}
        </button>
      </div>
    </Dialog>
  );
}
