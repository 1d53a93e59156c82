import Stripe from 'stripe';
import { keyHint } from './client.js';

/**
 * How a failed call to Stripe may be treated:
 * - `refused`: Stripe answered and did not act (400, 402, 403, 404): a definite failure; a later
 *   attempt may use a new idempotency key.
 * - `auth`: the key itself was refused (401): the account turns inactive and the run stops.
 * - `retryable`: Stripe asked to come back (429 rate limit or lock timeout, 409 key in use).
 * - `ambiguous`: no answer, or a 5xx — the request may have reached Stripe. Only the same
 *   idempotency key may be used again, or the object must be looked up first (exactly once).
 *   `details.replayed` marks a 5xx that Stripe replayed for the key: Stripe finished the first
 *   request and stored its 500, so the same key will never give another answer.
 */
export type FailureKind = 'refused' | 'auth' | 'retryable' | 'ambiguous';

export class StripeCallError extends Error {
  override name = 'StripeCallError';
  constructor(
    message: string,
    readonly kind: FailureKind,
    readonly details: { status?: number; type?: string; code?: string; param?: string; requestId?: string; replayed?: boolean } = {},
  ) {
    super(message);
  }
}

/** A problem with a row that Sluice itself finds while acting (no customer has that email): definite. */
export class RowError extends Error {
  override name = 'RowError';
}

function kindOf(status: number | undefined, code: string | undefined, shouldRetry: string | undefined): FailureKind {
  if (status === undefined) return 'ambiguous';
  if (status === 401) return 'auth';
  // Stripe says outright whether a retry can succeed; its word wins over the status code.
  if (shouldRetry === 'false' && status < 500) return 'refused';
  if (status === 429 || status === 409 || code === 'lock_timeout' || (shouldRetry === 'true' && status < 500)) return 'retryable';
  if (status >= 500) return 'ambiguous';
  return 'refused';
}

/** Normalizes whatever the SDK threw, with the secret key masked wherever it might appear. */
export function toStripeCallError(error: unknown, secretKey: string): StripeCallError {
  const mask = (s: string) => (secretKey ? s.split(secretKey).join(keyHint(secretKey)) : s);
  if (error instanceof StripeCallError || error instanceof RowError) return error as StripeCallError;
  if (error instanceof Stripe.errors.StripeError) {
    const status = error.statusCode;
    const kind = kindOf(status, error.code, error.headers?.['stripe-should-retry']);
    const what = status === undefined ? 'could not reach Stripe' : `Stripe answered ${status}`;
    const message = mask(error.message || 'no message');
    return new StripeCallError(kind === 'ambiguous' && status === undefined ? `${what}: ${message}` : message, kind, {
      ...(status !== undefined && { status }),
      ...(error.type && { type: error.type }),
      ...(error.code && { code: error.code }),
      ...(error.param && { param: error.param }),
      ...(error.requestId && { requestId: error.requestId }),
      ...(error.headers?.['idempotent-replayed'] === 'true' && { replayed: true }),
    });
  }
  const message = error instanceof Error ? error.message : String(error);
  return new StripeCallError(`could not reach Stripe: ${mask(message)}`, 'ambiguous');
}
