import { useId, useState } from 'react';
import { vehicles, type Session } from '../../../shared/contract';
import { Link } from '../../lib/router';
import { useEndpoint } from '../../lib/use-endpoint';
import { TroubleCodeList } from '../../components/trouble-code-list';
import { Notice, Spinner } from '../../components/ui';
import { VehicleSummary } from '../../components/vehicle-summary';
import { VehicleHistoryView } from '../garage/vehicle-history';

/**
 * The car the session is about and the trouble codes the customer gave, decoded, for both sides
 * of the room. The mechanic can open the vehicle's service history (earlier sessions and reports)
 * when the session was asked for a saved vehicle; the customer gets a link to it in their garage.
 */
export function SessionVehicle({
  session,
  role,
  meId,
}: {
  session: Session;
  role: 'customer' | 'mechanic' | 'admin';
  meId: string;
}) {
  const [historyOpen, setHistoryOpen] = useState(false);
  const historyId = useId();
  const vehicleId = session.vehicleId;
  const history = useEndpoint(
    vehicles.history,
    historyOpen && vehicleId && role === 'mechanic' ? { params: { id: vehicleId } } : null,
    [session.status], // this session is part of it: its status, and its report once the session ends
  );
  const codes = session.troubleCodes;
  const codesTitle = role === 'customer' ? 'Trouble codes you gave' : 'Trouble codes the customer read';

  return (
    <section className="card space-y-4" aria-labelledby={`${historyId}-title`}>
      <div className="grid gap-4 md:grid-cols-2">
        <div className="space-y-1">
          <h2 id={`${historyId}-title`} className="text-sm font-semibold text-slate-600">
            The vehicle
          </h2>
          <VehicleSummary vehicle={session.vehicle} lookUpVin />
          {role === 'customer' && vehicleId && (
            <Link href={`/garage/${vehicleId}`} className="inline-block text-sm text-blue-800 underline">
              Its service history
            </Link>
          )}
        </div>
        <div className="space-y-2">
          <h2 className="text-sm font-semibold text-slate-600">{codesTitle}</h2>
          {codes.length > 0 ? (
            <TroubleCodeList codes={codes} label={codesTitle} showCauses />
          ) : (
            <p className="text-sm text-slate-600">None given.</p>
          )}
        </div>
      </div>
      {role === 'mechanic' && vehicleId && (
        <div className="space-y-3 border-t border-slate-200 pt-3">
          <button
            type="button"
            className="btn-secondary"
            aria-expanded={historyOpen}
            aria-controls={historyId}
            onClick={() => setHistoryOpen((open) => !open)}
          >
            {historyOpen ? 'Hide the service history' : 'Show this vehicle’s service history'}
          </button>
          {historyOpen && (
            <div id={historyId}>
              {history.error ? (
                <Notice tone="error">
                  {history.error.status === 404
                    ? 'The service history is not available for this vehicle.'
                    : 'The service history could not be loaded. Try again.'}
                </Notice>
              ) : !history.data ? (
                <Spinner label="Loading the service history…" />
              ) : (
                <VehicleHistoryView
                  history={history.data}
                  viewer={{ id: meId, role }}
                  level={3}
                  currentSessionId={session.id}
                />
              )}
            </div>
          )}
        </div>
      )}
    </section>
  );
}
