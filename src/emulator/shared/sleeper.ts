/**
 * The emulators' injected latency (`latencyMs`). Each pending sleep is kept so that `close()` can
 * wake them all: otherwise a request still sleeping when its emulator closes would keep a timer,
 * and so the process, alive for the rest of its latency (up to ten minutes).
 */
export class Sleeper {
  readonly #sleeping = new Set<() => void>();
  #closed = false;

  /** Resolves after `ms`, at once if `ms` ≤ 0 or the sleeper is closed, or early when it is closed. */
  sleep(ms: number): Promise<void> {
    if (ms <= 0 || this.#closed) return Promise.resolve();
    return new Promise((resolve) => {
      const wake = (): void => {
        clearTimeout(timer);
        this.#sleeping.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      this.#sleeping.add(wake);
    });
  }

  /** Wakes every pending sleep now; every later sleep resolves at once. */
  close(): void {
    this.#closed = true;
    for (const wake of [...this.#sleeping]) wake();
  }
}
