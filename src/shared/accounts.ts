import { z } from 'zod';
import { COMMON_PASSWORDS } from './common-passwords.js';

/*
 * What an account's name, email and password may be, for the sign-up form and for the server,
 * which checks them before the auth library sees them (it accepted a 60 KB name and a password
 * of eight spaces).
 */

export const PersonName = z
  .string()
  .trim()
  .min(1, 'is required')
  .max(100, 'must be at most 100 characters')
  .refine((name) => !/[\u0000-\u001f\u007f]/.test(name), 'must not contain control characters');

export const Email = z
  .string()
  .trim()
  .max(254, 'must be at most 254 characters')
  .pipe(z.email('is not an email address'));

export const NewPassword = z
  .string()
  .min(8, 'must be at least 8 characters')
  .max(128, 'must be at most 128 characters')
  .refine((password) => password.trim().length > 0, 'must not be blank')
  .refine(
    (password) => !COMMON_PASSWORDS.has(password.toLowerCase()),
    'is one of the most common passwords: pick another',
  );

/** The fields of the auth library's requests that we check first; other fields pass through to it. */
export const SignUpFields = z.object({ name: PersonName, email: Email, password: NewPassword });
export const SignInFields = z.object({ email: z.string().max(254), password: z.string().max(128) });
export const ChangePasswordFields = z.object({ newPassword: NewPassword, currentPassword: z.string().max(128) });
export const ResetPasswordFields = z.object({ newPassword: NewPassword });
export const UpdateUserFields = z.object({ name: PersonName.optional() });
