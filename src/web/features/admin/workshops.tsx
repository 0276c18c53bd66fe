import { useState, type FormEvent } from 'react';
import { accounts, admin } from '../../../shared/contract';
import { call, messageOf } from '../../lib/api';
import { useEndpoint } from '../../lib/use-endpoint';
import { Field, Notice, PageTitle, Select } from '../../components/ui';
import { AdminShell } from './admin-shell';

export function Workshops() {
  const { data, reload } = useEndpoint(accounts.workshops, {});
  const [message, setMessage] = useState<string | null>(null);
  const create = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    try {
      await call(admin.createWorkshop, {
        body: {
          name: String(form.get('name')),
          city: String(form.get('city')),
          country: String(form.get('country')),
          reason: 'created in the admin console',
        },
      });
      setMessage('Workshop created.');
      void reload();
    } catch (caught) {
      setMessage(messageOf(caught));
    }
  };
  const addMember = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    try {
      const inspection = await call(admin.inspectMechanic, { query: { email: String(form.get('email')) } });
      await call(admin.addMember, {
        params: { id: String(form.get('workshopId')) },
        body: { userId: inspection.user.id, reason: 'added in the admin console' },
      });
      setMessage(`${inspection.user.email} is now a partner of this workshop.`);
    } catch (caught) {
      setMessage(messageOf(caught));
    }
  };
  return (
    <AdminShell>
      <PageTitle>Workshops</PageTitle>
      {message && <Notice>{message}</Notice>}
      <ul className="space-y-1 text-sm">
        {data?.items.map((w) => (
          <li key={w.id}>
            {w.name}, {w.city}
          </li>
        ))}
      </ul>
      <form onSubmit={(e) => void create(e)} className="card grid gap-3 sm:grid-cols-4" aria-label="New workshop">
        <Field label="Name" name="name" required />
        <Field label="City" name="city" required />
        <Field label="Country" name="country" defaultValue="US" required />
        <button className="btn-primary self-end">Create</button>
      </form>
      <form onSubmit={(e) => void addMember(e)} className="card grid gap-3 sm:grid-cols-3" aria-label="Add a member">
        <Select label="Workshop" name="workshopId">
          {data?.items.map((w) => (
            <option key={w.id} value={w.id}>
              {w.name}
            </option>
          ))}
        </Select>
        <Field label="Mechanic email" name="email" type="email" required />
        <button className="btn-primary self-end">Add member</button>
      </form>
    </AdminShell>
  );
}
