import { useState, type FormEvent } from 'react';
import { accounts, admin } from '../../../shared/contract';
import { call } from '../../lib/api';
import { WORKSHOP, WORKSHOP_MEMBER } from '../../lib/form-words';
import { useEndpoint } from '../../lib/use-endpoint';
import { useFormErrors } from '../../lib/use-form-errors';
import { ErrorSummary } from '../../components/error-summary';
import { Field, Notice, PageTitle, Select } from '../../components/ui';
import { AdminShell } from './admin-shell';

/** The text of each named field of a form. */
const textsOf = (element: HTMLFormElement) => {
  const data = new FormData(element);
  return (name: string) => String(data.get(name) ?? '').trim();
};

export function Workshops() {
  const { data, reload } = useEndpoint(accounts.workshops, {});
  const [message, setMessage] = useState<string | null>(null);
  const workshop = useFormErrors(WORKSHOP);
  const member = useFormErrors(WORKSHOP_MEMBER);
  const create = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const text = textsOf(event.currentTarget);
    const values = { name: text('name'), city: text('city'), country: text('country') };
    setMessage(null);
    if (!workshop.check(values)) return;
    try {
      await call(admin.createWorkshop, { body: { ...values, reason: 'created in the admin console' } });
      setMessage('Workshop created.');
      void reload();
    } catch (caught) {
      workshop.fail(caught);
    }
  };
  const addMember = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const text = textsOf(event.currentTarget);
    const values = { workshopId: text('workshopId'), email: text('email') };
    setMessage(null);
    if (!member.check(values)) return;
    try {
      const inspection = await call(admin.inspectMechanic, { query: { email: values.email } });
      await call(admin.addMember, {
        params: { id: values.workshopId },
        body: { userId: inspection.user.id, reason: 'added in the admin console' },
      });
      setMessage(`${inspection.user.email} is now a partner of this workshop.`);
    } catch (caught) {
      member.fail(caught);
    }
  };
  return (
    <AdminShell>
      <PageTitle>Workshops</PageTitle>
      {message && <Notice tone="success">{message}</Notice>}
      <ul className="space-y-1 text-sm">
        {data?.items.map((w) => (
          <li key={w.id}>
            {w.name}, {w.city}
          </li>
        ))}
      </ul>
      <form
        onSubmit={(e) => void create(e)}
        onChange={workshop.onChange}
        className="card space-y-3"
        aria-label="New workshop"
        noValidate
      >
        <ErrorSummary form={workshop} />
        <div className="grid gap-3 sm:grid-cols-4">
          <Field label="Name" name="name" required {...workshop.field('name')} />
          <Field label="City" name="city" required {...workshop.field('city')} />
          <Field label="Country" name="country" defaultValue="US" required {...workshop.field('country')} />
          <button className="btn-primary self-end">Create</button>
        </div>
      </form>
      <form
        onSubmit={(e) => void addMember(e)}
        onChange={member.onChange}
        className="card space-y-3"
        aria-label="Add a member"
        noValidate
      >
        <ErrorSummary form={member} />
        <div className="grid gap-3 sm:grid-cols-3">
          <Select label="Workshop" name="workshopId" {...member.field('workshopId')}>
            {data?.items.map((w) => (
              <option key={w.id} value={w.id}>
                {w.name}
              </option>
            ))}
          </Select>
          <Field label="Mechanic email" name="email" type="email" required {...member.field('email')} />
          <button className="btn-primary self-end">Add member</button>
        </div>
      </form>
    </AdminShell>
  );
}
