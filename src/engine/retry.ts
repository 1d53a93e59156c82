import { setTimeout as sleep } from 'node:timers/promises';
import type { StripeCallError } from '../receivers/stripe/stripe-error.js';
import type { AccountPacer } from './pacer.js';

export interface RetryPolicy {
  /** Attempts in all, the first included. (Default: 8) */
  attempts: number;
  /** The first wait; each further wait doubles, with full jitter. (Default: 500 ms) */
  baseMs: number;
  /** The longest wait. (Default: 8 s) */
  maxMs: number;
}

export const defaultRetry: RetryPolicy = { attempts: 8, baseMs: 500, maxMs: 8000 };

/**
 * Retries what Stripe asks to be retried (429 rate limits and lock timeouts, 409 key in use), with
 * exponential backoff and full jitter: Stripe promises no Retry-After, and the SDK does not retry
 * 429 itself. 5xx and connection errors are already retried by the SDK with the same key.
 */
export async function withRetry<T>(
  fn: () => Promise<T>,
  toError: (e: unknown) => StripeCallError,
  policy = defaultRetry,
  pacer?: AccountPacer,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      await pacer?.take();
      return await fn();
    } catch (raw) {
      const error = toError(raw);
      if (error.details?.status === 429) pacer?.slowDown();
      if (error.kind !== 'retryable' || attempt >= policy.attempts) throw error;
      await sleep(Math.random() * Math.min(policy.maxMs, policy.baseMs * 2 ** (attempt - 1)));
    }
  }
}
