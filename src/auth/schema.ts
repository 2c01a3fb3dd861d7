import { z } from 'zod';
import { cleanText } from '../http/validation.ts';
import { analystLanguages } from './languages.ts';
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

/** `PATCH /api/v1/session`: what the signed-in analyst changes about their own account. */
export const sessionChangeSchema = z.strictObject({ language: z.enum(analystLanguages) });
