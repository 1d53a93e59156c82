import { invalidRequest, type StripeError } from './errors.js';
import type { Mode } from './store.js';

export type AuthResult = { ok: true; key: string; mode: Mode } | { ok: false; error: StripeError };

const VALID_KEY = /^(?:sk|rk)_(test|live)_[A-Za-z0-9_]{8,}$/;
const KEY_PREFIX = /^(?:sk|rk|pk)_(?:test|live)_/;

/** `sk_test_****abcd`: the prefix, then only the last four characters, as Stripe shows keys. */
export function maskKey(key: string): string {
  const prefix = KEY_PREFIX.exec(key)?.[0] ?? '';
  const rest = key.slice(prefix.length);
  return `${prefix}****${rest.slice(-4)}`;
}

function keyFromHeader(header: string): string | undefined {
  const [scheme = '', ...rest] = header.trim().split(/\s+/);
  const credentials = rest.join(' ');
  if (scheme.toLowerCase() === 'bearer') return credentials;
  if (scheme.toLowerCase() === 'basic') {
    // curl -u sk_test_…: sends the key as the user name and an empty password.
    const decoded = Buffer.from(credentials, 'base64').toString('utf8');
    return decoded.split(':')[0] ?? '';
  }
  return undefined;
}

/** Reads `Authorization: Bearer <key>` (or HTTP basic with the key as user) and checks the key. */
export function authenticate(header: string | undefined, revoked: ReadonlySet<string>): AuthResult {
  const key = header === undefined || header.trim() === '' ? undefined : keyFromHeader(header);
  if (key === undefined || key === '') {
    return {
      ok: false,
      error: invalidRequest(
        "You did not provide an API key. You need to provide your API key in the Authorization header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY'). See https://stripe.com/docs/api#authentication for details, or we can help at https://support.stripe.com/.",
        { status: 401 },
      ),
    };
  }
  const match = VALID_KEY.exec(key);
  if (match === null || revoked.has(key)) {
    return { ok: false, error: invalidRequest(`Invalid API Key provided: ${maskKey(key)}`, { status: 401 }) };
  }
  return { ok: true, key, mode: match[1] === 'live' ? 'live' : 'test' };
}
