import { useState, type FormEvent } from 'react';
import { accounts, admin, type MechanicInspection } from '../../../shared/contract';
import { loadSentence } from '../../lib/form-errors';
import { Link, navigate, usePath } from '../../lib/router';
import { useEndpoint } from '../../lib/use-endpoint';
import { Empty, Field, Notice, PageTitle, Spinner } from '../../components/ui';
import { AdminShell } from './admin-shell';
import { PayoutAccountForm } from './payout-account-form';
import { APPROVAL_LABEL, eligibilityWords, ROLE_LABEL, TIER_LABEL } from './words';

const MIN_SEARCH = 2;

/**
 * Find anyone by part of their name or email, then inspect them: why a mechanic can or cannot see
 * each request. The search and the person inspected live in the address (`?q=`, `?userId=`, or
 * `?email=` for links from elsewhere), so a result can be shared, reloaded and gone back to.
 */
export function MechanicInspector() {
  const params = new URLSearchParams(usePath().split('?')[1] ?? '');
  const q = params.get('q') ?? '';
  const userId = params.get('userId') ?? '';
  const email = params.get('email') ?? '';
  const inspected = userId ? { userId } : email ? { email } : null;
  return (
    <AdminShell>
      <PageTitle>Mechanic inspector</PageTitle>
      <SearchForm key={q} initial={q} />
      {q.trim().length >= MIN_SEARCH && !inspected && <SearchResults q={q.trim()} />}
      {inspected && <MechanicFindings key={userId || email} by={inspected} />}
    </AdminShell>
  );
}

function SearchForm({ initial }: { initial: string }) {
  const [text, setText] = useState(initial);
  const [problem, setProblem] = useState<string | undefined>();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const q = text.trim();
    if (q.length < MIN_SEARCH) return setProblem(`Type at least ${MIN_SEARCH} characters of a name or email.`);
    setProblem(undefined);
    navigate(`/admin/mechanics?q=${encodeURIComponent(q)}`);
  };
  return (
    <form role="search" aria-label="Find a person" className="flex flex-wrap items-start gap-2" onSubmit={submit}>
      <div className="min-w-0 flex-1 basis-64">
        <Field
          label="Name or email"
          type="search"
          value={text}
          onChange={(e) => setText(e.target.value)}
          error={problem}
          hint="Part of a name or email is enough: customers and mechanics are both found."
          autoComplete="off"
          maxLength={100}
        />
      </div>
      <button className="btn-primary sm:mt-6">Search</button>
    </form>
  );
}

function SearchResults({ q }: { q: string }) {
  const { data, error } = useEndpoint(admin.users, { query: { q } });
  if (error) {
    return (
      <Notice tone="error">
        {loadSentence('The search did not work.', error, {
          VALIDATION_FAILED: `Type between ${MIN_SEARCH} and 100 characters of a name or email.`,
        })}
      </Notice>
    );
  }
  if (!data) return <Spinner label="Searching…" />;
  if (data.items.length === 0) return <Empty>Nobody’s name or email contains “{q}”.</Empty>;
  return (
    <section aria-label="People found" className="card p-0 sm:p-0">
      <ul className="divide-y divide-slate-100">
        {data.items.map((person) => (
          <li key={person.id} className="flex flex-wrap items-center justify-between gap-3 p-4">
            <div className="min-w-0">
              <p className="font-semibold">
                {person.name}
                {person.displayName && person.displayName !== person.name && (
                  <span className="font-normal text-slate-600"> (customers see “{person.displayName}”)</span>
                )}
              </p>
              <p className="break-words text-sm text-slate-600">{person.email}</p>
              <p className="mt-1 text-xs font-semibold text-slate-600">
                {ROLE_LABEL[person.role]}
                {person.approvalStatus ? ` · ${APPROVAL_LABEL[person.approvalStatus]}` : ''}
                {person.banned ? ' · banned' : ''}
              </p>
            </div>
            <div className="flex flex-wrap gap-2">
              {person.role !== 'admin' && (
                <Link
                  href={`/app?${person.role === 'mechanic' ? 'mechanicId' : 'customerId'}=${person.id}`}
                  className="btn-secondary"
                  aria-label={`Sessions of ${person.name}`}
                >
                  Sessions
                </Link>
              )}
              <Link
                href={`/admin/mechanics?userId=${person.id}`}
                className="btn-primary"
                aria-label={`Inspect ${person.name}`}
              >
                Inspect
              </Link>
            </div>
          </li>
        ))}
      </ul>
      {data.hasMore && (
        <p className="border-t border-slate-100 p-4 text-sm text-slate-600">
          Showing the first {data.items.length}. Type more of the name or email to narrow it down.
        </p>
      )}
    </section>
  );
}

