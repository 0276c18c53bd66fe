import { useId, type ReactNode } from 'react';
import { focusAndShow, type FormErrors } from '../lib/use-form-errors';

/**
 * The top of a form that was refused: "Please fix 2 things", each a link to its field, and what
 * went wrong that is not about a field. It takes focus when problems are shown, so a screen reader
 * reads it and the keyboard starts from it. With `listFields={false}` (a form of one field) only
 * the general problem is shown here, and focus goes to the field itself.
 */
export function ErrorSummary({
  form,
  level = 2,
  listFields = true,
  children,
}: {
  form: FormErrors;
  /** The heading's level: 3 inside a card or dialog that has an h2. */
  level?: 2 | 3;
  listFields?: boolean;
  /** Said after the general problem (a link to act on it). */
  children?: ReactNode;
}) {
  const headingId = useId();
  const items = listFields ? form.items : [];
  if (items.length === 0 && !form.problem) return null;
  const Heading = level === 2 ? 'h2' : 'h3';
  return (
    <div
      ref={(element) => {
        form.summaryRef.current = element;
      }}
      role="alert"
      tabIndex={-1}
      aria-labelledby={items.length > 0 ? headingId : undefined}
      className="rounded-lg border-2 border-red-700 bg-red-50 px-4 py-3 text-sm text-red-950 outline-none focus:ring-4 focus:ring-red-200"
    >
      {items.length > 0 && (
        <Heading id={headingId} className="text-base font-bold">
          Please fix {items.length === 1 ? '1 thing' : `${items.length} things`}
        </Heading>
      )}
      {form.problem && (
        <p className={items.length > 0 ? 'mt-1' : undefined}>
          {form.problem}
          {children && <> {children}</>}
        </p>
      )}
      {items.length > 0 && (
        <ul className="mt-2 list-disc space-y-1 pl-5">
          {items.map((item) => (
            <li key={item.path}>
              <a
                href={`#${item.id}`}
                className="font-medium text-red-900 underline"
                onClick={(event) => {
                  event.preventDefault();
                  focusAndShow(document.getElementById(item.id));
                }}
              >
                {item.message}
              </a>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
