import Stripe from 'stripe';

/**
 * The Stripe API version Sluice is written and tested against. Pinned, so that a change on
 * Stripe's side never changes what Sluice sends; move it deliberately, with the tests.
 */
export const STRIPE_API_VERSION = '2026-10-28.endive';

export interface StripeClientOptions {
  /** STRIPE_API_BASE: https://api.stripe.com, or the emulator. */
  apiBase: URL;
  /** Per request. (Default: 30 s) */
  timeoutMs?: number;
  /**
   * The SDK's own retries of connection errors, 409 and 5xx — with the same idempotency key, so
   * they are safe. It does not retry 429; the engine does. (Default: 2)
   */
  maxNetworkRetries?: number;
}

/** The one place that knows how Sluice reaches Stripe: base URL, auth, API version, retries, telemetry. */
export function createStripe(secretKey: string, o: StripeClientOptions): Stripe {
  const { apiBase } = o;
  const protocol = apiBase.protocol === 'http:' ? 'http' : 'https';
  return new Stripe(secretKey, {
    apiVersion: STRIPE_API_VERSION,
    host: apiBase.hostname,
    port: apiBase.port || (protocol === 'http' ? 80 : 443),
    protocol,
    maxNetworkRetries: o.maxNetworkRetries ?? 2,
    timeout: o.timeoutMs ?? 30_000,
    telemetry: false,
    appInfo: { name: 'Sluice', url: 'https://github.com/sluice' },
  });
}

/** `sk_live_…4f2a`: enough to tell keys apart, never enough to use one. */
export function keyHint(secretKey: string): string {
  const prefix = /^(sk|rk)_(test|live)_/.exec(secretKey)?.[0] ?? '';
  return `${prefix}…${secretKey.slice(-4)}`;
}

export type KeyMode = 'test' | 'live';

/** What a key says about itself: its mode, or why it is not a Stripe secret or restricted key. */
export function parseSecretKey(secretKey: string): { ok: true; mode: KeyMode } | { ok: false; error: string } {
  const m = /^(sk|rk)_(test|live)_[A-Za-z0-9_]{8,}$/.exec(secretKey);
  if (m) return { ok: true, mode: m[2] as KeyMode };
  if (/^pk_(test|live)_/.test(secretKey)) {
    return {
      ok: false,
      error: 'secretKey: a publishable key (pk_…) cannot create objects; use a secret key (sk_…) or a restricted key (rk_…)',
    };
  }
  return {
    ok: false,
    error: 'secretKey: this is not a Stripe secret key; use one that starts with sk_test_, sk_live_, rk_test_ or rk_live_',
  };
}

export function dashboardUrl(mode: KeyMode, stripeId: string): string | undefined {
  const kinds: Record<string, string> = { cus: 'customers', in: 'invoices', ii: 'invoiceitems', price: 'prices', prod: 'products' };
  const kind = kinds[stripeId.split('_')[0] ?? ''];
  if (!kind) return undefined;
  return `https://dashboard.stripe.com/${mode === 'test' ? 'test/' : ''}${kind}/${stripeId}`;
}
