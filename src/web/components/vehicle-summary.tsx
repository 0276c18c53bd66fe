import { useVinDetails } from '../lib/vin-decode';

/** A vehicle as the app shows it: a session's snapshot or a saved vehicle of the garage. */
export type VehicleLike = {
  year: number;
  make: string;
  model: string;
  nickname?: string | null;
  vin?: string | null;
  mileage?: number | null;
  trim?: string | null;
  engine?: string | null;
  fuel?: string | null;
};

/** "2003 Honda Accord". */
export const vehicleName = (vehicle: Pick<VehicleLike, 'year' | 'make' | 'model'>) =>
  `${vehicle.year} ${vehicle.make} ${vehicle.model}`;

export const mileageText = (miles: number) => `${miles.toLocaleString('en-US')} miles`;

/**
 * One vehicle, everywhere one is shown (intake, garage, queue, room, history): its name (or
 * nickname), then trim, engine, fuel and mileage, then the VIN. With `lookUpVin`, a vehicle that
 * has a VIN but none of those details (one described in the intake and not saved) gets them from
 * the VIN decode — what a mechanic triaging a request wants to know.
 */
export function VehicleSummary({
  vehicle,
  titleAs: Title = 'p',
  lookUpVin = false,
  size = 'md',
}: {
  vehicle: VehicleLike;
  titleAs?: 'p' | 'h1' | 'h2' | 'h3';
  lookUpVin?: boolean;
  size?: 'md' | 'lg';
}) {
  const hasDetails = Boolean(vehicle.trim || vehicle.engine || vehicle.fuel);
  const decoded = useVinDetails(vehicle.vin, lookUpVin && !hasDetails);
  const fromVin = decoded ? [decoded.trim, decoded.engine, decoded.fuel].filter(Boolean) : [];
  const details = [
    ...(hasDetails ? [vehicle.trim, vehicle.engine, vehicle.fuel] : fromVin),
    vehicle.mileage != null ? mileageText(vehicle.mileage) : null,
  ].filter(Boolean);
  const name = vehicleName(vehicle);
  return (
    <div className="min-w-0">
      <Title className={`font-semibold ${size === 'lg' ? 'text-xl font-bold' : ''}`}>{vehicle.nickname || name}</Title>
      {vehicle.nickname && <p className="text-sm text-slate-700">{name}</p>}
      {details.length > 0 && (
        <p className="text-sm text-slate-600">
          {details.join(' · ')}
          {fromVin.length > 0 && <span className="text-slate-500"> (from the VIN)</span>}
        </p>
      )}
      {vehicle.vin && (
        <p className="text-xs text-slate-600">
          VIN <span className="font-mono break-all">{vehicle.vin}</span>
        </p>
      )}
    </div>
  );
}
