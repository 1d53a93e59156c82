import assert from 'node:assert/strict';
import { test } from 'node:test';
import Stripe from 'stripe';
import { toStripeCallError } from './stripe-error.js';

const KEY = 'sk_test_51SecretKeyNeverShown0000wxyz';

function stripeError(statusCode: number | undefined, o: { code?: string; headers?: Record<string, string>; message?: string } = {}) {
  return Stripe.errors.StripeError.generate({
    type: statusCode === 429 ? 'rate_limit_error' : 'invalid_request_error',
    message: o.message ?? 'failed',
    ...(statusCode !== undefined && { statusCode }),
    ...(o.code && { code: o.code }),
    ...(o.headers && { headers: o.headers }),
  } as Parameters<typeof Stripe.errors.StripeError.generate>[0]);
}

test('failures are sorted by what a retry may do', () => {
  const kind = (e: unknown) => toStripeCallError(e, KEY).kind;
  assert.equal(kind(stripeError(400)), 'refused');
  assert.equal(kind(stripeError(404)), 'refused');
  assert.equal(kind(stripeError(401)), 'auth');
  assert.equal(kind(stripeError(429)), 'retryable');
  assert.equal(kind(stripeError(409)), 'retryable');
  assert.equal(kind(stripeError(400, { code: 'lock_timeout' })), 'retryable');
  assert.equal(kind(stripeError(500)), 'ambiguous');
  assert.equal(kind(new Error('socket hang up')), 'ambiguous');
  // Stripe-Should-Retry overrides the status code.
  assert.equal(kind(stripeError(429, { headers: { 'stripe-should-retry': 'false' } })), 'refused');
  assert.equal(kind(stripeError(400, { headers: { 'stripe-should-retry': 'true' } })), 'retryable');
});

test('a 5xx that Stripe replayed for the idempotency key is marked: the same key will only ever give that answer', () => {
  const replayed = toStripeCallError(stripeError(500, { headers: { 'idempotent-replayed': 'true' } }), KEY);
  assert.equal(replayed.kind, 'ambiguous');
  assert.equal(replayed.details.replayed, true);
  assert.equal(toStripeCallError(stripeError(500), KEY).details.replayed, undefined);
});

test('the secret key is masked wherever it appears in a message', () => {
  const e = toStripeCallError(new Error(`request with ${KEY} failed`), KEY);
  assert.ok(!e.message.includes(KEY));
  assert.match(e.message, /sk_test_…wxyz/);
});
