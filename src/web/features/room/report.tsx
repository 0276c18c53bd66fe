import { useEffect, useState, type FormEvent } from 'react';
import { reports, type Report, type Session } from '../../../shared/contract';
import { FOLLOW_UPS, SEVERITIES, type Severity } from '../../../shared/domain';
import { costRange, FOLLOW_UP_LABEL, SEVERITY_LABEL } from '../../../shared/report-words';
import { ApiError, call } from '../../lib/api';
import { money } from '../../lib/format';
import { useEndpoint } from '../../lib/use-endpoint';
import { Field, Notice, Select, TextArea } from '../../components/ui';
import { TroubleCodeInput } from '../../components/trouble-code-input';
import { TroubleCodeList } from '../../components/trouble-code-list';
import { useTroubleCodeInfo, worstHint } from '../../lib/trouble-code-info';

/** The form's value if it is one of `options` (the select offers nothing else), else `fallback`. */
function oneOf<T extends string>(options: readonly T[], value: FormDataEntryValue | null, fallback: T): T {
  return options.find((option) => option === value) ?? fallback;
}

type Rec = { title: string; urgency: Report['severity']; min: string; max: string };

/** The mechanic's report: saved as a draft or submitted (then read-only). */
export function ReportForm({ session, onSubmitted }: { session: Session; onSubmitted: (r: Report) => void }) {
  const loaded = useEndpoint(reports.get, { params: { id: session.id } }); // 404 until a draft is saved
  const [latest, setLatest] = useState<Report | null>(null);
  const report = latest ?? (loaded.error ? null : loaded.data);
  const [recs, setRecs] = useState<Rec[]>([{ title: '', urgency: 'soon', min: '', max: '' }]);
  const [error, setError] = useState<ApiError | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  // The codes the customer gave, to confirm or correct; a saved draft's own codes replace them.
  const [codes, setCodes] = useState<string[]>(session.troubleCodes);
  const [codeDraft, setCodeDraft] = useState('');
  // Null: the severity follows the worst hint of the codes, until the mechanic picks one.
  const [chosenSeverity, setChosenSeverity] = useState<Severity | null>(null);
  const meanings = useTroubleCodeInfo([...new Set([...codes, ...session.troubleCodes])]);
  // As the server does when none is given: the report's codes, else the intake's.
  const suggested = worstHint(codes.length > 0 ? codes : session.troubleCodes, meanings);
  const severity = chosenSeverity ?? suggested?.severity ?? 'soon';
  useEffect(() => {
    if (!loaded.data) return;
    setCodes(loaded.data.troubleCodes);
    setChosenSeverity(loaded.data.severity);
  }, [loaded.data]);
  // The form starts from the saved draft's recommendations (saving later keeps the rows as typed).
  useEffect(() => {
    if (!loaded.data?.recommendations.length) return;
    setRecs(
      loaded.data.recommendations.map((x) => ({
        title: x.title,
        urgency: x.urgency,
        min: x.estimatedCostMinCents ? String(x.estimatedCostMinCents / 100) : '',
        max: x.estimatedCostMaxCents ? String(x.estimatedCostMaxCents / 100) : '',
      })),
    );
  }, [loaded.data]);

  if (report?.status === 'submitted') return <ReportView report={report} />;

  const save = async (element: HTMLFormElement, submit: boolean) => {
    const form = new FormData(element);
    if (codeDraft.trim()) {
      setError(
        new ApiError(0, 'UNSENT_CODE', 'Add the trouble code you typed (press Enter) or clear it.', [
          { path: 'body.troubleCodes', message: 'Add the code you typed (press Enter) or clear the field.' },
        ]),
      );
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const body = {
        summary: String(form.get('summary')),
        findings: String(form.get('findings')),
        severity: oneOf(SEVERITIES, form.get('severity'), severity),
        troubleCodes: codes,
        followUp: oneOf(FOLLOW_UPS, form.get('followUp'), 'none'),
        recommendations: recs
          .filter((r) => r.title.trim())
          .map((r) => ({
            title: r.title.trim(),
            urgency: r.urgency,
            ...(r.min ? { estimatedCostMinCents: Math.round(Number(r.min) * 100) } : {}),
            ...(r.max ? { estimatedCostMaxCents: Math.round(Number(r.max) * 100) } : {}),
          })),
        submit,
      };
      const next = await call(reports.save, { params: { id: session.id }, body });
      setLatest(next);
      setSaved(submit ? null : `Draft saved at ${new Date().toLocaleTimeString()}`);
      if (submit) onSubmitted(next);
    } catch (caught) {
      setError(caught instanceof ApiError ? caught : new ApiError(0, 'UNKNOWN', 'Could not save the report.'));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form
      className="card space-y-4"
      onSubmit={(e) => (e.preventDefault(), void save(e.currentTarget, true))}
      aria-label="Report"
      noValidate
    >
      <h2 className="text-lg font-bold">Your report for the customer</h2>
      {error && <Notice tone="error">{error.message}</Notice>}
      {saved && <Notice tone="success">{saved}</Notice>}
      <TextArea
        label="Summary"
        name="summary"
        required
        maxLength={2000}
        defaultValue={report?.summary}
        error={error?.field('summary')}
      />
      <TextArea
        label="Findings"
        name="findings"
        required
        maxLength={8000}
        defaultValue={report?.findings}
        error={error?.field('findings')}
      />
      <TroubleCodeInput
        label="Trouble codes (read or confirmed)"
        hint="The codes you read or confirmed, for example P0301; the customer’s are already here. Press Enter after each."
        value={codes}
        onChange={setCodes}
        onDraftChange={setCodeDraft}
        error={error?.field('troubleCodes')}
      />
      <div className="grid gap-4 sm:grid-cols-2">
        <div>
          <Select
            label="Severity"
            name="severity"
            value={severity}
            onChange={(e) => setChosenSeverity(oneOf(SEVERITIES, e.target.value, severity))}
            {...(chosenSeverity === null && suggested ? { 'aria-describedby': 'severity-from-codes' } : {})}
            error={error?.field('severity')}
          >
            {Object.entries(SEVERITY_LABEL).map(([v, l]) => (
              <option key={v} value={v}>
                {l}
              </option>
            ))}
          </Select>
          {chosenSeverity === null && suggested && (
            <p id="severity-from-codes" className="mt-1 text-xs text-slate-600">
              From the worst trouble code ({suggested.code}: {SEVERITY_LABEL[suggested.severity]}). Change it if you
              judge otherwise.
            </p>
          )}
        </div>
        <Select label="Follow-up" name="followUp" defaultValue={report?.followUp ?? 'none'}>
          {Object.entries(FOLLOW_UP_LABEL).map(([v, l]) => (
            <option key={v} value={v}>
              {l}
            </option>
          ))}
        </Select>
      </div>
      <fieldset className="space-y-3">
        <legend className="label">Recommendations</legend>
        {recs.map((rec, i) => (
          <div key={i} className="grid gap-2 rounded-lg border border-slate-200 p-3 sm:grid-cols-4">
            <div className="sm:col-span-4">
              <Field
                label={`Recommendation ${i + 1}`}
                value={rec.title}
                onChange={(e) => setRecs(recs.map((r, j) => (j === i ? { ...r, title: e.target.value } : r)))}
              />
            </div>
            <Select
              label="Urgency"
              value={rec.urgency}
              onChange={(e) =>
                setRecs(
                  recs.map((r, j) => (j === i ? { ...r, urgency: oneOf(SEVERITIES, e.target.value, r.urgency) } : r)),
                )
              }
            >
              {Object.entries(SEVERITY_LABEL).map(([v, l]) => (
                <option key={v} value={v}>
                  {l}
                </option>
              ))}
            </Select>
            <Field
              label="Cost from ($)"
              type="number"
              min={0}
              value={rec.min}
              onChange={(e) => setRecs(recs.map((r, j) => (j === i ? { ...r, min: e.target.value } : r)))}
            />
            <Field
              label="Cost to ($)"
              type="number"
              min={0}
              value={rec.max}
              onChange={(e) => setRecs(recs.map((r, j) => (j === i ? { ...r, max: e.target.value } : r)))}
            />
          </div>
        ))}
        <button
          type="button"
          className="btn-secondary"
          onClick={() => setRecs([...recs, { title: '', urgency: 'soon', min: '', max: '' }])}
        >
          Add a recommendation
        </button>
      </fieldset>
      <div className="flex flex-wrap gap-2">
        <button
          type="button"
          className="btn-secondary"
          disabled={busy}
          onClick={(e) => e.currentTarget.form && void save(e.currentTarget.form, false)}
        >
          Save draft
        </button>
        <button className="btn-primary" disabled={busy}>
          Submit report
        </button>
      </div>
    </form>
  );
}

/** What a report says, wherever it is read: the session room, a shared link. */
export type ReportContent = Pick<Report, 'summary' | 'findings' | 'severity' | 'recommendations' | 'followUp'> & {
  troubleCodes?: readonly string[];
};

export function ReportView({ report }: { report: ReportContent }) {
  return (
    <article className="card space-y-3" aria-label="Mechanic’s report">
      <h2 className="text-lg font-bold">The mechanic’s report</h2>
      <p
        className={`inline-block rounded-full px-3 py-1 text-sm font-semibold ${report.severity === 'unsafe_to_drive' || report.severity === 'urgent' ? 'bg-red-100 text-red-900' : 'bg-slate-100'}`}
      >
        {SEVERITY_LABEL[report.severity]}
      </p>
      <p className="font-medium">{report.summary}</p>
      <p className="whitespace-pre-wrap text-sm text-slate-700">{report.findings}</p>
      {report.troubleCodes && report.troubleCodes.length > 0 && (
        <div className="space-y-1.5">
          <h3 className="text-sm font-semibold">Trouble codes</h3>
          <TroubleCodeList codes={report.troubleCodes} label="Trouble codes in the report" />
        </div>
      )}
      {report.recommendations.length > 0 && (
        <ul className="space-y-1 text-sm">
          {report.recommendations.map((r, i) => {
            const cost = costRange(r.estimatedCostMinCents, r.estimatedCostMaxCents, money);
            return (
              <li key={i}>
                • {r.title} — {SEVERITY_LABEL[r.urgency] ?? r.urgency}
                {cost && ` · ${cost}`}
              </li>
            );
          })}
        </ul>
      )}
      <p className="text-sm">Next step: {FOLLOW_UP_LABEL[report.followUp]}</p>
    </article>
  );
}

export function ReviewForm({ sessionId }: { sessionId: string }) {
  const [rating, setRating] = useState(0);
  const [comment, setComment] = useState('');
  const [done, setDone] = useState(false);
  const [error, setError] = useState<string | null>(null);
  if (done) return <Notice tone="success">Thank you for rating your mechanic.</Notice>;
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    try {
      await call(reports.review, {
        params: { id: sessionId },
        body: { rating, ...(comment.trim() ? { comment: comment.trim() } : {}) },
      });
      setDone(true);
    } catch (caught) {
      if (caught instanceof ApiError && caught.status === 409) setDone(true);
      else setError(caught instanceof ApiError ? caught.message : 'Could not send your rating.');
    }
  };
  return (
    <form className="card space-y-3" onSubmit={(e) => void submit(e)} aria-label="Rate your mechanic">
      <h2 className="text-lg font-bold">How did it go?</h2>
      <fieldset className="flex gap-1">
        <legend className="sr-only">Rating</legend>
        {[1, 2, 3, 4, 5].map((n) => (
          <label
            key={n}
            className={`cursor-pointer rounded-lg border px-3 py-2 text-lg ${rating >= n ? 'border-amber-400 bg-amber-50' : 'border-slate-200'}`}
          >
            <input
              type="radio"
              name="rating"
              value={n}
              className="sr-only"
              checked={rating === n}
              onChange={() => setRating(n)}
            />
            <span aria-hidden>★</span>
            <span className="sr-only">
              {n} star{n > 1 ? 's' : ''}
            </span>
          </label>
        ))}
      </fieldset>
      <TextArea
        label="Comment (optional)"
        value={comment}
        onChange={(e) => setComment(e.target.value)}
        maxLength={2000}
      />
      {error && (
        <p role="alert" className="text-sm text-red-700">
          {error}
        </p>
      )}
      <button className="btn-primary" disabled={rating === 0}>
        Send rating
      </button>
    </form>
  );
}
