/**
 * A token bucket per account mode: `perSecond` requests may burst at once, and the bucket refills
 * continuously at `perSecond` a second. Stripe counts per account (100/s live, 25/s test); the
 * emulator takes one number for both, set by the test or the CLI.
 */
export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(private readonly nowMs: () => number = () => performance.now()) {}

  /** Takes one request's token; false means the request is over the limit. */
  take(account: string, perSecond: number): boolean {
    if (!(perSecond > 0)) return true;
    const now = this.nowMs();
    const bucket = this.buckets.get(account) ?? { tokens: perSecond, at: now };
    bucket.tokens = Math.min(perSecond, bucket.tokens + ((now - bucket.at) / 1000) * perSecond);
    bucket.at = now;
    const allowed = bucket.tokens >= 1;
    if (allowed) bucket.tokens -= 1;
    this.buckets.set(account, bucket);
    return allowed;
  }

  reset(): void {
    this.buckets.clear();
  }
}
