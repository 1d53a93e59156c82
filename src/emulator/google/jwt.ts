import { invalidGrant, OAuthError } from './errors.js';

/**
 * Checks a service account's JWT assertion (RFC 7523) the way Google's token endpoint does, except
 * for the signature: the emulator cannot know the account's public key, so any well-formed RS256
 * signature passes. Everything else — structure, algorithm, audience, issuer, scope and the
 * one-hour time frame — is checked.
 */
export interface ServiceAccountClaims {
  iss: string;
  /** Domain-wide delegation: the user the service account acts as. */
  sub?: string;
  scope: string;
  aud: string;
  iat: number;
  exp: number;
}

/** The audiences Google accepts; gtoken (google-auth-library) always sends the first. */
export const GOOGLE_TOKEN_AUDIENCES: readonly string[] = [
  'https://oauth2.googleapis.com/token',
  'https://accounts.google.com/o/oauth2/token',
  'https://www.googleapis.com/oauth2/v4/token',
];

export const TIMEFRAME_MESSAGE =
  'Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe. Check your iat and exp values in the JWT claim.';
const BAD_SIGNATURE = 'Invalid JWT Signature.';
/** How far in the future `iat` may be, for clocks a little ahead of Google's. */
const CLOCK_SKEW_SECONDS = 300;
/** The shortest RS256 signature Google would accept (a 1024-bit key); a 2048-bit key signs 256 bytes. */
const MIN_SIGNATURE_BYTES = 128;

const BASE64URL = /^[A-Za-z0-9_-]+$/;

function decodeJson(part: string): Record<string, unknown> | undefined {
  if (!BASE64URL.test(part)) return undefined;
  try {
    const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Returns the claims of a valid assertion or throws the OAuthError Google answers. `audiences` are
 * the accepted `aud` values (Google's, and the emulator's own token URL).
 */
export function checkAssertion(assertion: string, nowSeconds: number, audiences: readonly string[]): ServiceAccountClaims {
  const parts = assertion.split('.');
  const header = parts.length === 3 ? decodeJson(parts[0] ?? '') : undefined;
  const payload = parts.length === 3 ? decodeJson(parts[1] ?? '') : undefined;
  if (header === undefined || payload === undefined)
    throw invalidGrant('Invalid JWT: the assertion is not a JWT (three base64url parts, JSON header and claims).');
  const signature = parts[2] ?? '';
  if (header.alg !== 'RS256' || !BASE64URL.test(signature) || Buffer.from(signature, 'base64url').length < MIN_SIGNATURE_BYTES) {
    throw invalidGrant(BAD_SIGNATURE);
  }
  const { iss, sub, scope, aud, iat, exp } = payload;
  if (typeof iss !== 'string' || iss === '') throw invalidGrant('Invalid JWT: the iss claim (the service account email) is missing.');
  if (typeof aud !== 'string' || !audiences.includes(aud)) {
    throw invalidGrant(`Invalid JWT: Failed audience check. The right audience is ${GOOGLE_TOKEN_AUDIENCES[0]}`);
  }
  if (typeof iat !== 'number' || typeof exp !== 'number' || !Number.isFinite(iat) || !Number.isFinite(exp))
    throw invalidGrant(TIMEFRAME_MESSAGE);
  if (exp <= nowSeconds || iat > nowSeconds + CLOCK_SKEW_SECONDS || exp <= iat || exp - iat > 3600) throw invalidGrant(TIMEFRAME_MESSAGE);
  if (typeof scope !== 'string' || scope.trim() === '') {
    throw new OAuthError(400, 'invalid_scope', 'Invalid OAuth scope or ID token audience provided.');
  }
  return { iss, ...(typeof sub === 'string' && sub !== '' ? { sub } : {}), scope, aud, iat, exp };
}
