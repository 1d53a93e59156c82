import { createSign, generateKeyPairSync } from 'node:crypto';

/**
 * Service-account key and hand-signed JWT assertions for tests (not a test file itself). Kept apart
 * from test-support.ts so that the pure JWT tests do not load google-auth-library and the Sheets
 * client.
 */
export const SHEETS_SCOPE = 'https://www.googleapis.com/auth/spreadsheets';
export const GOOGLE_TOKEN_URL = 'https://oauth2.googleapis.com/token';

let keyPair: { privateKey: string } | undefined;

/** One RSA key per test process: generating a 2048-bit key takes tens of milliseconds. */
export function serviceAccountKey(): string {
  keyPair ??= generateKeyPairSync('rsa', {
    modulusLength: 2048,
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });
  return keyPair.privateKey;
}

/** A JWT assertion signed by hand, for cases the library would never produce. */
export function signAssertion(claims: Record<string, unknown>, header: Record<string, unknown> = { alg: 'RS256', typ: 'JWT' }): string {
  const encode = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');
  const unsigned = `${encode(header)}.${encode(claims)}`;
  const signature = createSign('RSA-SHA256').update(unsigned).sign(serviceAccountKey()).toString('base64url');
  return `${unsigned}.${signature}`;
}

export function validClaims(email: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const iat = Math.floor(Date.now() / 1000);
  return { iss: email, scope: SHEETS_SCOPE, aud: GOOGLE_TOKEN_URL, iat, exp: iat + 3600, ...overrides };
}
