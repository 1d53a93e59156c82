/**
 * At most `limit` tasks at once, for sending rows (or invoices) side by side. The first task to
 * fail stops the pool: no task starts after it (`failed`), the ones in flight finish, and
 * `finish` throws that first error.
 */
export class Pool {
  readonly #inFlight = new Set<Promise<void>>();
  #failed = false;
  #error: unknown;

  constructor(private readonly limit: number) {}

  /** A task has failed: start no more. */
  get failed(): boolean {
    return this.#failed;
  }

  /** Resolves once a task may start. */
  async slot(): Promise<void> {
    while (this.#inFlight.size >= this.limit) await Promise.race(this.#inFlight);
  }

  /** Starts a task at once (after `slot`); its failure is kept for `finish`. */
  start(task: () => Promise<void>): void {
    const running: Promise<void> = task()
      .catch((error: unknown) => {
        if (this.#failed) return;
        this.#failed = true;
        this.#error = error;
      })
      .finally(() => this.#inFlight.delete(running));
    this.#inFlight.add(running);
  }

  /** Waits for every task; throws the first error one had. */
  async finish(): Promise<void> {
    await Promise.all(this.#inFlight);
    if (this.#failed) throw this.#error;
  }
}
