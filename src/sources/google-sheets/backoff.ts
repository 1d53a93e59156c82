/** How Google calls are retried. */
export interface RetryPolicy {
  /** Attempts in all, the first included. (Default: 5) */
  attempts: number;
  /** The first wait; each further wait doubles, with full jitter. (Default: 1 s) */
  baseMs: number;
  /** The longest wait drawn by the backoff. (Default: 32 s, as Google's guide to exponential backoff suggests) */
  maxMs: number;
}

export const defaultRetry: RetryPolicy = { attempts: 5, baseMs: 1000, maxMs: 32_000 };

/**
 * The longest Retry-After honoured. Sheets quotas refill every minute, so Google never has reason
 * to ask for more; a larger value is a misbehaving proxy, and waiting longer would hold a run.
 */
export const MAX_RETRY_AFTER_MS = 60_000;

/**
 * The wait before attempt `attempt + 1` (attempt counts from 1): Retry-After when the answer gave
 * one (capped at a minute), else exponential backoff with full jitter — a random wait between 0 and
 * min(maxMs, baseMs · 2^(attempt−1)). Full jitter spreads the retries of processes that were
 * refused together, so they do not all come back at the same moment and get refused again.
 */
export function retryDelay(attempt: number, policy: RetryPolicy, retryAfterMs?: number, random: () => number = Math.random): number {
  if (retryAfterMs !== undefined) return Math.min(retryAfterMs, MAX_RETRY_AFTER_MS);
  return Math.floor(random() * Math.min(policy.maxMs, policy.baseMs * 2 ** (attempt - 1)));
}

/** Retry-After in ms: seconds (`"3"`) or an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfter(header: string | null | undefined, now: number): number | undefined {
  if (header === null || header === undefined) return undefined;
  const text = header.trim();
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  if (!/GMT$/i.test(text)) return undefined;
  const date = Date.parse(text);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
