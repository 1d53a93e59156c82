import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { claimPurge, purgeConnection } from '../store/purge.js';
import type { Engine } from './context.js';

export interface PurgerOptions {
  /** How often to look for deleted connections when nobody wakes the purger. (Default: 5 s) */
  pollMs?: number;
  /** Rows deleted a batch. (Default: 2000: tens of milliseconds on SQLite, see store/NOTES.md) */
  batch?: number;
  /** How long a claim on a purge holds without renewal; a dead process's purge resumes after it. (Default: 60 s) */
  leaseMs?: number;
}

/**
 * Purges deleted connections in the background, one batch at a time, yielding to the event loop
 * between batches so that the API and hook posts wait at most one batch (store/purge.ts). Runs in
 * every process that works (serve, worker); the claim in the store keeps each connection to one
 * purger, and a purge cut short (the process was killed) is taken up again once its lease ends.
 */
export class Purger {
  readonly #engine: Engine;
  readonly #pollMs: number;
  readonly #batch: number;
  readonly #leaseMs: number;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;
  #again = false;
  #stopped = false;

  constructor(engine: Engine, o: PurgerOptions = {}) {
    this.#engine = engine;
    this.#pollMs = o.pollMs ?? 5000;
    this.#batch = o.batch ?? 2000;
    this.#leaseMs = o.leaseMs ?? 60_000;
  }

  start(): void {
    this.#timer = setInterval(() => this.wake(), this.#pollMs);
    this.#timer.unref();
    this.wake();
  }

  /** Looks for deleted connections now (one was just deleted). */
  wake(): void {
    if (this.#stopped) return;
    if (this.#running) {
      this.#again = true;
      return;
    }
    // Started on the next turn of the event loop: the request that deleted the connection is
    // answered before the first batch.
    this.#running = yieldToEventLoop()
      .then(() => this.#drain())
      .catch((error: Error) => this.#engine.log.error({ err: error.message }, 'could not purge a deleted connection'))
      .finally(() => {
        this.#running = undefined;
        if (this.#again) {
          this.#again = false;
          this.wake();
        }
      });
  }

  async #drain(): Promise<void> {
    const pause = async () => {
      await yieldToEventLoop();
      return !this.#stopped;
    };
    while (!this.#stopped) {
      const claim = await claimPurge(this.#engine.db, this.#leaseMs);
      if (!claim) return;
      const started = Date.now();
      const done = await purgeConnection(this.#engine.db, claim, { batch: this.#batch, leaseMs: this.#leaseMs, pause });
      if (done) this.#engine.log.info({ connectionId: claim.id, ms: Date.now() - started }, 'deleted connection purged');
      else return;
    }
  }

  /** Stops between two batches; the purge resumes at the next start (its lease runs out first). */
  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#timer) clearInterval(this.#timer);
    await this.#running;
  }
}
