import { useId, useState, type KeyboardEvent } from 'react';
import { MAX_TROUBLE_CODES, normaliseTroubleCode, TROUBLE_CODE_MESSAGE } from '../../shared/trouble-codes';
import { useTroubleCodeInfo } from '../lib/trouble-code-info';
import { TroubleCodeRow } from './trouble-code-list';

const SEPARATORS = /[\s,;]+/;

/** What is left of `draft` after adding its codes to `codes`, and what to say about it. */
export function addTroubleCodes(
  codes: readonly string[],
  draft: string,
): { codes: string[]; rest: string; problem: string | null } {
  const next = [...codes];
  const rest: string[] = [];
  let problem: string | null = null;
  for (const token of draft.split(SEPARATORS).filter(Boolean)) {
    const code = normaliseTroubleCode(token);
    if (!code) {
      rest.push(token);
      problem = `“${token}” is not a trouble code. ${TROUBLE_CODE_MESSAGE}.`;
    } else if (next.includes(code)) {
      problem ??= `${code} is already in the list.`;
    } else if (next.length >= MAX_TROUBLE_CODES) {
      rest.push(token);
      problem = `At most ${MAX_TROUBLE_CODES} codes: remove one to add another.`;
    } else {
      next.push(code);
    }
  }
  return { codes: next, rest: rest.join(' '), problem };
}

/**
 * OBD-II trouble codes as chips, up to ten, each decoded as it is added (description and severity
 * hint): the intake's and the report's one way to enter codes. Enter, a space or a comma adds what
 * was typed (a pasted list too); leaving the field adds it as well, so a code typed and not
 * "added" is not lost. Text that is not a code stays in the field with the reason, and
 * `onDraftChange` tells the form, which can refuse to send until it is fixed or cleared.
 */
export function TroubleCodeInput({
  id: givenId,
  label = 'Trouble codes (optional)',
  value,
  onChange,
  error,
  hint = `From an OBD-II reader or the dashboard, for example P0301. Up to ${MAX_TROUBLE_CODES}; press Enter after each.`,
  onDraftChange,
}: {
  /** The text box's id (an error summary links to it). */
  id?: string;
  label?: string;
  value: readonly string[];
  onChange: (codes: string[]) => void;
  /** What the server said about the codes. */
  error?: string;
  hint?: string;
  onDraftChange?: (draft: string) => void;
}) {
  const ownId = useId();
  const id = givenId ?? ownId;
  const [draft, setDraftState] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const meanings = useTroubleCodeInfo(value);
  const setDraft = (text: string) => {
    setDraftState(text);
    onDraftChange?.(text);
  };

  const add = (text: string) => {
    if (!text.trim()) return;
    const result = addTroubleCodes(value, text);
    if (result.codes.length !== value.length) onChange(result.codes);
    setDraft(result.rest);
    setProblem(result.problem);
  };
  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key !== 'Enter') return;
    event.preventDefault(); // Enter adds the code; it does not send the form
    add(draft);
  };
  const message = problem ?? error;

  return (
    <div>
      <label htmlFor={id} className="label">
        {label}
      </label>
      <div className="flex gap-2">
        <input
          id={id}
          className="input font-mono uppercase placeholder:normal-case"
          value={draft}
          placeholder="P0301"
          autoComplete="off"
          autoCapitalize="characters"
          spellCheck={false}
          aria-invalid={Boolean(message)}
          aria-describedby={`${id}-msg`}
          onChange={(e) => {
            const text = e.target.value;
            // A separator typed (or a pasted list) adds what comes before it.
            if (SEPARATORS.test(text) && text.trim()) add(text);
            else {
              setDraft(text);
              if (problem) setProblem(null);
            }
          }}
          onKeyDown={onKeyDown}
          onBlur={() => add(draft)}
        />
        <button type="button" className="btn-secondary shrink-0" onClick={() => add(draft)}>
          Add code
        </button>
      </div>
      <p id={`${id}-msg`} aria-live="polite" className={`mt-1 text-xs ${message ? 'text-red-700' : 'text-slate-600'}`}>
        {message ?? `${hint}${value.length > 0 ? ` (${value.length} of ${MAX_TROUBLE_CODES})` : ''}`}
      </p>
      {value.length > 0 && (
        <ul className="mt-2 space-y-1.5" aria-label="Trouble codes added">
          {value.map((code) => (
            <TroubleCodeRow
              key={code}
              code={code}
              info={meanings.get(code)}
              action={
                <button
                  type="button"
                  className="shrink-0 rounded px-2 py-0.5 text-slate-700 hover:bg-slate-200"
                  aria-label={`Remove ${code}`}
                  onClick={() => {
                    onChange(value.filter((c) => c !== code));
                    setProblem(null);
                  }}
                >
                  <span aria-hidden>✕</span>
                </button>
              }
            />
          ))}
        </ul>
      )}
    </div>
  );
}
