import {
  useId,
  type InputHTMLAttributes,
  type ReactNode,
  type SelectHTMLAttributes,
  type TextareaHTMLAttributes,
} from 'react';
import type { SessionStatus } from '../../shared/domain';
import { STATUS_LABEL } from '../lib/format';

export function Spinner({ label = 'Loading…' }: { label?: string }) {
  return (
    <div role="status" className="flex items-center gap-3 p-6 text-slate-600">
      <span className="h-5 w-5 animate-spin rounded-full border-2 border-slate-300 border-t-blue-700" aria-hidden />
      {label}
    </div>
  );
}

export function Notice({
  tone = 'info',
  children,
}: {
  tone?: 'info' | 'error' | 'success' | 'warning';
  children: ReactNode;
}) {
  const styles = {
    info: 'border-blue-200 bg-blue-50 text-blue-900',
    error: 'border-red-200 bg-red-50 text-red-900',
    success: 'border-green-200 bg-green-50 text-green-900',
    warning: 'border-amber-200 bg-amber-50 text-amber-900',
  }[tone];
  return (
    <div role={tone === 'error' ? 'alert' : 'status'} className={`rounded-lg border px-4 py-3 text-sm ${styles}`}>
      {children}
    </div>
  );
}

export function Empty({ children }: { children: ReactNode }) {
  return (
    <p className="rounded-lg border border-dashed border-slate-300 p-6 text-center text-sm text-slate-600">
      {children}
    </p>
  );
}

type FieldProps = { label: string; error?: string; hint?: string };

/**
 * What is wrong with a control (with a hidden "Error:" for screen readers) and its hint, both under
 * it and both read with it (aria-describedby).
 */
function FieldMessage({ id, error, hint }: { id: string; error?: string; hint?: string }) {
  if (!error && !hint) return null;
  return (
    <div id={id} className="mt-1 space-y-0.5 text-xs">
      {error && (
        <p className="font-medium text-red-700">
          <span className="sr-only">Error: </span>
          {error}
        </p>
      )}
      {hint && <p className="text-slate-500">{hint}</p>}
    </div>
  );
}

/** A label, the control it names, and the message that describes it. */
function Labelled(props: FieldProps & { id: string; children: ReactNode }) {
  return (
    <div>
      <label htmlFor={props.id} className="label">
        {props.label}
      </label>
      {props.children}
      <FieldMessage id={`${props.id}-msg`} error={props.error} hint={props.hint} />
    </div>
  );
}

const describedBy = (id: string, error?: string, hint?: string) => (error || hint ? `${id}-msg` : undefined);

/** The control's id: the one given (a form's error summary links to it), else one of its own. */
function useControlId(given: string | undefined): string {
  const own = useId();
  return given ?? own;
}

export function Field({ label, error, hint, ...input }: FieldProps & InputHTMLAttributes<HTMLInputElement>) {
  const id = useControlId(input.id);
  return (
    <Labelled id={id} label={label} error={error} hint={hint}>
      <input
        id={id}
        className="input"
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(id, error, hint)}
        {...input}
      />
    </Labelled>
  );
}

export function TextArea({ label, error, hint, ...input }: FieldProps & TextareaHTMLAttributes<HTMLTextAreaElement>) {
  const id = useControlId(input.id);
  return (
    <Labelled id={id} label={label} error={error} hint={hint}>
      <textarea
        id={id}
        className="input min-h-24"
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(id, error, hint)}
        {...input}
      />
    </Labelled>
  );
}

export function Select({
  label,
  error,
  hint,
  children,
  ...input
}: FieldProps & SelectHTMLAttributes<HTMLSelectElement>) {
  const id = useControlId(input.id);
  return (
    <Labelled id={id} label={label} error={error} hint={hint}>
      <select
        id={id}
        className="input"
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(id, error, hint)}
        {...input}
      >
        {children}
      </select>
    </Labelled>
  );
}

export function StatusBadge({ status }: { status: SessionStatus }) {
  const tone: Record<SessionStatus, string> = {
    pending: 'bg-amber-100 text-amber-900',
    accepted: 'bg-blue-100 text-blue-900',
    live: 'bg-green-100 text-green-900',
    completed: 'bg-slate-200 text-slate-800',
    cancelled: 'bg-slate-200 text-slate-800',
    no_show: 'bg-red-100 text-red-900',
    expired: 'bg-red-100 text-red-900',
  };
  return (
    <span className={`rounded-full px-2.5 py-0.5 text-xs font-semibold ${tone[status]}`}>{STATUS_LABEL[status]}</span>
  );
}

export function PageTitle({ children, action }: { children: ReactNode; action?: ReactNode }) {
  return (
    <div className="mb-6 flex flex-wrap items-center justify-between gap-3">
      <h1 className="text-2xl font-bold tracking-tight">{children}</h1>
      {action}
    </div>
  );
}
