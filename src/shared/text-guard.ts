/*
 * Text the database cannot store or a client cannot mean: NUL characters (PostgreSQL text and
 * jsonb refuse them) and lone UTF-16 surrogates (not Unicode at all; jsonb refuses their escapes).
 * Found anywhere in a request — body, query, params, a WebSocket frame — they are a field error,
 * never a 500 from deep inside a statement.
 */

const BAD_TEXT = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Deeper than any request of the contract nests; deeper input is refused before anything walks it. */
export const MAX_DEPTH = 32;

export type TextProblem = { path: string; message: string };

export const hasBadText = (text: string): boolean => BAD_TEXT.test(text);

/** Every string (and key) in `value` that is not storable text, and any nesting past MAX_DEPTH. */
export function findTextProblems(value: unknown, path: string, problems: TextProblem[] = [], depth = 0): TextProblem[] {
  if (problems.length >= 20) return problems;
  if (typeof value === 'string') {
    if (BAD_TEXT.test(value)) problems.push({ path, message: 'must not contain NUL characters or broken Unicode' });
    return problems;
  }
  if (value === null || typeof value !== 'object') return problems;
  if (depth >= MAX_DEPTH) {
    problems.push({ path, message: `is nested more than ${MAX_DEPTH} levels deep` });
    return problems;
  }
  if (Array.isArray(value)) {
    value.forEach((item, index) => findTextProblems(item, `${path}.${index}`, problems, depth + 1));
    return problems;
  }
  for (const [key, item] of Object.entries(value)) {
    if (BAD_TEXT.test(key)) problems.push({ path, message: 'has a field name with NUL characters or broken Unicode' });
    else findTextProblems(item, `${path}.${key}`, problems, depth + 1);
  }
  return problems;
}
