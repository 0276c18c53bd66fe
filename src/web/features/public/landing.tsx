import { accounts } from '../../../shared/contract';
import { useAuth } from '../../lib/auth';
import { money } from '../../lib/format';
import { Link } from '../../lib/router';
import { useEndpoint } from '../../lib/use-endpoint';

export function Landing() {
  const { me } = useAuth();
  const loaded = useEndpoint(accounts.plans, {});
  const onShift = useEndpoint(accounts.available, {}).data?.onShift ?? null;
  const plans = loaded.data?.items ?? null;
  const failed = loaded.error !== null;
  return (
    <div className="space-y-12">
      <section className="grid gap-6 sm:grid-cols-2 sm:items-center">
        <div className="space-y-4">
          <h1 className="text-4xl font-extrabold tracking-tight sm:text-5xl">
            A certified mechanic, right now, wherever your car is.
          </h1>
          <p className="text-lg text-slate-700">
            Describe the noise, the warning light or the leak. A mechanic joins you by chat or video, looks at your
            photos, and sends you a written report with what to fix, how urgent it is and what it should cost.
          </p>
          <p className="text-sm font-medium text-green-800" aria-live="polite">
            {onShift === null
              ? ''
              : onShift === 0
                ? 'No mechanics are on shift right now — requests wait up to 15 minutes.'
                : `${onShift} mechanic${onShift === 1 ? ' is' : 's are'} on shift now.`}
          </p>
          <div className="flex flex-wrap gap-3">
            <Link
              href={me ? (me.user.role === 'customer' ? '/request' : '/app') : '/sign-up'}
              className="btn-primary px-6 py-3 text-base"
            >
              {me ? (me.user.role === 'customer' ? 'Get help now' : 'Open my dashboard') : 'Get help now'}
            </Link>
            {!me && (
              <Link href="/apply" className="btn-secondary px-6 py-3 text-base">
                I’m a mechanic
              </Link>
            )}
          </div>
        </div>
        <ol className="card space-y-3 text-sm">
          <li>
            <strong>1. Describe it.</strong> Your car, what happens, photos if you have them.
          </li>
          <li>
            <strong>2. A mechanic accepts.</strong> Usually within minutes; you see it happen live.
          </li>
          <li>
            <strong>3. Talk it through.</strong> Chat with photos, or video for a closer look.
          </li>
          <li>
            <strong>4. Get the report.</strong> Findings, severity, recommendations and cost ranges.
          </li>
        </ol>
      </section>
      <section aria-labelledby="plans">
        <h2 id="plans" className="mb-4 text-2xl font-bold">
          Plans
        </h2>
        {failed && <p className="text-red-700">Plans could not be loaded. Please refresh.</p>}
        {!plans && !failed && <p className="text-slate-600">Loading plans…</p>}
        <ul className="grid gap-4 sm:grid-cols-2 lg:grid-cols-4">
          {plans?.map((plan) => (
            <li key={plan.slug} className="card flex flex-col gap-2">
              <h3 className="font-bold">{plan.name}</h3>
              <p className="text-2xl font-extrabold">{money(plan.priceCents, plan.currency)}</p>
              <p className="text-sm text-slate-600">
                {plan.minutes} minutes ·{' '}
                {plan.kind === 'chat'
                  ? 'chat with photos'
                  : plan.kind === 'video'
                    ? 'video call and chat'
                    : 'video with a workshop mechanic'}
              </p>
              {plan.slug === 'free' && <p className="text-xs text-slate-500">One free question per customer.</p>}
            </li>
          ))}
        </ul>
      </section>
    </div>
  );
}
