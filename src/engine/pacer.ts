import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Paces the requests of one Stripe account, shared by every run that uses it. It starts at the
 * account's limit (Stripe allows 100 requests a second in live mode, 25 in test mode) and adapts:
 * a 429 halves the rate, and each second without one gives back a twentieth of the limit, so large
 * runs go about as fast as Stripe allows and a row never fails because of a 429 (additive increase,
 * multiplicative decrease, as TCP does). Hand-written: it is twenty lines, and the adaptive part is
 * what no general rate-limiter package does.
 */
export class Pacer {
  #rate: number;
  #next = 0;
  #lastSlowdown = 0;

  constructor(readonly limit: number) {
    this.#rate = limit;
  }

  /** Requests per second allowed now. */
  get rate(): number {
    return this.#rate;
  }

  /** Waits for this request's turn. */
  async take(): Promise<void> {
    this.#recover();
    const now = Date.now();
    const at = Math.max(now, this.#next);
    this.#next = at + 1000 / this.#rate;
    if (at > now) await sleep(at - now);
  }

  /** Stripe answered 429: halve the pace (once per half second, however many requests saw it). */
  slowDown(): void {
    const now = Date.now();
    if (now - this.#lastSlowdown < 500) return;
    this.#lastSlowdown = now;
    this.#rate = Math.max(1, this.#rate / 2);
    this.#next = Math.max(this.#next, now + 1000 / this.#rate);
  }

  #recover(): void {
    if (this.#rate >= this.limit) return;
    const seconds = (Date.now() - this.#lastSlowdown) / 1000;
    this.#rate = Math.min(this.limit, Math.max(this.#rate, this.#rate + Math.floor(seconds) * (this.limit / 20)));
  }
}
