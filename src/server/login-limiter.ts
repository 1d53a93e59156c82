/**
 * Failed logins per email, in this process: after `max` failures within `windowMs` of the first,
 * every login to that email is refused until the window ends — even with the right password, or
 * guessing could go on at full speed from many addresses. This complements the per-IP limit
 * (@fastify/rate-limit on the route), which alone does not stop a guesser with many addresses.
 * The cost: someone who knows the owner's email can lock the UI login for a while; API keys and
 * the CLI keep working. Counts live in memory, so a restart forgets them.
 */
export class LoginLimiter {
  readonly #failures = new Map<string, { count: number; since: number }>();

  constructor(
    readonly max = 10,
    readonly windowMs = 15 * 60_000,
    /** Entries kept at most; beyond it the oldest are forgotten, so memory stays bounded. */
    readonly capacity = 10_000,
  ) {}

  /** Seconds until `email` may try again, or 0 when it may try now. */
  retryAfter(email: string, now = Date.now()): number {
    const entry = this.#failures.get(email);
    if (!entry) return 0;
    const remaining = entry.since + this.windowMs - now;
    if (remaining <= 0) {
      this.#failures.delete(email);
      return 0;
    }
    return entry.count >= this.max ? Math.ceil(remaining / 1000) : 0;
  }

  failed(email: string, now = Date.now()): void {
    const entry = this.#failures.get(email);
    if (entry && entry.since + this.windowMs > now) {
      entry.count++;
      return;
    }
    this.#failures.delete(email);
    this.#failures.set(email, { count: 1, since: now });
    for (const oldest of this.#failures.keys()) {
      if (this.#failures.size <= this.capacity) break;
      this.#failures.delete(oldest);
    }
  }

  succeeded(email: string): void {
    this.#failures.delete(email);
  }
}
