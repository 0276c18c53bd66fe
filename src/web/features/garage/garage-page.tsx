import { useState } from 'react';
import { vehicles, type SavedVehicle } from '../../../shared/contract';
import { useAuth } from '../../lib/auth';
import { Link } from '../../lib/router';
import { useEndpoint } from '../../lib/use-endpoint';
import { Empty, Notice, PageTitle, Spinner } from '../../components/ui';
import { vehicleName, VehicleSummary } from '../../components/vehicle-summary';
import { DeleteVehicleDialog } from './delete-vehicle-dialog';
import { VehicleEditor } from './vehicle-editor';
import { VehicleHistoryView } from './vehicle-history';

/** `/garage`: the customer's saved vehicles — add, edit, delete, and each one's service history. */
export function GaragePage() {
  const garage = useEndpoint(vehicles.list, {});
  const [adding, setAdding] = useState(false);
  const [editing, setEditing] = useState<string | null>(null);
  const [deleting, setDeleting] = useState<SavedVehicle | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  if (garage.error) return <Notice tone="error">Your garage could not be loaded. Please refresh.</Notice>;
  if (!garage.data) return <Spinner label="Loading your garage…" />;
  const items = [...garage.data.items].sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  const replace = (saved: SavedVehicle) =>
    garage.setData(
      (current) =>
        current && {
          items: current.items.some((v) => v.id === saved.id)
            ? current.items.map((v) => (v.id === saved.id ? saved : v))
            : [...current.items, saved],
        },
    );

  return (
    <div className="space-y-6">
      <PageTitle
        action={
          !adding && (
            <button
              className="btn-primary"
              onClick={() => (setAdding(true), setEditing(null), setNotice(null))}
              type="button"
            >
              Add a vehicle
            </button>
          )
        }
      >
        My garage
      </PageTitle>
      <p className="-mt-3 text-sm text-slate-700">
        Your saved vehicles: pick one in one click when you ask for help, and keep each car’s sessions, reports and
        recommendations together.
      </p>
      {notice && <Notice tone="success">{notice}</Notice>}
      {adding && (
        <section className="card">
          <VehicleEditor
            onSaved={(saved) => {
              replace(saved);
              setAdding(false);
              setNotice(`${vehicleName(saved)} was added to your garage.`);
            }}
            onCancel={() => setAdding(false)}
          />
        </section>
      )}
      {items.length === 0 && !adding ? (
        <Empty>
          No vehicles yet. Add one here, or tick “Save this vehicle to my garage” when you{' '}
          <Link href="/request" className="underline">
            ask for help
          </Link>
          .
        </Empty>
      ) : (
        <ul className="grid gap-4 md:grid-cols-2" aria-label="Saved vehicles">
          {items.map((vehicle) => (
            <li key={vehicle.id} className="card flex flex-col gap-4" data-vehicle-id={vehicle.id}>
              {editing === vehicle.id ? (
                <VehicleEditor
                  vehicle={vehicle}
                  onSaved={(saved) => {
                    replace(saved);
                    setEditing(null);
                    setNotice(`${vehicleName(saved)} was updated.`);
                  }}
                  onCancel={() => setEditing(null)}
                />
              ) : (
                <>
                  <VehicleSummary vehicle={vehicle} titleAs="h2" />
                  <div className="mt-auto flex flex-wrap gap-2">
                    <Link href={`/garage/${vehicle.id}`} className="btn-primary">
                      Service history<span className="sr-only"> of {vehicle.nickname || vehicleName(vehicle)}</span>
                    </Link>
                    <button
                      type="button"
                      className="btn-secondary"
                      onClick={() => (setEditing(vehicle.id), setAdding(false), setNotice(null))}
                    >
                      Edit<span className="sr-only"> {vehicle.nickname || vehicleName(vehicle)}</span>
                    </button>
                    <button type="button" className="btn-secondary text-red-800" onClick={() => setDeleting(vehicle)}>
                      Delete<span className="sr-only"> {vehicle.nickname || vehicleName(vehicle)}</span>
                    </button>
                  </div>
                </>
              )}
            </li>
          ))}
        </ul>
      )}
      {deleting && (
        <DeleteVehicleDialog
          vehicle={deleting}
          onClose={() => setDeleting(null)}
          onDeleted={(gone) => {
            garage.setData((current) => current && { items: current.items.filter((v) => v.id !== gone.id) });
            setDeleting(null);
            setNotice(`${vehicleName(gone)} was removed from your garage.`);
          }}
        />
      )}
    </div>
  );
}

/** `/garage/:id`: one vehicle's service history. */
export function VehicleHistoryPage({ id }: { id: string }) {
  const { me } = useAuth();
  const history = useEndpoint(vehicles.history, { params: { id } });
  if (history.error) {
    return (
      <div className="space-y-4">
        <Notice tone="error">
          {history.error.status === 404
            ? 'This vehicle is not in your garage (it may have been deleted).'
            : 'The service history could not be loaded. Please refresh.'}
        </Notice>
        <Link href="/garage" className="text-sm text-blue-800 underline">
          Back to my garage
        </Link>
      </div>
    );
  }
  if (!history.data || !me) return <Spinner label="Loading the service history…" />;
  const { vehicle } = history.data;
  return (
    <div className="space-y-6">
      <Link href="/garage" className="text-sm text-blue-800 underline">
        ← My garage
      </Link>
      <header className="card flex flex-wrap items-start justify-between gap-4">
        <div className="min-w-0 space-y-1">
          <p className="text-xs font-semibold uppercase tracking-wide text-blue-800">Service history</p>
          <VehicleSummary vehicle={vehicle} titleAs="h1" size="lg" />
        </div>
        <Link href={`/request?vehicle=${encodeURIComponent(vehicle.id)}`} className="btn-primary">
          Get help with this car
        </Link>
      </header>
      <VehicleHistoryView history={history.data} viewer={{ id: me.user.id, role: me.user.role }} />
    </div>
  );
}
