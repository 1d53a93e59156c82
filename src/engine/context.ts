import type Stripe from 'stripe';
import type { Db } from '../store/db.js';
import type { SecretBox } from '../store/secret-box.js';
import type { AccountRecord } from '../store/accounts.js';
import { createStripe } from '../receivers/stripe/client.js';
import type { GoogleConfig, OutboundConfig } from '../config.js';
import { createGoogleAccess, type GoogleAccess } from './google.js';
import { Pacer, type AccountPacer } from './pacer.js';
import { SharedPacer } from './shared-pacer.js';
import { processOwner } from './process-owner.js';

/** The logger the engine writes to (pino's shape). Never give it a secret. */
export interface Logger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

/** What the engine needs from the outside world, made once at start and passed down. */
export interface Engine {
  db: Db;
  secrets: SecretBox;
  stripeApiBase: URL;
  /** Where users and forms reach Sluice (hook URLs). */
  publicUrl: string;
  /** The only folder a CSV source's `path` may read from (SLUICE_IMPORT_DIR). */
  importDir: string;
  /** SLUICE_DATA_DIR: never read as a source, even when the import folder contains it. */
  dataDir: string;
  /** Where a pull source's read is kept until it is complete (`<data dir>/staging`, see staged-read.ts). */
  stagingDir: string;
  /** How addresses users type are fetched (SLUICE_FETCH_TIMEOUT_MS, SLUICE_ALLOW_PRIVATE_URLS …). */
  outbound: OutboundConfig;
  log: Logger;
  /** Tells the workers that a run is queued, so they do not wait for their next poll. */
  wake(): void;
  /** The Stripe client of an account, with its key decrypted in memory only. */
  stripeFor(account: AccountRecord): { stripe: Stripe; secretKey: string };
  /**
   * The pace of an account's requests, shared by every run in this process that uses it — and,
   * with `sharedPace` (Postgres, several processes), by every process: one budget per account.
   * In-memory pacers are per process, and only the one that runs a run knows its pace.
   */
  pacerFor(account: AccountRecord): AccountPacer;
  /** This process's name on the runs it claims (runs.owner), so it can tell its own runs. */
  readonly owner: string;
  google: GoogleAccess;
  /**
   * The engine's clock, for what must be measured against Stripe's 24 hours (see
   * RowTable.ambiguous_since); tests set it to replay a row a day later. (Default: the system clock)
   */
  readonly now: () => Date;
}

export function createEngine(
  o: Omit<Engine, 'stripeFor' | 'pacerFor' | 'wake' | 'google' | 'owner' | 'now'> & {
    wake?: () => void;
    now?: () => Date;
    google: GoogleConfig;
    stripeRate?: { live: number; test: number };
    /** One request to Stripe's longest wait before the SDK retries it. (Default: 30 s) */
    stripeTimeoutMs?: number;
    /** Pace each account through the store, shared by every process (Postgres). (Default: in memory, per process) */
    sharedPace?: boolean;
  },
): Engine {
  const pacers = new Map<string, AccountPacer>();
  const rates = o.stripeRate ?? { live: 100, test: 25 };
  // One SDK client per account and key version; the key is decrypted once per client.
  const clients = new Map<string, { stripe: Stripe; secretKey: string }>();
  const engine: Engine = {
    ...o,
    owner: processOwner(),
    wake: o.wake ?? (() => {}),
    now: o.now ?? (() => new Date()),
    google: createGoogleAccess(o.google, o.secrets, () => engine.publicUrl),
    pacerFor(account) {
      let pacer = pacers.get(account.id);
      if (!pacer) {
        const limit = account.mode === 'live' ? rates.live : rates.test;
        pacer = o.sharedPace ? new SharedPacer(o.db, account.id, limit, o.log) : new Pacer(limit);
        pacers.set(account.id, pacer);
      }
      return pacer;
    },
    stripeFor(account) {
      const cacheKey = `${account.id}:${account.secret_sealed}`;
      let client = clients.get(cacheKey);
      if (!client) {
        const secretKey = o.secrets.open(account.secret_sealed, account.id);
        const stripe = createStripe(secretKey, {
          apiBase: o.stripeApiBase,
          ...(o.stripeTimeoutMs !== undefined && { timeoutMs: o.stripeTimeoutMs }),
        });
        client = { stripe, secretKey };
        clients.set(cacheKey, client);
      }
      return client;
    },
  };
  return engine;
}
