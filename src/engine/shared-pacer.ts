import { setTimeout as sleep } from 'node:timers/promises';
import type { Db } from '../store/db.js';
import { ensurePace, slowPace, takePaceSlot, type PaceRow } from '../store/pace.js';
import { pacerState, type AccountPacer, type PacerState } from './pacer.js';
import type { Logger } from './context.js';

/**
 * The pace of one Stripe account shared by every process on one Postgres: the same rules as the
 * in-memory Pacer (start at the limit, halve on a 429, give back a twentieth of the limit each
 * second), but the next request slot and the rate live in the store (account_pace), taken with
 * one row-locked statement per request, so that three workers together stay within Stripe's limit
 * instead of each using all of it.
 */
export class SharedPacer implements AccountPacer {
  #seen: PaceRow;
  #ready: Promise<void> | undefined;

  constructor(
    private readonly db: Db,
    private readonly accountId: string,
    readonly limit: number,
    private readonly log: Logger,
  ) {
    this.#seen = { base: limit, last_slowdown: 0, throttled: 0 };
  }

  async take(): Promise<void> {
    this.#ready ??= ensurePace(this.db, this.accountId, this.limit);
    await this.#ready;
    const now = Date.now();
    const slot = await takePaceSlot(this.db, this.accountId, this.limit, now);
    this.#seen = slot;
    if (slot.at > now) await sleep(slot.at - now);
  }

  slowDown(now = Date.now()): void {
    // Not awaited: the request that saw the 429 is retried by its caller, whose next take() reads
    // the slowed pace; a failed write only leaves the pace as it was.
    slowPace(this.db, this.accountId, this.limit, now)
      .then((row) => {
        this.#seen = row;
      })
      .catch((error: Error) =>
        this.log.warn({ accountId: this.accountId, err: error.message }, 'could not record a 429 in the shared pace'),
      );
  }

  /** The pace as this process last saw it (each take reads it). */
  state(now = Date.now()): PacerState {
    return pacerState(this.limit, this.#seen.base, this.#seen.last_slowdown, this.#seen.throttled, now);
  }
}
