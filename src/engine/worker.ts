import os from 'node:os';
import { claimNextRun, expireLeases, runningOwners, type RunRecord } from '../store/runs.js';
import type { Engine } from './context.js';
import { runConnection } from './run-connection.js';

export interface WorkerOptions {
  /**
   * Runs of different connections worked on at once. Most of a run's time is spent waiting for
   * Stripe or the source, so this is well above the core count. (Default: 16)
   */
  concurrency?: number;
  /** How often to look for queued runs when nobody wakes the worker. (Default: 1000 ms) */
  pollMs?: number;
  /** How long a claim on a run holds without renewal; a dead process's runs resume after it. (Default: 30 s) */
  leaseMs?: number;
}

/** True when `owner` names a process on this host that no longer exists. */
export function isDeadLocalOwner(owner: string): boolean {
  const [host, pid] = owner.split(':');
  if (host !== os.hostname() || !pid || Number(pid) === process.pid) return false;
  try {
    process.kill(Number(pid), 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

/**
 * Takes queued runs from the store and runs them, a few connections at a time. The store's claim
 * is what keeps a run to one worker (see claimNextRun), so any number of workers may share a
 * database. Runs left `running` by a process that died resume: at once when that process was on
 * this host, otherwise when its lease runs out.
 */
export class Worker {
  /** The engine's owner: a live run's page finds its pacer by it. */
  readonly owner: string;
  readonly #engine: Engine;
  readonly #concurrency: number;
  readonly #pollMs: number;
  readonly #leaseMs: number;
  readonly #active = new Map<string, Promise<unknown>>();
  readonly #stop = new AbortController();
  #timer: NodeJS.Timeout | undefined;
  #claiming = false;
  #again = false;

  constructor(engine: Engine, o: WorkerOptions = {}) {
    this.#engine = engine;
    this.owner = engine.owner;
    this.#concurrency = o.concurrency ?? 16;
    this.#pollMs = o.pollMs ?? 1000;
    this.#leaseMs = o.leaseMs ?? 30_000;
  }

  async start(): Promise<void> {
    const dead = (await runningOwners(this.#engine.db)).filter(isDeadLocalOwner);
    await expireLeases(this.#engine.db, dead);
    this.#timer = setInterval(() => this.wake(), this.#pollMs);
    this.#timer.unref();
    this.wake();
  }

  /** Looks for work now. Calls that come while it is looking make it look once more. */
  wake(): void {
    if (this.#stop.signal.aborted) return;
    if (this.#claiming) {
      this.#again = true;
      return;
    }
    this.#claiming = true;
    this.#fill()
      .catch((error: Error) => this.#engine.log.error({ err: error.message }, 'could not claim runs'))
      .finally(() => {
        this.#claiming = false;
        if (this.#again) {
          this.#again = false;
          this.wake();
        }
      });
  }

  async #fill(): Promise<void> {
    while (this.#active.size < this.#concurrency && !this.#stop.signal.aborted) {
      const run = await claimNextRun(this.#engine.db, this.owner, this.#leaseMs);
      if (!run) return;
      this.#launch(run);
    }
  }

  #launch(run: RunRecord): void {
    const done = runConnection(this.#engine, run, { owner: this.owner, leaseMs: this.#leaseMs, signal: this.#stop.signal })
      .catch((error: Error) => this.#engine.log.error({ runId: run.id, err: error.message }, 'run crashed'))
      .finally(() => {
        this.#active.delete(run.id);
        this.wake();
      });
    this.#active.set(run.id, done);
  }

  /** Stops taking runs, lets the rows in flight finish, and leaves the rest pending. */
  async stop(): Promise<void> {
    this.#stop.abort();
    if (this.#timer) clearInterval(this.#timer);
    await Promise.allSettled([...this.#active.values()]);
  }
}
