import { useEffect, useState } from 'react';
import { reports, type MechanicProfile, type Report, type Session } from '../../../shared/contract';
import { FOLLOW_UPS, SEVERITIES, type Severity } from '../../../shared/domain';
import { costRange, FOLLOW_UP_LABEL, reportSignature, SEVERITY_LABEL } from '../../../shared/report-words';
import { ApiError, call } from '../../lib/api';
import { REPORT } from '../../lib/form-words';
import { money } from '../../lib/format';
import { useEndpoint } from '../../lib/use-endpoint';
import { useFormErrors } from '../../lib/use-form-errors';
import { ErrorSummary } from '../../components/error-summary';
import { Field, Notice, Select, TextArea } from '../../components/ui';
import { TroubleCodeInput } from '../../components/trouble-code-input';
import { TroubleCodeList } from '../../components/trouble-code-list';
import { useTroubleCodeInfo, worstHint } from '../../lib/trouble-code-info';
import { MechanicAvatar, useMechanicProfile } from './mechanic-card';

/** The form's value if it is one of `options` (the select offers nothing else), else `fallback`. */
function oneOf<T extends string>(options: readonly T[], value: FormDataEntryValue | null, fallback: T): T {
  return options.find((option) => option === value) ?? fallback;
}

/** The server's `recommendations.N` (N among those sent) as the page's rows (`sent[N]`). */
function renumbered(caught: unknown, sent: readonly number[]): unknown {
  if (!(caught instanceof ApiError)) return caught;
  const fields = caught.fields.map((f) => ({
    ...f,
    path: f.path.replace(
      /^body\.recommendations\.(\d+)/,
      (_, n: string) => `body.recommendations.${sent[Number(n)] ?? n}`,
    ),
  }));
  return new ApiError(caught.status, caught.code, caught.message, fields, caught.reason);
}

type Rec = { title: string; urgency: Report['severity']; min: string; max: string };

/** The mechanic's report: saved as a draft or submitted (then read-only). */
export function ReportForm({ session, onSubmitted }: { session: Session; onSubmitted: (r: Report) => void }) {
  const loaded = useEndpoint(reports.get, { params: { id: session.id } }); // 404 until a draft is saved
  const [latest, setLatest] = useState<Report | null>(null);
  const report = latest ?? (loaded.error ? null : loaded.data);
  const [recs, setRecs] = useState<Rec[]>([{ title: '', urgency: 'soon', min: '', max: '' }]);
  const form = useFormErrors(REPORT);
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
    const data = new FormData(element);
    const [summary, findings] = [String(data.get('summary') ?? ''), String(data.get('findings') ?? '')];
    // The server numbers the recommendations it is sent (those with a title); the page, every row.
    const sent = recs.flatMap((r, i) => (r.title.trim() ? [i] : []));
    const costs: Record<string, 'format' | 'mismatch' | null> = {};
    recs.forEach((r, i) => {
      const [min, max] = [Number(r.min || 0), Number(r.max || 0)];
      costs[`recommendations.${i}.estimatedCostMinCents`] = min >= 0 ? null : 'format';
      costs[`recommendations.${i}.estimatedCostMaxCents`] =
        max >= 0 ? (r.min && r.max && min > max ? 'mismatch' : null) : 'format';
    });
    const values = {
      summary,
      findings,
      ...Object.fromEntries(recs.map((r, i) => [`recommendations.${i}.title`, r.title])),
    };
    if (!form.check(values, { troubleCodes: codeDraft.trim() ? 'unsent' : null, ...costs })) return;
    setBusy(true);
    try {
      const body = {
        summary,
        findings,
        severity: oneOf(SEVERITIES, data.get('severity'), severity),
        troubleCodes: codes,
        followUp: oneOf(FOLLOW_UPS, data.get('followUp'), 'none'),
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
      form.fail(renumbered(caught, sent));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form
      className="card space-y-4"
      onSubmit={(e) => (e.preventDefault(), void save(e.currentTarget, true))}
      onChange={form.onChange}
      aria-label="Report"
      noValidate
    >
      <h2 className="text-lg font-bold">Your report for the customer</h2>
      <ErrorSummary form={form} level={3} />
      {saved && <Notice tone="success">{saved}</Notice>}
      <TextArea
        label="Summary"
        name="summary"
        required
        maxLength={2000}
        defaultValue={report?.summary}
        {...form.field('summary')}
      />
      <TextArea
        label="Findings"
        name="findings"
        required
        maxLength={8000}
        defaultValue={report?.findings}
        {...form.field('findings')}
      />
      <TroubleCodeInput
        label="Trouble codes (read or confirmed)"
        hint="The codes you read or confirmed, for example P0301; the customer’s are already here. Press Enter after each."
        value={codes}
        onChange={(next) => {
          setCodes(next);
          form.clear('troubleCodes');
        }}
        onDraftChange={setCodeDraft}
        {...form.field('troubleCodes')}
      />
      <div className="grid gap-4 sm:grid-cols-2">
        <div>
          <Select
            label="Severity"
            name="severity"
            value={severity}
            onChange={(e) => setChosenSeverity(oneOf(SEVERITIES, e.target.value, severity))}
            {...form.field('severity')}
            {...(chosenSeverity === null && suggested ? { 'aria-describedby': 'severity-from-codes' } : {})}
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
                {...form.field(`recommendations.${i}.title`)}
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
              {...form.field(`recommendations.${i}.estimatedCostMinCents`)}
            />
            <Field
              label="Cost to ($)"
              type="number"
              min={0}
              value={rec.max}
              onChange={(e) => setRecs(recs.map((r, j) => (j === i ? { ...r, max: e.target.value } : r)))}
              {...form.field(`recommendations.${i}.estimatedCostMaxCents`)}
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
  /** Who wrote it: the report is signed with their profile (the room's reports have it). */
  mechanicId?: string;
};

/** Whom a report is signed by, when the page already knows (a shared report names its mechanic). */
export type Signer = Pick<MechanicProfile, 'displayName' | 'serviceTier'> & Partial<Pick<MechanicProfile, 'photoUrl'>>;

function Signature({ signer }: { signer: Signer }) {
  return (
    <footer className="flex items-center gap-3 border-t border-slate-200 pt-3" data-testid="report-signature">
      <MechanicAvatar profile={{ displayName: signer.displayName, photoUrl: signer.photoUrl ?? null }} size="sm" />
      <p className="text-sm font-semibold">{reportSignature(signer.displayName, signer.serviceTier)}</p>
    </footer>
  );
}

/** Signed with the mechanic's profile, once it has loaded. */
function SignatureOf({ mechanicId }: { mechanicId: string }) {
  const { data } = useMechanicProfile(mechanicId);
  return data ? <Signature signer={data} /> : null;
}

export function ReportView({ report, signedBy }: { report: ReportContent; signedBy?: Signer }) {
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
      {signedBy ? <Signature signer={signedBy} /> : report.mechanicId && <SignatureOf mechanicId={report.mechanicId} />}
    </article>
  );
}
