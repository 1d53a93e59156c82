import { setTimeout as sleep } from 'node:timers/promises';

/** What a pacer is doing now, for a live run's page. */
export interface PacerState {
  /** The account's limit, requests per second. */
  limit: number;
  /** Requests per second allowed now: below the limit for a while after a 429. */
  rate: number;
  /** 429s Stripe answered to this pacer's requests since the process started. */
  throttled: number;
  /** When the rate will be back at the limit if no other 429 comes (epoch ms); absent at full speed. */
  fullSpeedAt?: number;
}

/** What paces one Stripe account's requests: in memory (Pacer) or shared through the store (SharedPacer). */
export interface AccountPacer {
  /** The account's limit, requests per second. */
  readonly limit: number;
  /** Waits for this request's turn. */
  take(): Promise<void>;
  /** Stripe answered 429: slow down. */
  slowDown(now?: number): void;
  state(now?: number): PacerState;
}

/** The rate allowed at `now`: a 429 left `base`, and each whole second since gives back a twentieth of the limit. */
export function rateAt(limit: number, base: number, lastSlowdown: number, now: number): number {
  const seconds = Math.max(0, Math.floor((now - lastSlowdown) / 1000));
  return Math.min(limit, base + (seconds * limit) / 20);
}

/** A pacer's state for a live run's page, from its limit, base, last 429 and count of 429s. */
export function pacerState(limit: number, base: number, lastSlowdown: number, throttled: number, now: number): PacerState {
  const rate = rateAt(limit, base, lastSlowdown, now);
  const state: PacerState = { limit, rate, throttled };
  if (rate < limit) state.fullSpeedAt = lastSlowdown + Math.ceil((limit - base) / (limit / 20) - 1e-9) * 1000;
  return state;
}

/**
 * Paces the requests of one Stripe account, shared by every run that uses it. It starts at the
 * account's limit (Stripe allows 100 requests a second in live mode, 25 in test mode) and adapts:
 * a 429 halves the rate, and each second without one gives back a twentieth of the limit, so large
 * runs go about as fast as Stripe allows and a row never fails because of a 429 (additive increase,
 * multiplicative decrease, as TCP does). Hand-written: it is short, and the adaptive part is
 * what no general rate-limiter package does.
 *
 * The rate is a function of time since the last 429 (not a value stepped up on each request), so
 * it recovers at the same speed however many requests are made, and when it will be back at the
 * limit can be told in advance.
 */
export class Pacer implements AccountPacer {
  /** The rate the last 429 left (the limit before any): the rate grows back from it. */
  #base: number;
  #lastSlowdown = 0;
  #next = 0;
  #throttled = 0;

  constructor(readonly limit: number) {
    this.#base = limit;
  }

  /** Requests per second allowed now. */
  get rate(): number {
    return this.#rateAt(Date.now());
  }

  /** Waits for this request's turn. */
  async take(): Promise<void> {
    const now = Date.now();
    const at = Math.max(now, this.#next);
    this.#next = at + 1000 / this.#rateAt(now);
    if (at > now) await sleep(at - now);
  }

  /**
   * Stripe answered 429: halve the pace. Requests in flight together see the same overload, so
   * the rate halves once per half second however many of them saw it; each 429 is counted.
   */
  slowDown(now = Date.now()): void {
    this.#throttled++;
    if (now - this.#lastSlowdown < 500) return;
    this.#base = Math.max(1, this.#rateAt(now) / 2);
    this.#lastSlowdown = now;
    this.#next = Math.max(this.#next, now + 1000 / this.#base);
  }

  state(now = Date.now()): PacerState {
    return pacerState(this.limit, this.#base, this.#lastSlowdown, this.#throttled, now);
  }

  #rateAt(now: number): number {
    return rateAt(this.limit, this.#base, this.#lastSlowdown, now);
  }
}
