import { z } from 'zod';

export const trimmed = (min: number, max: number) => z.string().trim().min(min).max(max);
export const Id = z.uuid({ message: 'must be a UUID' });
export const IdParams = z.strictObject({ id: Id });
export const UserParams = z.strictObject({ userId: Id });
/** Times travel as ISO-8601 UTC strings. */
export const Timestamp = z.iso.datetime({ offset: true });
export const Cents = z.number().int().min(0).max(100_000_000);

/** `{ items }` lists (decision 005): room for `nextCursor` and the like without breaking clients. */
export const itemsOf = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item) });
export const pageOf = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item), nextCursor: z.string().nullable() });

export const Ok = z.object({ ok: z.literal(true) });
