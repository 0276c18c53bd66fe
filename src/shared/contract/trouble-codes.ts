import { z } from 'zod';
import { SEVERITIES } from '../domain.js';
import { MAX_TROUBLE_CODES, TROUBLE_CODE_FORMAT, TROUBLE_CODE_MESSAGE, uniqueTroubleCodes } from '../trouble-codes.js';

/** One code as typed: trimmed and upper-cased before the format is checked. */
export const TroubleCodeInput = z.string().trim().toUpperCase().regex(TROUBLE_CODE_FORMAT, TROUBLE_CODE_MESSAGE);

/** Up to ten codes (an intake's or a report's), each once, in the order given. */
export const TroubleCodesInput = z
  .array(TroubleCodeInput)
  .max(MAX_TROUBLE_CODES, `Give at most ${MAX_TROUBLE_CODES} trouble codes`)
  .transform(uniqueTroubleCodes);

/** What a code means (vehicles.md §3): `GET /api/dtc/:code`, and each code of a vehicle's history. */
export const TroubleCodeInfo = z.object({
  code: z.string(),
  system: z.enum(['powertrain', 'chassis', 'body', 'network']),
  /** True for SAE J2012 generic codes; false for manufacturer-specific (and reserved) ones. */
  generic: z.boolean(),
  /** True when our table holds the code's standard description. */
  known: z.boolean(),
  /** The area within the system, in plain words (e.g. "ignition and misfire"). */
  group: z.string(),
  description: z.string(),
  commonCauses: z.array(z.string()).optional(),
  severityHint: z.enum(SEVERITIES),
});
export type TroubleCodeInfo = z.infer<typeof TroubleCodeInfo>;
