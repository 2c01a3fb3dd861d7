import { z } from 'zod';
import { cleanText } from '../http/validation.ts';
import { passwordMaxLength } from './passwords.ts';
import { roles } from './roles.ts';

// Request shapes of the account API, shared by the HTTP routes and the CLI.

export const usernameSchema = cleanText()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9][a-z0-9._-]{1,63}$/, 'error.username.invalid');

export const roleSchema = z.enum(roles);

/** Only the type and an upper bound here; the password rules live in passwordProblem(). */
const passwordSchema = cleanText().max(passwordMaxLength * 4);

export const newUserSchema = z.strictObject({ username: usernameSchema, role: roleSchema, password: passwordSchema });
export type NewUser = z.output<typeof newUserSchema>;
export const userResetSchema = z.strictObject({ password: passwordSchema });

export const userChangeSchema = z
  .strictObject({ disabled: z.boolean().optional(), role: roleSchema.optional() })
  .refine((change) => change.disabled !== undefined || change.role !== undefined, {
    path: ['body'],
    message: 'error.user_change.empty',
  });
export type UserChange = z.output<typeof userChangeSchema>;

/**
 * A row id as it appears in a path or query: plain decimal digits, no sign, no leading zero, no
 * space, no hex or exponent, so each id has exactly one spelling.
 */
export const positiveIdSchema = z
  .string()
  .regex(/^[1-9]\d{0,15}$/)
  .transform(Number)
  .pipe(z.number().max(Number.MAX_SAFE_INTEGER));

/** Login fields are only bounded, not checked against the account rules: a miss is a generic failure. */
export const loginSchema = z.object({
  username: cleanText().trim().toLowerCase().min(1).max(64),
  password: cleanText()
    .min(1)
    .max(passwordMaxLength * 4),
  totp: cleanText().trim().min(1).max(16),
});
export type LoginInput = z.output<typeof loginSchema>;

export const passwordChangeSchema = z.strictObject({ current: passwordSchema, new: passwordSchema });
