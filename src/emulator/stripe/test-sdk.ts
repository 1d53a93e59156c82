import Stripe from 'stripe';
import type { StripeEmulator } from './index.js';
import { TEST_KEY } from './test-support.js';

/** Test helpers for driving the emulator with the official SDK (not a test file itself). */

/** The SDK pointed at the emulator, one client per key; no retries beyond the SDK's own rules. */
export function sdkFor(emulator: StripeEmulator): (key?: string) => Stripe {
  const clients = new Map<string, Stripe>();
  return (key = TEST_KEY) => {
    let client = clients.get(key);
    if (client === undefined) {
      client = new Stripe(key, { host: '127.0.0.1', port: emulator.port, protocol: 'http', maxNetworkRetries: 0, telemetry: false });
      clients.set(key, client);
    }
    return client;
  };
}

/** Runs `call`, which must fail with a Stripe SDK error, and returns the error. */
export async function stripeFailure(call: () => Promise<unknown>): Promise<Stripe.errors.StripeError> {
  try {
    await call();
  } catch (error) {
    if (error instanceof Stripe.errors.StripeError) return error;
    throw error;
  }
  throw new Error('expected the Stripe call to fail');
}
