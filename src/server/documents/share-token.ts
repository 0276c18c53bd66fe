import crypto from 'node:crypto';

/*
 * A share link's token: 32 random bytes, base64url (43 characters), handed out once in the URL.
 * The database keeps only its SHA-256, so a copy of the database opens no report; a token this
 * long needs no slow hash, since nobody can guess one to test against it.
 */

const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;

export function newShareToken(): string {
  return crypto.randomBytes(32).toString('base64url');
}

export function hashShareToken(token: string): string {
  return crypto.createHash('sha256').update(token).digest('hex');
}

/** Whether the text could be a token at all: anything else is unknown without asking the database. */
export const isShareTokenShape = (text: string): boolean => TOKEN_SHAPE.test(text);
