import { sheets, type sheets_v4 } from '@googleapis/sheets';
import { gaxios, JWT, type OAuth2Client } from 'google-auth-library';
import { errorObjectOf, fetchRaw, type RawResponse } from '../shared/test-support.js';
import { startGoogleEmulator, type GoogleEmulator, type GoogleEmulatorOptions } from './index.js';
import { GOOGLE_TOKEN_URL, serviceAccountKey, signAssertion, SHEETS_SCOPE, validClaims } from './test-jwt.js';

export type { RawResponse } from '../shared/test-support.js';
export { GOOGLE_TOKEN_URL, serviceAccountKey, signAssertion, SHEETS_SCOPE, validClaims } from './test-jwt.js';

/**
 * Test helpers shared by this folder's tests (not a test file itself): the JWT client pointed at the emulator the way Sluice does it, the official Sheets client, and raw
 * HTTP for what the clients hide.
 */

/**
 * A transporter for google-auth-library clients that sends their token requests to the emulator.
 * gtoken (inside the JWT client) always posts to Google's fixed token URL and has no option for
 * another, so an interceptor rewrites that one URL; everything else goes where it was addressed
 * (the Sheets client already uses the emulator as its rootUrl). The Gaxios class is the one
 * google-auth-library re-exports: importing `gaxios` directly from ESM gives its ESM build, whose
 * type TypeScript will not accept where the CommonJS library expects its own. See NOTES.md.
 */
export function emulatorTransporter(emulatorUrl: string): gaxios.Gaxios {
  const transporter = new gaxios.Gaxios();
  transporter.interceptors.request.add({
    resolved: async (config) => {
      if (config.url.href === GOOGLE_TOKEN_URL) config.url = new URL(`${emulatorUrl}/token`);
      return config;
    },
  });
  return transporter;
}

export function jwtClient(emulator: GoogleEmulator, email: string, scopes: string[] = [SHEETS_SCOPE]): JWT {
  return new JWT({ email, key: serviceAccountKey(), scopes, transporter: emulatorTransporter(emulator.url) });
}

/** The official Sheets client on the emulator. `retry: false` unless a test is about retries. */
export function sheetsFor(emulator: GoogleEmulator, auth: OAuth2Client, retry = false): sheets_v4.Sheets {
  return sheets({ version: 'v4', auth, rootUrl: `${emulator.url}/`, retry });
}

export interface Harness {
  emulator: GoogleEmulator;
  raw(method: string, path: string, options?: { token?: string; body?: string; headers?: Record<string, string> }): Promise<RawResponse>;
  /** An access token for `email` through the JWT grant, without google-auth-library. */
  tokenFor(email: string, scope?: string): Promise<string>;
}

export async function startHarness(options: GoogleEmulatorOptions = {}): Promise<Harness> {
  const emulator = await startGoogleEmulator({ port: 0, ...options });
  const raw: Harness['raw'] = async (method, path, opts = {}) => {
    const headers: Record<string, string> = { ...opts.headers };
    if (opts.token !== undefined) headers.Authorization = `Bearer ${opts.token}`;
    return fetchRaw(`${emulator.url}${path}`, {
      method,
      headers,
      redirect: 'manual',
      ...(opts.body === undefined ? {} : { body: opts.body }),
    });
  };
  return {
    emulator,
    raw,
    async tokenFor(email, scope = SHEETS_SCOPE) {
      const form = new URLSearchParams({
        grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer',
        assertion: signAssertion(validClaims(email, { scope })),
      });
      const response = await raw('POST', '/token', {
        body: form.toString(),
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      });
      const token = (response.json as { access_token?: unknown } | undefined)?.access_token;
      if (typeof token !== 'string') throw new Error(`no token for ${email}: ${response.status} ${response.text}`);
      return token;
    },
  };
}

/** The `error` object of a Google API error response. */
export function googleError(response: RawResponse): { code?: unknown; message?: unknown; status?: unknown; details?: unknown } {
  return errorObjectOf(response, 'Google');
}

export interface ApiFailure {
  status: number;
  error: { code?: unknown; message?: unknown; status?: unknown; details?: unknown };
  /** The whole response body (the OAuth endpoints answer `{error, error_description}`). */
  data: unknown;
}

/** Runs a client call that must fail with an HTTP error (a GaxiosError) and returns its status and body. */
export async function apiFailure(call: () => Promise<unknown>): Promise<ApiFailure> {
  try {
    await call();
  } catch (error) {
    const response =
      typeof error === 'object' && error !== null && 'response' in error
        ? (error.response as { status?: unknown; data?: unknown })
        : undefined;
    if (response === undefined || typeof response.status !== 'number') throw error;
    const data = response.data;
    const body =
      typeof data === 'object' && data !== null && 'error' in data && typeof data.error === 'object' && data.error !== null
        ? data.error
        : {};
    return { status: response.status, error: body, data };
  }
  throw new Error('expected the call to fail');
}
