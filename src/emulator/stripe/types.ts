/**
 * The emulator's public types (re-exported by index.ts).
 *
 * Glossary: an *account* is the one emulated Stripe account; it has a test *mode* and a live
 * mode whose data never mix. A *fault* is a failure injected before a request does anything; a
 * *write fault* strikes a write after Stripe started executing it (write-faults.ts), which leaves
 * its outcome ambiguous to the client.
 */
import type { ArmedWriteFaults, WriteFaultKind } from './write-faults.js';

export type { ArmedWriteFaults, WriteFaultKind } from './write-faults.js';

export interface StripeEmulatorOptions {
  /** TCP port; 0 picks a free one. (Default: 12111) */
  port?: number;
  /** Must be a loopback address: the emulator accepts any well-formed key. (Default: 127.0.0.1) */
  host?: string;
  /** Delay added to every API response, in milliseconds. (Default: 0) */
  latencyMs?: number;
  /** Requests per second allowed per account mode; 0 or undefined means unlimited. (Default: unlimited) */
  rateLimit?: number;
  /** Share of API requests, 0..1, that fail before doing anything: half 500, half dropped. (Default: 0) */
  faultRate?: number;
  /**
   * Share of executed POST writes, 0..1, that fail after the write: half answer 500 (and the 500
   * is stored for the Idempotency-Key, so retries get it replayed), half drop the connection (the
   * success is stored, so a retry gets the object). (Default: 0)
   */
  afterWriteFaultRate?: number;
  /** Source of randomness for faults and write faults, for deterministic tests. (Default: Math.random) */
  random?: () => number;
  /**
   * The emulator's clock, in milliseconds since the epoch: objects' `created` and the age of
   * idempotency keys (forgotten after 24 hours, as Stripe does). Tests move it to replay a row a
   * day later. (Default: Date.now)
   */
  now?: () => number;
}

/** What `configure()` and `POST /_emulator/config` can change while the emulator runs. */
export type TunableOptions = Pick<StripeEmulatorOptions, 'latencyMs' | 'rateLimit' | 'faultRate' | 'afterWriteFaultRate'>;

export type EmulatorConfig = Required<TunableOptions>;

export type ObjectKind = 'customer' | 'invoiceitem' | 'invoice' | 'price' | 'product';

export interface StripeEmulator {
  /** `http://127.0.0.1:PORT` */
  url: string;
  port: number;
  close(): Promise<void>;
  configure(options: Partial<TunableOptions>): void;
  /**
   * The next `count` POST writes (to `path`, when given) fail as `kind` says, whatever
   * `afterWriteFaultRate` draws; faults armed earlier strike first. Only writes the endpoint
   * executes count (a replay, a 409 or a 400 does not). Cleared by `reset()`.
   */
  failNextWrites(faults: ArmedWriteFaults): void;
  /** From now on the key gets 401, as a key rolled in the Dashboard does. */
  revokeKey(key: string): void;
  /** Forgets all objects, idempotency keys, recorded requests, revoked keys, armed write faults and rate-limit state; keeps the configuration. */
  reset(): void;
  /** API requests in the order they were answered, oldest first (the last 100,000); admin calls are not recorded. */
  requests(): RecordedRequest[];
  /** Every live (not deleted) object of a kind, oldest first, as the API renders it. (Default mode: test) */
  objects(kind: ObjectKind, mode?: 'test' | 'live'): unknown[];
}

export interface RecordedRequest {
  method: string;
  /** Without the query string. */
  path: string;
  query: string;
  /** The raw form body as received: '' when it was over the 1 MiB limit (413), cut at 64 KiB otherwise. */
  body: string;
  idempotencyKey?: string;
  /** The HTTP status sent; 0 when the connection was dropped (or held unanswered) by an injected fault. */
  status: number;
  /** The write fault that struck this request after its write, if one did. */
  writeFault?: WriteFaultKind;
  /** The mode of the key used, when the key was well formed and not revoked. */
  mode?: 'test' | 'live';
}
