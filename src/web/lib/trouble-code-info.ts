import { useEffect, useState } from 'react';
import { vehicles, type TroubleCodeInfo } from '../../shared/contract';
import { SEVERITIES, type Severity } from '../../shared/domain';
import { call } from './api';

/*
 * What trouble codes mean (`GET /api/dtc/:code`), asked once per code per page load: the table
 * behind it ships with the server and does not change while the app runs, and the same codes
 * show up in the intake, the queue, the room and the report.
 */
const asked = new Map<string, Promise<TroubleCodeInfo>>();
const answered = new Map<string, TroubleCodeInfo>();

export function lookUpTroubleCode(code: string): Promise<TroubleCodeInfo> {
  let answer = asked.get(code);
  if (!answer) {
    answer = call(vehicles.troubleCode, { params: { code } });
    asked.set(code, answer);
    answer.then(
      (info) => answered.set(code, info),
      // A failed look-up is asked again next time (a network blip is not an answer).
      () => asked.delete(code),
    );
  }
  return answer;
}

/** Each code's meaning: the info, `null` when it could not be looked up, absent while it is asked. */
export type CodeMeanings = ReadonlyMap<string, TroubleCodeInfo | null>;

export function useTroubleCodeInfo(codes: readonly string[]): CodeMeanings {
  const key = codes.join(',');
  const [meanings, setMeanings] = useState<Map<string, TroubleCodeInfo | null>>(
    () => new Map(codes.flatMap((code) => (answered.has(code) ? [[code, answered.get(code)!]] : []))),
  );
  useEffect(() => {
    let current = true;
    for (const code of key ? key.split(',') : []) {
      if (answered.has(code)) {
        setMeanings((known) => (known.get(code) ? known : new Map(known).set(code, answered.get(code)!)));
        continue;
      }
      lookUpTroubleCode(code).then(
        (info) => current && setMeanings((known) => new Map(known).set(code, info)),
        () => current && setMeanings((known) => new Map(known).set(code, null)),
      );
    }
    return () => {
      current = false;
    };
  }, [key]);
  return meanings;
}

const rank = (severity: Severity) => SEVERITIES.indexOf(severity);

/** The worst severity hint among the codes looked up so far, with the code that gave it; null without any. */
export function worstHint(
  codes: readonly string[],
  meanings: CodeMeanings,
): { severity: Severity; code: string } | null {
  let worst: { severity: Severity; code: string } | null = null;
  for (const code of codes) {
    const info = meanings.get(code);
    if (info && (!worst || rank(info.severityHint) > rank(worst.severity))) {
      worst = { severity: info.severityHint, code };
    }
  }
  return worst;
}
