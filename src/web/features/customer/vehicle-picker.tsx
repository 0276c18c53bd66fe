import type { SavedVehicle, Session } from '../../../shared/contract';
import { VehicleSummary } from '../../components/vehicle-summary';

/** "Another vehicle": the picker's last choice, which opens the vehicle form. */
export const ANOTHER_VEHICLE = 'new';

/**
 * The garage's vehicles, the one asked about most recently first (then the newest saved): the
 * intake preselects the first, so a returning customer's car is one click, or none.
 */
export function orderByRecentUse(saved: readonly SavedVehicle[], recentSessions: readonly Session[]): SavedVehicle[] {
  const lastUsed = new Map<string, string>();
  for (const session of recentSessions) {
    if (!session.vehicleId) continue;
    const seen = lastUsed.get(session.vehicleId);
    if (!seen || session.requestedAt > seen) lastUsed.set(session.vehicleId, session.requestedAt);
  }
  const recency = (vehicle: SavedVehicle) => lastUsed.get(vehicle.id) ?? vehicle.createdAt;
  return [...saved].sort((a, b) => recency(b).localeCompare(recency(a)));
}

/** One card per saved vehicle, and "another vehicle"; a radio group, so the keyboard works as expected. */
export function VehiclePicker({
  vehicles,
  selected,
  onSelect,
  id,
  error,
}: {
  vehicles: readonly SavedVehicle[];
  selected: string;
  onSelect: (choice: string) => void;
  /** The first choice's id (an error summary links to it). */
  id?: string;
  error?: string;
}) {
  const describedBy = id && error ? `${id}-msg` : undefined;
  const card = (isChosen: boolean) =>
    `flex cursor-pointer items-start gap-3 rounded-lg border p-3 ${isChosen ? 'border-blue-700 bg-blue-50 ring-1 ring-blue-700' : 'border-slate-200 hover:border-slate-400'}`;
  return (
    <div className="space-y-2">
      <p className="text-sm text-slate-700">Which car is it about?</p>
      <div className="grid gap-3 sm:grid-cols-2" data-testid="vehicle-picker">
        {vehicles.map((vehicle, index) => (
          <label key={vehicle.id} className={card(selected === vehicle.id)}>
            <input
              type="radio"
              name="vehicleChoice"
              id={index === 0 ? id : undefined}
              aria-describedby={describedBy}
              value={vehicle.id}
              className="mt-1 h-4 w-4 shrink-0"
              checked={selected === vehicle.id}
              onChange={() => onSelect(vehicle.id)}
            />
            <VehicleSummary vehicle={vehicle} />
          </label>
        ))}
        <label className={card(selected === ANOTHER_VEHICLE)}>
          <input
            type="radio"
            name="vehicleChoice"
            value={ANOTHER_VEHICLE}
            className="mt-1 h-4 w-4 shrink-0"
            checked={selected === ANOTHER_VEHICLE}
            onChange={() => onSelect(ANOTHER_VEHICLE)}
          />
          <span>
            <span className="font-semibold">Another vehicle</span>
            <span className="block text-sm text-slate-600">Type its VIN or describe it</span>
          </span>
        </label>
      </div>
      {error && (
        <p id={describedBy} className="text-xs font-medium text-red-700">
          {error}
        </p>
      )}
    </div>
  );
}
