import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import type { DestinationStream } from 'pino';
import Stripe from 'stripe';
import { loadConfig } from '../../src/config.js';
import { startStripeEmulator, type StripeEmulator } from '../../src/emulator/stripe/index.js';
import { startSluice, type Sluice } from '../../src/server/start.js';
import { createApiKey } from '../../src/store/api-keys.js';
import { openStore, type Db } from '../../src/store/db.js';
import { freshTestStoreEnv } from './stores.js';

export const TEST_KEY = 'sk_test_51SluiceTestKey000000000000abcd';
export const LIVE_KEY = 'sk_live_51SluiceLiveKey000000000000wxyz';

export interface Harness {
  emulator: StripeEmulator;
  sluice: Sluice;
  dataDir: string;
  /** The import folder (`<dataDir>/imports` unless SLUICE_IMPORT_DIR is given): CSV paths are read from it alone. */
  importDir: string;
  /** Writes a file into the import folder (subfolders made as needed) and returns its name there, for `source.path`. */
  importFile(name: string, content: string | Uint8Array): string;
  /**
   * What puts another process on the same store as this Sluice: DATABASE_URL and
   * SLUICE_ENCRYPTION_KEY on Postgres (SLUICE_TEST_STORE=postgres), nothing on SQLite (the data dir
   * is the store). Give it to a CLI or child process with the data dir.
   */
  storeEnv: Record<string, string>;
  /** Another handle on this Sluice's store (as a second process has); the caller destroys it. */
  openStore(): Promise<Db>;
  apiKey: string;
  api<T = Record<string, unknown>>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }>;
  /** Adds a Stripe account with the given key and returns its id. */
  account(secretKey?: string): Promise<string>;
  /** Creates a connection; fails the test on a non-201 answer. */
  connection(body: Record<string, unknown>): Promise<{ id: string; hookUrl?: string }>;
  /** Forces a run and waits for it to end (Default: 20 s at most). */
  run(connectionId: string, timeoutMs?: number): Promise<RunBody>;
  /** Replays a run's failed rows in a new run and waits for that run to end. */
  retryFailed(runId: string, timeoutMs?: number): Promise<RunBody>;
  waitForRun(runId: string, timeoutMs?: number): Promise<RunBody>;
  /** The official Stripe SDK pointed at the emulator (no retries), to set up objects as a user would. */
  stripe(secretKey?: string): Stripe;
  close(): Promise<void>;
}

export interface RunBody {
  id: string;
  connectionId: string;
  status: string;
  error: string | null;
  warnings: string[];
  counts: { sent: number; failed: number; skipped: number; pending: number };
  rows: { rowKey: string; status: string; stripeId: string | null; error: string | null }[];
}

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/**
 * `sluice <args>` on a data dir, as a user runs it, with `input` on its stdin (otherwise stdin is
 * closed at once). Rejects when it exits with an error, the error carrying its stdout and stderr.
 */
export function runCli(
  o: { dataDir: string; env?: Record<string, string>; input?: string },
  ...args: string[]
): Promise<{ stdout: string; stderr: string }> {
  const env: NodeJS.ProcessEnv = { ...process.env, SLUICE_DATA_DIR: o.dataDir, ...o.env };
  delete env.LOG_LEVEL;
  delete env.PORT;
  return new Promise((resolve, reject) => {
    const child = execFile(
      process.execPath,
      ['--import', 'tsx', 'src/cli/main.ts', ...args],
      { cwd: root, env },
      (error, stdout, stderr) => (error ? reject(Object.assign(error, { stdout, stderr })) : resolve({ stdout, stderr })),
    );
    child.stdin?.end(o.input ?? '');
  });
}

/** `sluice <args>` on the given data dir. */
export const cli = (dataDir: string, ...args: string[]) => runCli({ dataDir }, ...args);

