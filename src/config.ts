import path from 'node:path';
import { parsePostgresUrl } from './store/postgres-url.js';

/**
 * Sluice's configuration, read once from the environment. A bad value stops the start with a
 * message that names the variable, the value and what is allowed.
 */
export interface Config {
  /** PORT: the HTTP port. (Default: 3000) */
  port: number;
  /** HOST: the address to listen on. (Default: 127.0.0.1 — loopback, so nothing is exposed by accident) */
  host: string;
  /** SLUICE_DATA_DIR: where the SQLite database and the generated encryption key live. (Default: ./data) */
  dataDir: string;
  /**
   * DATABASE_URL: a postgres:// or postgresql:// URL puts the store on Postgres, shared by every
   * process given the same URL; `?schema=<name>` picks the schema (made if missing). (Default:
   * unset — SQLite in dataDir)
   */
  databaseUrl?: string;
  /**
   * SLUICE_ENCRYPTION_KEY: 32 bytes as 64 hex characters or base64; encrypts secrets at rest.
   * Required with DATABASE_URL. (Default: a random key generated once into
   * `<dataDir>/encryption.key`, mode 0600)
   */
  encryptionKey?: Buffer;
  /** STRIPE_API_BASE: where Stripe is reached. (Default: https://api.stripe.com) */
  stripeApiBase: URL;
  /** SLUICE_PUBLIC_URL: the address users and forms reach Sluice at, used in hook URLs. (Default: http://HOST:PORT) */
  publicUrl: string;
  /** Whether SLUICE_PUBLIC_URL was given (otherwise publicUrl follows the address Sluice listens on). */
  publicUrlSet: boolean;
  /** SLUICE_WEBHOOK_MAX_BYTES: the largest accepted webhook body. (Default: 262144, 256 KiB) */
  webhookMaxBytes: number;
  google: GoogleConfig;
  /**
   * SLUICE_STRIPE_RATE_LIVE and SLUICE_STRIPE_RATE_TEST: requests per second Sluice starts at for one
   * Stripe account, before adapting to Stripe's 429s. (Default: 100 live, 25 test — Stripe's limits)
   */
  stripeRate: { live: number; test: number };
  /**
   * SLUICE_STRIPE_TIMEOUT_MS: how long one request to Stripe may take before it is abandoned and
   * retried with the same idempotency key. (Default: 30000, the Stripe SDK's own)
   */
  stripeTimeoutMs: number;
  /**
   * SLUICE_IMPORT_DIR: the only folder a CSV source's `path` may read from, made at start if
   * missing. (Default: `<dataDir>/imports`)
   */
  importDir: string;
  outbound: OutboundConfig;
  http: HttpLimits;
}

/** Requests Sluice makes to addresses a user typed (a CSV URL, a published sheet link). */
export interface OutboundConfig {
  /** SLUICE_FETCH_TIMEOUT_MS: the whole fetch, redirects and body included. (Default: 60000) */
  timeoutMs: number;
  /** SLUICE_FETCH_MAX_BYTES: the largest body read from one URL. (Default: 209715200, 200 MiB) */
  maxBytes: number;
  /**
   * SLUICE_ALLOW_PRIVATE_URLS: `1` lets user-typed URLs reach the local network: loopback,
   * private (RFC 1918), link-local, unique-local and carrier-grade NAT addresses (a file server on
   * the LAN). Cloud metadata addresses (169.254.169.254 …) stay refused even then. (Default: off —
   * only public addresses)
   */
  allowPrivate: boolean;
}

/** Limits of the HTTP server against slow and many clients. */
export interface HttpLimits {
  /** SLUICE_MAX_CONNECTIONS: open connections at most. (Default: 4096) */
  maxConnections: number;
  /** SLUICE_HEADERS_TIMEOUT_MS: how long a request's headers may take to arrive. (Default: 10000) */
  headersTimeoutMs: number;
  /** SLUICE_REQUEST_TIMEOUT_MS: how long a whole request, body included, may take to arrive. (Default: 60000) */
  requestTimeoutMs: number;
  /** SLUICE_KEEPALIVE_TIMEOUT_MS: how long an idle kept-alive connection stays open. (Default: 5000) */
  keepAliveTimeoutMs: number;
}

