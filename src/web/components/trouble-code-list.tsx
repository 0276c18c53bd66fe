import type { ReactNode } from 'react';
import type { TroubleCodeInfo } from '../../shared/contract';
import type { Severity } from '../../shared/domain';
import { SEVERITY_LABEL } from '../../shared/report-words';
import { useTroubleCodeInfo, type CodeMeanings } from '../lib/trouble-code-info';

const HINT_TONE: Record<Severity, string> = {
  info: 'bg-slate-100 text-slate-800',
  soon: 'bg-amber-100 text-amber-900',
  urgent: 'bg-orange-100 text-orange-900',
  unsafe_to_drive: 'bg-red-100 text-red-900',
};

/** A code's (or a report's) severity in words, coloured by how bad it is. */
export function SeverityBadge({ severity }: { severity: Severity }) {
  return (
    <span className={`whitespace-nowrap rounded-full px-2 py-0.5 text-xs font-semibold ${HINT_TONE[severity]}`}>
      {SEVERITY_LABEL[severity]}
    </span>
  );
}

/** One code with what it means: its description and severity hint (and, if asked, its common causes). */
export function TroubleCodeRow({
  code,
  info,
  showCauses = false,
  action,
}: {
  code: string;
  /** The meaning; `null` when it could not be looked up, `undefined` while it is. */
  info: TroubleCodeInfo | null | undefined;
  showCauses?: boolean;
  /** E.g. a remove button, at the end of the row. */
  action?: ReactNode;
}) {
  return (
    <li className="flex items-start gap-2 rounded-lg border border-slate-200 bg-slate-50 px-3 py-2 text-sm">
      <div className="min-w-0 flex-1">
        <p className="flex flex-wrap items-center gap-x-2 gap-y-1">
          <span className="font-mono font-bold">{code}</span>
          <span className="text-slate-800">
            {info === undefined ? 'Looking up…' : info === null ? 'Meaning not available right now' : info.description}
          </span>
          {info && <SeverityBadge severity={info.severityHint} />}
        </p>
        {showCauses && info?.commonCauses && info.commonCauses.length > 0 && (
          <p className="mt-1 text-xs text-slate-600">Common causes: {info.commonCauses.join('; ')}</p>
        )}
      </div>
      {action}
    </li>
  );
}

/**
 * Trouble codes decoded, wherever codes are shown (queue, room, report, history). Given `codes`, it
 * looks their meaning up; given `infos` (a history already carries them), it shows those.
 */
export function TroubleCodeList({
  codes,
  infos,
  label = 'Trouble codes',
  showCauses = false,
}: {
  codes?: readonly string[];
  infos?: readonly TroubleCodeInfo[];
  label?: string;
  showCauses?: boolean;
}) {
  const list = codes ?? infos?.map((info) => info.code) ?? [];
  const looked = useTroubleCodeInfo(codes ?? []);
  const meanings: CodeMeanings = infos ? new Map(infos.map((info) => [info.code, info])) : looked;
  if (list.length === 0) return null;
  return (
    <ul className="space-y-1.5" aria-label={label}>
      {list.map((code) => (
        <TroubleCodeRow key={code} code={code} info={meanings.get(code)} showCauses={showCauses} />
      ))}
    </ul>
  );
}
