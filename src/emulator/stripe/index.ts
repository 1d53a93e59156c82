import { startEmulatorServer } from './server.js';
import type { StripeEmulator, StripeEmulatorOptions } from './types.js';

export type {
  ArmedWriteFaults,
  ObjectKind,
  RecordedRequest,
  StripeEmulator,
  StripeEmulatorOptions,
  TunableOptions,
  WriteFaultKind,
} from './types.js';

/**
 * Starts a stateful Stripe API emulator on a loopback address. It speaks the v1 form-encoded API
 * for customers, products, prices, invoice items and invoices, with Stripe's errors, idempotency
 * and rate limiting, and can inject latency, faults before a request does anything and faults after a write. See NOTES.md in this folder.
 */
export function startStripeEmulator(options?: StripeEmulatorOptions): Promise<StripeEmulator> {
  return startEmulatorServer(options);
}
