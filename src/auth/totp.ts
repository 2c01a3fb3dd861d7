import { generateSecret, generateURI, verifySync } from 'otplib';

// RFC 6238 with the parameters every authenticator app supports: SHA-1, 6 digits, 30-second steps.
export const totpPeriodSeconds = 30;
const issuer = 'Hotline';

/** A new random base32 secret of 160 bits (RFC 4226's recommended length). */
export function newTotpSecret(): string {
  return generateSecret({ length: 20 });
}

/** The `otpauth://` address an authenticator app reads (usually from a QR code). */
export function totpUri(secret: string, username: string): string {
  return generateURI({ issuer, label: username, secret, period: totpPeriodSeconds });
}

/**
 * The time step `code` is valid for at `nowMs`, within one step of drift either way, or undefined.
 * Steps at or before `lastUsedStep` are refused, so a code (or an older one) works once only; the
 * caller stores the returned step as the new `lastUsedStep`.
 */
export function acceptTotp(
  secret: string,
  code: string,
  nowMs: number,
  lastUsedStep: number | null,
): number | undefined {
  if (!/^\d{6}$/.test(code)) return undefined;
  const epoch = Math.floor(nowMs / 1000);
  // otplib throws when afterTimeStep lies beyond the window; clamping keeps "refuse all" semantics.
  const newestStep = Math.floor((epoch + totpPeriodSeconds) / totpPeriodSeconds);
  const result = verifySync({
    secret,
    token: code,
    epoch,
    period: totpPeriodSeconds,
    epochTolerance: totpPeriodSeconds,
    ...(lastUsedStep === null ? {} : { afterTimeStep: Math.min(lastUsedStep, newestStep) }),
  });
  return result.valid && 'timeStep' in result ? result.timeStep : undefined;
}
