import { useCallback, useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { checkForm, readServerError, type FormSpec, type FormValues, type ProblemKind } from './form-errors';

export type FormErrors = ReturnType<typeof useFormErrors>;

/** One entry of the error summary: the sentence, and the field it links to. */
export type SummaryItem = { path: string; id: string; message: string };

/** Moves focus to `element` and brings it into view (a field to the middle of the screen). */
export function focusAndShow(element: HTMLElement | null, block: ScrollLogicalPosition = 'center') {
  if (!element) return;
  element.focus({ preventScroll: true });
  element.scrollIntoView({ block });
}

/**
 * A form's problems: one sentence per field (shown under it, linked from the summary), and one for
 * what is not about a field. `check` runs the form's own rules before sending, `fail` reads a
 * refused request; either moves focus to the error summary (or, in a form without one, the first
 * field with a problem). A field's sentence goes as soon as the field changes: give the <form>
 * `onChange={form.onChange}`, and each field the `id` from `form.field(path)`.
 */
export function useFormErrors<F extends string>(spec: FormSpec<F>) {
  const base = useId().replace(/[^\w-]/g, '');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [problem, setProblem] = useState<{ sentence: string; code: string | null } | null>(null);
  /** How many times problems were shown: each time, focus moves to them. */
  const [shown, setShown] = useState(0);
  const summaryRef = useRef<HTMLDivElement | null>(null);
  const pathOfId = useRef(new Map<string, string>());

  const idOf = useCallback(
    (path: string) => {
      const id = `${base}-${path.replace(/[^\w-]/g, '-')}`;
      pathOfId.current.set(id, path);
      return id;
    },
    [base],
  );

  // In the order of the spec, which is the page's; list entries (`recommendations.2.title`) by index.
  const order = Object.keys(spec.fields);
  const rank = (path: string) => {
    const exact = order.indexOf(path);
    return exact >= 0 ? exact : order.indexOf(path.replace(/(^|\.)\d+(?=\.|$)/g, '$1*'));
  };
  const items: SummaryItem[] = Object.entries(errors)
    .sort(([a], [b]) => rank(a) - rank(b) || a.localeCompare(b, undefined, { numeric: true }))
    .map(([path, message]) => ({ path, id: idOf(path), message }));

  useEffect(() => {
    if (shown === 0) return;
    const summary = summaryRef.current;
    if (summary) focusAndShow(summary, 'start');
    else if (items[0]) focusAndShow(document.getElementById(items[0].id));
    // Only when problems were just shown, not when one is cleared: `items` is left out on purpose.
  }, [shown]);

  const show = (fields: Record<string, string>, sentence: string | null = null, code: string | null = null) => {
    setErrors(fields);
    setProblem(sentence ? { sentence, code } : null);
    if (Object.keys(fields).length > 0 || sentence) setShown((n) => n + 1);
  };

  const clear = useCallback((path: string) => {
    setErrors((current) => {
      if (!(path in current)) return current;
      const { [path]: _gone, ...rest } = current;
      return rest;
    });
  }, []);

  return {
    errors,
    items,
    /** What is wrong that is not about one field, in a sentence. */
    problem: problem?.sentence ?? null,
    /** Its code (the intake links to the open session for ACTIVE_SESSION_EXISTS). */
    code: problem?.code ?? null,
    summaryRef,
    idOf,
    /** The props that tie a field to its problem: `<Field {...form.field('email')} />`. */
    field: (path: F | (string & {})) => ({ id: idOf(path), error: errors[path] }),
    /**
     * The form's own rules on `values` (only the fields given), and the form's own findings
     * (`extra`, by kind); true when nothing is wrong. Replaces what was shown before.
     */
    check(values: FormValues<F>, extra: FormValues<F, ProblemKind | null | undefined> = {}): boolean {
      const found = checkForm(spec, values, extra);
      show(found);
      return Object.keys(found).length === 0;
    },
    /** A refused request (or a failure to reach the server), said in the form's words. */
    fail(caught: unknown, under = '') {
      const read = readServerError(spec, caught, under);
      show(read.fields, read.problem, read.code);
    },
    /** Sentences the page works out itself (how much can still be refunded). */
    show,
    clear,
    /** On the <form>: a field that changes loses its sentence. */
    onChange: (event: FormEvent<HTMLFormElement>) => {
      const target = event.target as HTMLElement;
      const path =
        pathOfId.current.get(target.id) ?? target.closest('[data-field]')?.getAttribute('data-field') ?? null;
      if (path) clear(path);
    },
  };
}
