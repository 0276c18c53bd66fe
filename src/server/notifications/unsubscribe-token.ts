import crypto from 'node:crypto';
import { isOptionalEmailKind, type OptionalEmailKind } from '../../shared/domain.js';

/*
 * The one-click unsubscribe link (RFC 8058): `<userId>.<kind>.<signature>`, signed with the
 * notifications key, so it needs no sign-in and cannot be forged for someone else or another kind.
 * It does not expire: an old email's link should still work.
 */

const sign = (key: Buffer, userId: string, kind: string) =>
  crypto.createHmac('sha256', key).update(`unsubscribe:${userId}:${kind}`).digest('base64url');

export function unsubscribeToken(key: Buffer, userId: string, kind: OptionalEmailKind): string {
  return `${userId}.${kind}.${sign(key, userId, kind)}`;
}

/** The user and kind a token turns off, or null when it is malformed or not ours. */
export function readUnsubscribeToken(key: Buffer, token: string): { userId: string; kind: OptionalEmailKind } | null {
  const [userId, kind, signature, extra] = token.split('.');
  if (!userId || !kind || !signature || extra !== undefined || !isOptionalEmailKind(kind)) return null;
  const expected = Buffer.from(sign(key, userId, kind));
  const given = Buffer.from(signature);
  if (given.length !== expected.length || !crypto.timingSafeEqual(given, expected)) return null;
  return { userId, kind };
}
