/**
 * Faults that strike a write once Stripe has started executing it, so that its outcome is
 * ambiguous to the client — what a timeout or a 5xx from real Stripe leaves behind:
 * - `500`: the object is written; the answer is a 500, and Stripe stores that 500 as the key's
 *   result, so every retry with the same Idempotency-Key gets the 500 again (replayed).
 * - `drop`: the object is written and the success stored for the key; the connection drops before
 *   the answer, so a retry with the same key gets the object (replayed).
 * - `timeout`: as `drop`, but the connection is held open with no answer until the client gives up
 *   (its timeout) or the emulator closes.
 * - `500-not-written`: the endpoint fails part way and nothing is written, yet Stripe stores the
 *   500 for the key: a retry with that key can never create the object.
 */
export type WriteFaultKind = '500' | 'drop' | 'timeout' | '500-not-written';

export const WRITE_FAULT_KINDS: readonly WriteFaultKind[] = ['500', 'drop', 'timeout', '500-not-written'];

export interface ArmedWriteFaults {
  /** How many writes fail. (Default: 1) */
  count?: number;
  kind: WriteFaultKind;
  /** Only writes to this path (`/v1/invoices`) count. (Default: every POST) */
  path?: string;
}

interface Armed {
  kind: WriteFaultKind;
  path: string | undefined;
  left: number;
}

/** Write faults armed by tests, taken in the order they were armed, ahead of `afterWriteFaultRate`. */
export class WriteFaults {
  #armed: Armed[] = [];

  /** Validates and arms; a bad value throws an Error naming the field and what is allowed. */
  arm(o: ArmedWriteFaults): void {
    const count = o.count ?? 1;
    if (!Number.isSafeInteger(count) || count < 1 || count > 1_000_000) {
      throw new Error(`count: ${JSON.stringify(o.count)} is not allowed; it must be a whole number from 1 to 1000000`);
    }
    if (!WRITE_FAULT_KINDS.includes(o.kind)) {
      throw new Error(`kind: ${JSON.stringify(o.kind)} is not allowed; use one of ${WRITE_FAULT_KINDS.join(', ')}`);
    }
    if (o.path !== undefined && (typeof o.path !== 'string' || !o.path.startsWith('/v1/'))) {
      throw new Error(`path: ${JSON.stringify(o.path)} is not allowed; use an API path such as /v1/invoices`);
    }
    this.#armed.push({ kind: o.kind, path: o.path, left: count });
  }

  /** The kind armed for the next write to `path`, without taking it. */
  peek(path: string): WriteFaultKind | undefined {
    return this.#find(path)?.kind;
  }

  /** Takes one armed fault for a write to `path`: it strikes this write. */
  take(path: string): WriteFaultKind | undefined {
    const armed = this.#find(path);
    if (armed === undefined) return undefined;
    armed.left -= 1;
    if (armed.left === 0) this.#armed.splice(this.#armed.indexOf(armed), 1);
    return armed.kind;
  }

  reset(): void {
    this.#armed = [];
  }

  #find(path: string): Armed | undefined {
    return this.#armed.find((a) => a.path === undefined || a.path === path);
  }
}
