import { useState } from 'react';
import { admin } from '../../../shared/contract';
import { Link, navigate, usePath } from '../../lib/router';
import { useEndpoint } from '../../lib/use-endpoint';
import { Empty, Field, Notice, PageTitle } from '../../components/ui';
import { AdminShell } from './admin-shell';
import { PayoutAccountForm } from './payout-account-form';

export function MechanicInspector() {
  const path = usePath();
  const email = new URLSearchParams(path.split('?')[1] ?? '').get('email') ?? '';
  const [input, setInput] = useState(email);
  return (
    <AdminShell>
      <PageTitle>Mechanic inspector</PageTitle>
      <form
        className="flex flex-wrap items-end gap-2"
        onSubmit={(e) => (e.preventDefault(), navigate(`/admin/mechanics?email=${encodeURIComponent(input)}`))}
      >
        <div className="min-w-64 flex-1">
          <Field label="Mechanic email" type="email" value={input} onChange={(e) => setInput(e.target.value)} />
        </div>
        <button className="btn-primary">Inspect</button>
      </form>
      {email && <MechanicFindings key={email} email={email} />}
    </AdminShell>
  );
}

/** What the inspector found for one email; another email is another inspection, so nothing of this one stays. */
function MechanicFindings({ email }: { email: string }) {
  const { data, error } = useEndpoint(admin.inspectMechanic, { query: { email } });
  return (
    <>
      {error && <Notice tone="error">{error.message}</Notice>}
      {data && (
        <div className="space-y-4">
          <section className="card space-y-1 text-sm">
            <p className="font-semibold">
              {data.user.name} · {data.user.email} · role {data.user.role} · auth linked{' '}
              {data.authLinked ? 'yes' : 'NO'}
            </p>
            {data.mechanic && (
              <p>
                {data.mechanic.serviceTier} · approval {data.mechanic.approvalStatus} · can accept{' '}
                {data.mechanic.canAcceptSessions ? 'yes' : 'no'} · {data.mechanic.onShift ? 'on shift' : 'off shift'}
              </p>
            )}
            <p
              data-testid="eligibility"
              className={data.eligibility.eligible ? 'text-green-800' : 'font-semibold text-red-700'}
            >
              {data.eligibility.eligible
                ? 'Eligible to accept requests'
                : `Not eligible: ${data.eligibility.blockedBy}`}
            </p>
            {data.activeSession && (
              <p>
                Active session:{' '}
                <Link className="underline" href={`/admin/sessions/${data.activeSession.id}`}>
                  {data.activeSession.id}
                </Link>
              </p>
            )}
          </section>
          <section className="card">
            <h2 className="mb-2 font-bold">What to do</h2>
            <ul className="list-disc pl-5 text-sm">
              {data.recommendations.map((r) => (
                <li key={r}>{r}</li>
              ))}
            </ul>
          </section>
          {data.mechanic && <PayoutAccountForm userId={data.user.id} />}
          <section className="card">
            <h2 className="mb-2 font-bold">Pending requests</h2>
            {data.queueVisibility.length === 0 ? (
              <Empty>No pending requests.</Empty>
            ) : (
              <ul className="space-y-1 text-sm" data-testid="visibility">
                {data.queueVisibility.map((q) => (
                  <li key={q.sessionId}>
                    <Link className="underline" href={`/admin/sessions/${q.sessionId}`}>
                      {q.sessionId.slice(0, 8)}
                    </Link>{' '}
                    {q.plan}: {q.visible ? 'visible' : `hidden by ${q.hiddenBy}`}
                  </li>
                ))}
              </ul>
            )}
          </section>
        </div>
      )}
    </>
  );
}
