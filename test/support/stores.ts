import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { openStore, type Db, type StoreKind } from '../../src/store/db.js';
import { maskPassword } from '../../src/store/postgres-url.js';

/**
 * The Postgres that store tests use: SLUICE_TEST_DATABASE_URL. (Default: postgres://postgres@127.0.0.1:5432/test)
 * Each test store is a fresh schema in it, dropped when the test closes the store.
 */
export const TEST_DATABASE_URL = process.env.SLUICE_TEST_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test';

/** The key Sluice gets in tests on Postgres, where SLUICE_ENCRYPTION_KEY is required. */
export const TEST_ENCRYPTION_KEY = '5eed'.repeat(16);

/** Which store end-to-end tests (startHarness) put Sluice on: SLUICE_TEST_STORE. (Default: sqlite) */
export function testStoreKind(): StoreKind {
  const kind = process.env.SLUICE_TEST_STORE || 'sqlite';
  if (kind !== 'sqlite' && kind !== 'postgres') {
    throw new Error(`SLUICE_TEST_STORE: ${JSON.stringify(kind)} is not allowed; use sqlite or postgres (or leave it unset for sqlite)`);
  }
  return kind;
}

async function withClient<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL, connectionTimeoutMillis: 5000 });
  try {
    await client.connect();
  } catch (error) {
    const reason = error instanceof AggregateError ? error.errors.map((e: Error) => e.message).join('; ') : (error as Error).message;
    // Never skipped: CI has Postgres, so a missing one is a failure that says what to do.
    throw new Error(
      `the Postgres store tests need a Postgres at ${maskPassword(TEST_DATABASE_URL)} (set SLUICE_TEST_DATABASE_URL to another): ${reason || String(error)}`,
    );
  }
  client.on('error', () => {});
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/**
 * A new, empty schema on the test Postgres and the DATABASE_URL that puts Sluice's store in it
 * (`?schema=`); `drop()` removes it with everything in it, and the schemas named after it
 * (`<schema>_jobs`, graphile-worker's: queue/postgres-jobs.ts).
 */
export async function freshPostgresUrl(): Promise<{ url: string; schema: string; drop(): Promise<void> }> {
  const schema = `sluice_test_${process.pid}_${crypto.randomBytes(5).toString('hex')}`;
  await withClient((c) => c.query(`create schema ${schema}`));
  const url = new URL(TEST_DATABASE_URL);
  url.searchParams.set('schema', schema);
  let dropped = false;
  return {
    url: url.toString(),
    schema,
    async drop() {
      if (dropped) return;
      dropped = true;
      await withClient(async (c) => {
        const { rows } = await c.query<{ name: string }>(
          `select nspname as name from pg_namespace where nspname = $1 or starts_with(nspname, $1 || '_')`,
          [schema],
        );
        if (rows.length === 0) return;
        // A connection left open in a transaction would make the drop wait forever; fail instead.
        await c.query(`set lock_timeout = '15s'`);
        await c.query(`drop schema if exists ${rows.map((r) => r.name).join(', ')} cascade`);
      });
    },
  };
}

export interface TestStore {
  kind: StoreKind;
  /** The store, migrated. */
  db: Db;
  /** Another handle on the same store (a second process would have one): it runs the migrations again. Closed by close(). */
  another(): Promise<Db>;
  /** Closes every handle and removes the store (the temp dir, the schema). */
  close(): Promise<void>;
}

/** A fresh store of this kind: SQLite in a temp dir, or Postgres in a fresh schema. */
export async function openTestStore(kind: StoreKind): Promise<TestStore> {
  let options: { dataDir: string; databaseUrl?: string };
  let remove: () => Promise<void>;
  if (kind === 'sqlite') {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-store-'));
    options = { dataDir };
    remove = async () => fs.rmSync(dataDir, { recursive: true, force: true });
  } else {
    const fresh = await freshPostgresUrl();
    options = { dataDir: path.join(os.tmpdir(), 'sluice-unused'), databaseUrl: fresh.url };
    remove = fresh.drop;
  }
  const handles: Db[] = [];
  const open = async () => {
    const db = await openStore(options);
    handles.push(db);
    return db;
  };
  let db: Db;
  try {
    db = await open();
  } catch (error) {
    await remove();
    throw error;
  }
  return {
    kind,
    db,
    another: open,
    async close() {
      for (const h of handles.splice(0)) await h.destroy();
      await remove();
    },
  };
}

/**
 * Declares tests once per store: `fn` is called for SQLite, then for Postgres, with the kind and a
 * function that opens a fresh store of that kind. Postgres is never skipped: when it cannot be
 * reached, each of its tests fails saying so.
 */
export function forEachStore(fn: (kind: StoreKind, open: () => Promise<TestStore>) => void): void {
  for (const kind of ['sqlite', 'postgres'] as const) fn(kind, () => openTestStore(kind));
}

/**
 * For tests that start Sluice processes themselves (child processes, the CLI) rather than through
 * startHarness: the environment that puts them on the store SLUICE_TEST_STORE names — nothing for
 * SQLite (SLUICE_DATA_DIR is the store), DATABASE_URL of a fresh schema and SLUICE_ENCRYPTION_KEY
 * for Postgres — and `drop()` for the end of the test.
 */
export async function freshTestStoreEnv(): Promise<{ env: Record<string, string>; drop(): Promise<void> }> {
  if (testStoreKind() === 'sqlite') return { env: {}, drop: async () => {} };
  const fresh = await freshPostgresDatabase();
  return { env: { DATABASE_URL: fresh.url, SLUICE_ENCRYPTION_KEY: TEST_ENCRYPTION_KEY }, drop: fresh.drop };
}

/**
 * A new, empty database on the test Postgres, for a Sluice that runs jobs: graphile-worker tells
 * every worker of a database, whatever its schema, when its own schema is installed — and they
 * stop, as they must when a newer version migrates their tables — so Sluices of tests running at
 * the same time each get a database of their own. `drop()` removes it, ending its connections.
 */
export async function freshPostgresDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `sluice_test_${process.pid}_${crypto.randomBytes(5).toString('hex')}`;
  await withClient((c) => c.query(`create database ${name}`));
  const url = new URL(TEST_DATABASE_URL);
  url.pathname = `/${name}`;
  let dropped = false;
  return {
    url: url.toString(),
    async drop() {
      if (dropped) return;
      dropped = true;
      await withClient((c) => c.query(`drop database if exists ${name} with (force)`));
    },
  };
}