/** What the inspector found for one person; another person is another inspection, so nothing of this one stays. */
function MechanicFindings({ by }: { by: { userId: string } | { email: string } }) {
  const { data, error } = useEndpoint(admin.inspectMechanic, { query: by });
  const plans = useEndpoint(accounts.plans, {}).data?.items ?? [];
  const planName = (slug: string) => plans.find((p) => p.slug === slug)?.name ?? slug;
  if (error) {
    return (
      <Notice tone="error">
        {loadSentence('This person could not be inspected.', error, {
          NOT_FOUND:
            'email' in by
              ? 'Nobody has this email. Search by part of the name instead.'
              : 'There is nobody with this id. Search by name or email instead.',
          VALIDATION_FAILED: 'This is not a person’s id or email address. Search by name or email instead.',
        })}
      </Notice>
    );
  }
  if (!data) return <Spinner />;
  return (
    <div className="space-y-4">
      <Summary data={data} />
      <section className="card" aria-labelledby="todo">
        <h2 id="todo" className="mb-2 font-bold">
          What to do
        </h2>
        <ul className="list-disc space-y-1 pl-5 text-sm">
          {data.recommendations.map((r) => (
            <li key={r}>{r}</li>
          ))}
        </ul>
      </section>
      {data.mechanic && <PayoutAccountForm userId={data.user.id} />}
      {data.user.role === 'mechanic' && (
        <section className="card" aria-labelledby="pending-requests">
          <h2 id="pending-requests" className="mb-2 font-bold">
            Requests waiting now
          </h2>
          {data.queueVisibility.length === 0 ? (
            <Empty>No requests are waiting.</Empty>
          ) : (
            <ul className="space-y-1 text-sm" data-testid="visibility">
              {data.queueVisibility.map((q) => (
                <li key={q.sessionId}>
                  <Link className="underline" href={`/admin/sessions/${q.sessionId}`}>
                    {q.sessionId.slice(0, 8)}
                  </Link>{' '}
                  {planName(q.plan)}:{' '}
                  {q.visible ? (
                    <span className="text-green-800">in their queue</span>
                  ) : (
                    <span>hidden, {eligibilityWords(q.hiddenBy)}</span>
                  )}
                </li>
              ))}
            </ul>
          )}
        </section>
      )}
    </div>
  );
}

function Summary({ data }: { data: MechanicInspection }) {
  const m = data.mechanic;
  return (
    <section className="card space-y-2 text-sm" aria-labelledby="person">
      <h2 id="person" className="text-lg font-bold">
        {data.user.name}
      </h2>
      <p className="break-words text-slate-600">{data.user.email}</p>
      <ul className="flex flex-wrap gap-2 text-xs font-semibold">
        <li className="rounded-full bg-slate-100 px-2.5 py-1">{ROLE_LABEL[data.user.role]}</li>
        {data.user.banned && <li className="rounded-full bg-red-100 px-2.5 py-1 text-red-900">Banned</li>}
        {!data.authLinked && (
          <li className="rounded-full bg-red-100 px-2.5 py-1 text-red-900">Cannot sign in: no password linked</li>
        )}
        {m && (
          <>
            <li className="rounded-full bg-slate-100 px-2.5 py-1">{TIER_LABEL[m.serviceTier]}</li>
            <li className="rounded-full bg-slate-100 px-2.5 py-1">{APPROVAL_LABEL[m.approvalStatus]}</li>
            <li className="rounded-full bg-slate-100 px-2.5 py-1">
              {m.canAcceptSessions ? 'Accepting allowed' : 'Accepting paused by an admin'}
            </li>
            <li className="rounded-full bg-slate-100 px-2.5 py-1">{m.onShift ? 'On shift' : 'Off shift'}</li>
          </>
        )}
      </ul>
      {data.user.role !== 'admin' && (
        <p
          data-testid="eligibility"
          className={data.eligibility.eligible ? 'text-green-800' : 'font-semibold text-red-700'}
        >
          {data.eligibility.eligible
            ? 'Can take requests now.'
            : `Cannot take requests: ${eligibilityWords(data.eligibility.blockedBy)}.`}
        </p>
      )}
      {data.activeSession && (
        <p>
          In a session now:{' '}
          <Link className="underline" href={`/admin/sessions/${data.activeSession.id}`}>
            {data.activeSession.vehicle.year} {data.activeSession.vehicle.make} {data.activeSession.vehicle.model}
          </Link>
        </p>
      )}
    </section>
  );
}
