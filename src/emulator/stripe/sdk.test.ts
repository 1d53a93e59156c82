import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import Stripe from 'stripe';
import { sdkFor, stripeFailure } from './test-sdk.js';
import { startHarness, TEST_KEY, type Harness } from './test-support.js';

/**
 * How the official SDK (stripe-node v23) sees the emulator's failures. These pin SDK behaviour
 * Sluice depends on, so an SDK upgrade that changes it fails here first.
 */
describe('the official SDK against the emulator', () => {
  let h: Harness;
  let client: ReturnType<typeof sdkFor>;
  let draw = 1;
  before(async () => {
    h = await startHarness({ random: () => draw });
    client = sdkFor(h.emulator);
  });
  after(() => h.emulator.close());
  beforeEach(() => {
    h.emulator.reset();
    h.emulator.configure({ rateLimit: 0, faultRate: 0 });
  });

  it('surfaces bad and revoked keys as StripeAuthenticationError with the masked key', async () => {
    const bad = await stripeFailure(() => client('sk_test_no').customers.create({}));
    assert.ok(bad instanceof Stripe.errors.StripeAuthenticationError);
    assert.equal(bad.statusCode, 401);
    assert.equal(bad.message, 'Invalid API Key provided: sk_test_****no');
    const key = 'sk_test_revokeme1234';
    await client(key).customers.list();
    h.emulator.revokeKey(key);
    const revoked = await stripeFailure(() => client(key).customers.list());
    assert.ok(revoked instanceof Stripe.errors.StripeAuthenticationError);
    assert.equal(revoked.message, 'Invalid API Key provided: sk_test_****1234');
  });

  it('surfaces 429 as StripeRateLimitError and does not retry it, even with retries enabled', async () => {
    h.emulator.configure({ rateLimit: 1 });
    await client().balance.retrieve();
    const retrying = new Stripe(TEST_KEY, {
      host: '127.0.0.1',
      port: h.emulator.port,
      protocol: 'http',
      maxNetworkRetries: 2,
      telemetry: false,
    });
    const limited = await stripeFailure(() => retrying.customers.create({ name: 'A' }));
    assert.ok(limited instanceof Stripe.errors.StripeRateLimitError);
    assert.equal(limited.code, 'rate_limit');
    assert.equal(limited.headers?.['stripe-rate-limited-reason'], 'global-rate');
    assert.equal(h.emulator.requests().length, 2, 'one balance read, one create: no retry of the 429');
  });

  it('retries a dropped connection once even with maxNetworkRetries 0, under the key it puts on every POST', async () => {
    h.emulator.configure({ faultRate: 1 });
    draw = 0.9;
    const dropped = await stripeFailure(() => client().customers.create({ name: 'A' }));
    assert.ok(dropped instanceof Stripe.errors.StripeConnectionError);
    const recorded = h.emulator.requests();
    assert.deepEqual(
      recorded.map((r) => r.status),
      [0, 0],
    );
    assert.match(recorded[0]?.idempotencyKey ?? '', /^stripe-node-retry-/);
    assert.equal(recorded[1]?.idempotencyKey, recorded[0]?.idempotencyKey);
    assert.equal(h.emulator.objects('customer').length, 0);
  });

  it('gets the same object back for a retried key, with Idempotent-Replayed: true', async () => {
    const first = await client().customers.create({ email: 'a@b.com' }, { idempotencyKey: 'row-1' });
    const again = await client().customers.create({ email: 'a@b.com' }, { idempotencyKey: 'row-1' });
    assert.equal(again.id, first.id);
    assert.equal(again.lastResponse.headers['idempotent-replayed'], 'true');
    assert.equal(first.lastResponse.headers['idempotent-replayed'], undefined);
    assert.equal(h.emulator.objects('customer').length, 1);
  });

  it('surfaces a reused key with other parameters as StripeIdempotencyError', async () => {
    await client().customers.create({ name: 'A' }, { idempotencyKey: 'sdk-1' });
    const reused = await stripeFailure(() => client().customers.create({ name: 'B' }, { idempotencyKey: 'sdk-1' }));
    assert.ok(reused instanceof Stripe.errors.StripeIdempotencyError);
    assert.equal(reused.statusCode, 400);
  });
});
