import type { ApiError } from './api';

/**
 * What the server said about one form field (its `errors[].path`), in a sentence for the person
 * filling the form: the contract's own messages are phrases ("is required", "must be a UUID")
 * that follow the field's label; zod's defaults ("Too small: expected …") are not, so those get
 * the form's own words instead.
 */
export function fieldProblem(
  error: ApiError | null | undefined,
  path: string,
  label: string,
  otherwise = `${label} is not valid.`,
): string | undefined {
  const said = error?.field(path);
  if (!said) return undefined;
  return /^(is|must|should|cannot|has) /.test(said) ? `${label} ${said}.` : otherwise;
}
