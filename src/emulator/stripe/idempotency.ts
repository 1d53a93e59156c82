/**
 * Stripe's idempotency layer. The first response for an account + key (status and body, a 500
 * included) is stored with a fingerprint of the request and replayed to every retry. Rules, in
 * the order they are checked:
 * - a different method, path or parameters → `idempotency_error` (400), whatever the state;
 * - the first request still running → 409 `idempotency_key_in_use`;
 * - otherwise the stored response is replayed.
 * A request that fails before the endpoint executes (auth, rate limit, fault, parameter
 * validation) must `abandon` its claim, so the key stays unused — as Stripe documents.
 */
export interface StoredResponse {
  status: number;
  body: string;
  requestId: string;
}

type Entry =
  | { fingerprint: string; createdAt: number; state: 'running' }
  | { fingerprint: string; createdAt: number; state: 'done'; response: StoredResponse };

export type Claim =
  | { kind: 'replay'; response: StoredResponse }
  | { kind: 'mismatch' }
  | { kind: 'in_use' }
  | { kind: 'started'; finish: (response: StoredResponse) => void; abandon: () => void };

/** Stripe prunes keys after at least 24 hours; after that the same key runs anew. */
const TTL_MS = 24 * 60 * 60 * 1000;
const MAX_ENTRIES = 100_000;

export class IdempotencyStore {
  private entries = new Map<string, Entry>();

  constructor(private readonly nowMs: () => number = () => Date.now()) {}

  claim(account: string, key: string, fingerprint: string): Claim {
    const id = `${account}\u0000${key}`;
    const now = this.nowMs();
    const existing = this.entries.get(id);
    if (existing !== undefined && now - existing.createdAt < TTL_MS) {
      if (existing.fingerprint !== fingerprint) return { kind: 'mismatch' };
      if (existing.state === 'running') return { kind: 'in_use' };
      return { kind: 'replay', response: existing.response };
    }
    const entry: Entry = { fingerprint, createdAt: now, state: 'running' };
    this.entries.delete(id);
    this.entries.set(id, entry);
    this.evict();
    return {
      kind: 'started',
      finish: (response) => {
        if (this.entries.get(id) === entry) this.entries.set(id, { fingerprint, createdAt: now, state: 'done', response });
      },
      abandon: () => {
        if (this.entries.get(id) === entry) this.entries.delete(id);
      },
    };
  }

  reset(): void {
    this.entries = new Map();
  }

  /** Keeps memory bounded: the oldest keys go first (Map iterates in insertion order). */
  private evict(): void {
    for (const id of this.entries.keys()) {
      if (this.entries.size <= MAX_ENTRIES) return;
      this.entries.delete(id);
    }
  }
}

/** Method, path and parameters, with hash keys sorted so that parameter order does not matter. */
export function fingerprint(method: string, path: string, params: unknown): string {
  return JSON.stringify([method, path, sortKeys(params)]);
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([key, item]) => [key, sortKeys(item)]),
    );
  }
  return value;
}
