import { errorObjectOf, fetchRaw, type RawResponse } from '../shared/test-support.js';
import { startStripeEmulator, type StripeEmulator, type StripeEmulatorOptions } from './index.js';

export type { RawResponse } from '../shared/test-support.js';

/**
 * Raw-HTTP test helpers shared by this folder's tests (not a test file itself). The SDK helpers
 * live in test-sdk.ts: loading `stripe` costs about a second per test process, so tests that
 * only need fetch do not pay for it.
 */
export const TEST_KEY = 'sk_test_emulator0001';
export const LIVE_KEY = 'sk_live_emulator0001';

export interface Harness {
  emulator: StripeEmulator;
  /** A raw request with the key as Bearer auth (pass `key: null` for none). */
  raw(method: string, path: string, options?: RawOptions): Promise<RawResponse>;
}

export interface RawOptions {
  key?: string | null;
  body?: string;
  headers?: Record<string, string>;
}

export async function startHarness(options: StripeEmulatorOptions = {}): Promise<Harness> {
  const emulator = await startStripeEmulator({ port: 0, ...options });
  return {
    emulator,
    async raw(method, path, options = {}) {
      const key = options.key === undefined ? TEST_KEY : options.key;
      const headers: Record<string, string> = { ...options.headers };
      if (key !== null) headers.Authorization = `Bearer ${key}`;
      if (options.body !== undefined) headers['Content-Type'] ??= 'application/x-www-form-urlencoded';
      return fetchRaw(`${emulator.url}${path}`, { method, headers, body: options.body });
    },
  };
}

/** The `error` object of a Stripe error response. */
export function errorOf(response: RawResponse): Record<string, unknown> {
  return errorObjectOf(response, 'Stripe') as Record<string, unknown>;
}
