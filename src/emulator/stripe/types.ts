/**
 * The emulator's public types (re-exported by index.ts).
 *
 * Glossary: an *account* is the one emulated Stripe account; it has a test *mode* and a live
 * mode whose data never mix. A *fault* is a failure injected before a request does anything.
 */
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
  /** Source of randomness for faults, for deterministic tests. (Default: Math.random) */
  random?: () => number;
}

export type EmulatorConfig = Required<Pick<StripeEmulatorOptions, 'latencyMs' | 'rateLimit' | 'faultRate'>>;

export type ObjectKind = 'customer' | 'invoiceitem' | 'invoice' | 'price' | 'product';

export interface StripeEmulator {
  /** `http://127.0.0.1:PORT` */
  url: string;
  port: number;
  close(): Promise<void>;
  configure(options: Partial<Pick<StripeEmulatorOptions, 'latencyMs' | 'rateLimit' | 'faultRate'>>): void;
  /** From now on the key gets 401, as a key rolled in the Dashboard does. */
  revokeKey(key: string): void;
  /** Forgets all objects, idempotency keys, recorded requests, revoked keys and rate-limit state; keeps the configuration. */
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
  /** The HTTP status sent; 0 when the connection was dropped by an injected fault. */
  status: number;
  /** The mode of the key used, when the key was well formed and not revoked. */
  mode?: 'test' | 'live';
}