export interface GoogleConfig {
  /** GOOGLE_SHEETS_API_BASE (Default: https://sheets.googleapis.com) */
  sheetsApiBase: URL;
  /** GOOGLE_OAUTH_TOKEN_URL (Default: https://oauth2.googleapis.com/token) */
  tokenUrl: URL;
  /** GOOGLE_OAUTH_AUTH_URL (Default: https://accounts.google.com/o/oauth2/v2/auth) */
  authUrl: URL;
  /** GOOGLE_OAUTH_CLIENT_ID and GOOGLE_OAUTH_CLIENT_SECRET: the OAuth client for "Connect Google account"; without them that flow is off. */
  oauthClient?: { clientId: string; clientSecret: string };
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

type Env = Record<string, string | undefined>;

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw.trim()) || Number(raw) < min || Number(raw) > max) {
    throw new ConfigError(`${name}: ${JSON.stringify(raw)} is not allowed; use a whole number from ${min} to ${max}`);
  }
  return Number(raw);
}

function flag(env: Env, name: string): boolean {
  const raw = (env[name] ?? '').trim().toLowerCase();
  if (raw === '' || raw === '0' || raw === 'false' || raw === 'no' || raw === 'off') return false;
  if (raw === '1' || raw === 'true' || raw === 'yes' || raw === 'on') return true;
  throw new ConfigError(`${name}: ${JSON.stringify(env[name])} is not allowed; use 1 (on) or 0 (off)`);
}

function httpUrl(env: Env, name: string, fallback: string): URL {
  const raw = env[name] || fallback;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(`${name}: ${JSON.stringify(raw)} is not a URL; use one such as ${fallback}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ConfigError(`${name}: ${JSON.stringify(raw)} must start with http:// or https://`);
  }
  return url;
}

function databaseUrl(raw: string): string {
  try {
    parsePostgresUrl(raw.trim());
  } catch (error) {
    throw new ConfigError(`DATABASE_URL: ${(error as Error).message}`);
  }
  return raw.trim();
}

export function parseEncryptionKey(raw: string, name = 'SLUICE_ENCRYPTION_KEY'): Buffer {
  const text = raw.trim();
  const key = /^[0-9a-fA-F]{64}$/.test(text) ? Buffer.from(text, 'hex') : Buffer.from(text, 'base64');
  if (key.length !== 32 || (!/^[0-9a-fA-F]{64}$/.test(text) && !/^[A-Za-z0-9+/_-]{43}=?$/.test(text))) {
    throw new ConfigError(
      `${name}: the value is not a 32-byte key; use 64 hex characters or 44 base64 characters (for example: openssl rand -hex 32)`,
    );
  }
  return key;
}

