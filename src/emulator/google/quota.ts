import type { QuotaKind } from './errors.js';

/**
 * Per-caller request quota, as Google's "requests per minute per user": reads and writes are
 * counted apart, over a sliding 60-second window. Refused requests do not count. `failNext`
 * forces the next N requests to be refused whatever the counts, for retry tests.
 */
const WINDOW_MS = 60_000;

export class QuotaGate {
  private readonly windows = new Map<string, number[]>();
  private forced = 0;

  constructor(private readonly nowMs: () => number = () => performance.now()) {}

  failNext(n: number): void {
    this.forced = n;
  }

  /** Takes one request; false means it must be answered 429. `limit` 0 means unlimited. */
  take(caller: string, kind: QuotaKind, limit: number): boolean {
    if (this.forced > 0) {
      this.forced -= 1;
      return false;
    }
    if (!(limit > 0)) return true;
    const key = `${kind}\u0000${caller}`;
    const now = this.nowMs();
    const recent = (this.windows.get(key) ?? []).filter((at) => at > now - WINDOW_MS);
    const allowed = recent.length < limit;
    if (allowed) recent.push(now);
    this.windows.set(key, recent);
    return allowed;
  }

  reset(): void {
    this.windows.clear();
    this.forced = 0;
  }
}