export function tempDir(prefix = 'sluice-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/**
 * A Sluice on a fresh data dir (or on `dataDir`, which the caller then owns and removes) and a
 * random port, against its own Stripe emulator. With SLUICE_TEST_STORE=postgres its store is a
 * fresh schema on the test Postgres (test/support/stores.ts), dropped on close.
 */
export async function startHarness(
  o: {
    emulator?: Parameters<typeof startStripeEmulator>[0];
    env?: Record<string, string>;
    dataDir?: string;
    /** Where Sluice's log lines go; without it nothing is logged. */
    logTo?: DestinationStream;
    /** Sluice's clock (Engine.now); give the emulator the same one (`emulator.now`) to move both. */
    now?: () => Date;
  } = {},
): Promise<Harness> {
  const emulator = await startStripeEmulator({ port: 0, ...o.emulator });
  const dataDir = o.dataDir ?? tempDir();
  const store = await freshTestStoreEnv();
  const storeEnv =
    store.env.SLUICE_ENCRYPTION_KEY && o.env?.SLUICE_ENCRYPTION_KEY
      ? { ...store.env, SLUICE_ENCRYPTION_KEY: o.env.SLUICE_ENCRYPTION_KEY }
      : store.env;
  const config = loadConfig({ PORT: '0', SLUICE_DATA_DIR: dataDir, STRIPE_API_BASE: emulator.url, ...storeEnv, ...o.env });
  const sluice = await startSluice(config, {
    log: o.logTo !== undefined || process.env.SLUICE_TEST_LOG === '1',
    ...(o.logTo && { logTo: o.logTo }),
    worker: { pollMs: 100, leaseMs: 5000 },
    ...(o.now && { now: o.now }),
  });
  const { key: apiKey } = await createApiKey(sluice.engine.db, 'test');

  const api: Harness['api'] = async (method, p, body) => {
    const res = await fetch(`${sluice.url}${p}`, {
      method,
      headers: { authorization: `Bearer ${apiKey}`, ...(body !== undefined && { 'content-type': 'application/json' }) },
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : {}) as never };
  };

  const waitForRun = async (runId: string, timeoutMs = 20_000): Promise<RunBody> => {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const { body } = await api<RunBody & { finishedAt: string | null }>('GET', `/api/runs/${runId}`);
      if (body.finishedAt) return body;
      if (Date.now() > until) throw new Error(`run ${runId} did not end in ${timeoutMs} ms: ${JSON.stringify(body)}`);
      await sleep(50);
    }
  };

  return {
    emulator,
    sluice,
    dataDir,
    importDir: config.importDir,
    importFile: (name, content) => writeImportFile(config.importDir, name, content),
    storeEnv,
    openStore: () => openStore(config),
    apiKey,
    api,
    async account(secretKey = TEST_KEY) {
      const { status, body } = await api<{ id: string }>('POST', '/api/accounts', { name: 'Test', secretKey });
      if (status !== 201) throw new Error(`account: ${status} ${JSON.stringify(body)}`);
      return body.id;
    },
    async connection(body) {
      const res = await api<{ id: string; hookUrl?: string }>('POST', '/api/connections', body);
      if (res.status !== 201) throw new Error(`connection: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body;
    },
    async run(connectionId, timeoutMs) {
      const { status, body } = await api<{ runId: string }>('POST', `/api/connections/${connectionId}/run`);
      if (status !== 202) throw new Error(`run: ${status} ${JSON.stringify(body)}`);
      return waitForRun(body.runId, timeoutMs);
    },
    async retryFailed(runId, timeoutMs) {
      const { status, body } = await api<{ runId: string }>('POST', `/api/runs/${runId}/retry-failed`);
      if (status !== 202) throw new Error(`retry-failed: ${status} ${JSON.stringify(body)}`);
      return waitForRun(body.runId, timeoutMs);
    },
    waitForRun,
    stripe: (secretKey = TEST_KEY) =>
      new Stripe(secretKey, { host: '127.0.0.1', port: emulator.port, protocol: 'http', maxNetworkRetries: 0, telemetry: false }),
    async close() {
      try {
        await sluice.close();
        await emulator.close();
      } finally {
        await store.drop();
        if (!o.dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
      }
    },
  };
}

/** Writes a file into an import folder (a child process's `<dataDir>/imports`) and returns its name there. */
export function writeImportFile(importDir: string, name: string, content: string | Uint8Array): string {
  const file = path.join(importDir, name);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, content);
  return name;
}

/** The CSV text of rows given as objects (header from the first row's keys). */
export function csv(rows: Record<string, string>[]): string {
  const header = Object.keys(rows[0] ?? {});
  const cell = (v: string) => (/[",\n\r]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  return [header.map(cell).join(','), ...rows.map((r) => header.map((h) => cell(r[h] ?? '')).join(','))].join('\r\n') + '\r\n';
}

/** Polls `probe` until it returns a value other than undefined; fails with `what` after `timeoutMs`. */
export async function waitFor<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, timeoutMs = 5000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(25);
  }
}

/** The form body of every request the emulator received for `method path`, oldest first. */
export function bodiesOf(emulator: StripeEmulator, method: string, p: string): string[] {
  return emulator
    .requests()
    .filter((r) => r.method === method && r.path === p)
    .map((r) => r.body);
}
