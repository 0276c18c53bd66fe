import type { TroubleCodeInfo } from '../../shared/contract/index.js';
import { SEVERITIES, type Severity } from '../../shared/domain.js';
import { TROUBLE_CODE_MESSAGE } from '../../shared/trouble-codes.js';
import { AppError } from '../errors.js';
import { describeCodeStructure, findGenericDtc, type DtcCodeSystem } from './dtc-table.js';

/*
 * What a trouble code means, in plain words (vehicles.md §3). Pure: the table ships with the
 * product, nothing is looked up anywhere else.
 */

/** A code our table does not describe could be anything from a loose connector to a failing module. */
const UNKNOWN_CODE_SEVERITY: Severity = 'soon';

/** The meaning of a well-formed code, or null when the input is not a trouble code at all. */
export function describeTroubleCode(input: string): TroubleCodeInfo | null {
  const structure = describeCodeStructure(input);
  if (!structure) return null;
  const { code, system, generic, group } = structure;
  const entry = findGenericDtc(code);
  if (entry) {
    return {
      code,
      system,
      generic,
      known: true,
      group: entry.system,
      description: entry.description,
      ...(entry.commonCauses ? { commonCauses: [...entry.commonCauses] } : {}),
      severityHint: entry.severity,
    };
  }
  return {
    code,
    system,
    generic,
    known: false,
    group,
    description: unknownDescription(system, generic, group),
    severityHint: UNKNOWN_CODE_SEVERITY,
  };
}

function unknownDescription(system: DtcCodeSystem, generic: boolean, group: string): string {
  if (group === 'reserved') return `Reserved ${system} code: not assigned by SAE J2012`;
  if (!generic) return `Manufacturer-specific ${system} code (${group}): its meaning depends on the make`;
  return `Generic ${system} code (${group}): not in our table of common codes, look it up in the service information`;
}

/** `GET /api/dtc/:code`: the code's meaning, or 400 with what a trouble code looks like. */
export function lookupTroubleCode(input: string): TroubleCodeInfo {
  const info = describeTroubleCode(input);
  if (!info) {
    throw new AppError('VALIDATION_FAILED', TROUBLE_CODE_MESSAGE, {
      errors: [{ path: 'params.code', message: TROUBLE_CODE_MESSAGE }],
    });
  }
  return info;
}

/** The most serious hint among these codes (the report's default severity); undefined for none. */
export function worstSeverityHint(codes: readonly string[]): Severity | undefined {
  let worst: number | undefined;
  for (const code of codes) {
    const hint = describeTroubleCode(code)?.severityHint;
    if (hint === undefined) continue;
    const rank = SEVERITIES.indexOf(hint);
    if (worst === undefined || rank > worst) worst = rank;
  }
  return worst === undefined ? undefined : SEVERITIES[worst];
}