export function loadConfig(env: Env = process.env): Config {
  const port = integer(env, 'PORT', 3000, 0, 65535);
  const host = (env.HOST || '127.0.0.1').trim();
  if (!/^[\w.:-]+$/.test(host)) {
    throw new ConfigError(`HOST: ${JSON.stringify(env.HOST)} is not a host name or address`);
  }
  const dataDir = path.resolve(env.SLUICE_DATA_DIR || './data');
  const stripeApiBase = httpUrl(env, 'STRIPE_API_BASE', 'https://api.stripe.com');
  const publicUrl = httpUrl(env, 'SLUICE_PUBLIC_URL', `http://${host.includes(':') ? `[${host}]` : host}:${port}`)
    .toString()
    .replace(/\/$/, '');
  const config: Config = {
    port,
    host,
    dataDir,
    stripeApiBase,
    publicUrl,
    publicUrlSet: Boolean(env.SLUICE_PUBLIC_URL),
    webhookMaxBytes: integer(env, 'SLUICE_WEBHOOK_MAX_BYTES', 256 * 1024, 1024, 64 * 1024 * 1024),
    stripeRate: {
      live: integer(env, 'SLUICE_STRIPE_RATE_LIVE', 100, 1, 10_000),
      test: integer(env, 'SLUICE_STRIPE_RATE_TEST', 25, 1, 10_000),
    },
    stripeTimeoutMs: integer(env, 'SLUICE_STRIPE_TIMEOUT_MS', 30_000, 100, 600_000),
    importDir: path.resolve(env.SLUICE_IMPORT_DIR || path.join(dataDir, 'imports')),
    outbound: {
      timeoutMs: integer(env, 'SLUICE_FETCH_TIMEOUT_MS', 60_000, 100, 3_600_000),
      maxBytes: integer(env, 'SLUICE_FETCH_MAX_BYTES', 200 * 1024 * 1024, 1024, 10 * 1024 * 1024 * 1024),
      allowPrivate: flag(env, 'SLUICE_ALLOW_PRIVATE_URLS'),
    },
    http: {
      maxConnections: integer(env, 'SLUICE_MAX_CONNECTIONS', 4096, 16, 1_000_000),
      headersTimeoutMs: integer(env, 'SLUICE_HEADERS_TIMEOUT_MS', 10_000, 100, 600_000),
      requestTimeoutMs: integer(env, 'SLUICE_REQUEST_TIMEOUT_MS', 60_000, 100, 3_600_000),
      keepAliveTimeoutMs: integer(env, 'SLUICE_KEEPALIVE_TIMEOUT_MS', 5_000, 100, 600_000),
    },
    google: {
      sheetsApiBase: httpUrl(env, 'GOOGLE_SHEETS_API_BASE', 'https://sheets.googleapis.com'),
      tokenUrl: httpUrl(env, 'GOOGLE_OAUTH_TOKEN_URL', 'https://oauth2.googleapis.com/token'),
      authUrl: httpUrl(env, 'GOOGLE_OAUTH_AUTH_URL', 'https://accounts.google.com/o/oauth2/v2/auth'),
      ...(env.GOOGLE_OAUTH_CLIENT_ID &&
        env.GOOGLE_OAUTH_CLIENT_SECRET && {
          oauthClient: { clientId: env.GOOGLE_OAUTH_CLIENT_ID, clientSecret: env.GOOGLE_OAUTH_CLIENT_SECRET },
        }),
    },
  };
  if (Boolean(env.GOOGLE_OAUTH_CLIENT_ID) !== Boolean(env.GOOGLE_OAUTH_CLIENT_SECRET)) {
    throw new ConfigError(
      'GOOGLE_OAUTH_CLIENT_ID and GOOGLE_OAUTH_CLIENT_SECRET go together; set both (or neither, to turn "Connect Google account" off)',
    );
  }
  if (config.http.headersTimeoutMs > config.http.requestTimeoutMs) {
    // Node refuses the pair too (the headers are part of the request), with a less helpful message.
    throw new ConfigError(
      `SLUICE_HEADERS_TIMEOUT_MS: ${config.http.headersTimeoutMs} is more than SLUICE_REQUEST_TIMEOUT_MS (${config.http.requestTimeoutMs}); the headers are part of the request, so use at most ${config.http.requestTimeoutMs}`,
    );
  }
  if (env.DATABASE_URL) config.databaseUrl = databaseUrl(env.DATABASE_URL);
  if (env.SLUICE_ENCRYPTION_KEY) config.encryptionKey = parseEncryptionKey(env.SLUICE_ENCRYPTION_KEY);
  else if (config.databaseUrl) {
    // A generated key lives in one machine's data dir: a process elsewhere would generate another
    // and could not open the Stripe keys the first one sealed in the shared store.
    throw new ConfigError(
      'SLUICE_ENCRYPTION_KEY is required with DATABASE_URL: every process sharing the Postgres store must use the same key, and a generated key file is per machine; set the same 32-byte key everywhere (for example: openssl rand -hex 32)',
    );
  }
  return config;
}
