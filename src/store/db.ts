import fs from 'node:fs';
import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, Migrator, SqliteDialect, sql, type Migration, type MigrationProvider } from 'kysely';
import pg from 'pg';
import { dialectOf, type StoreKind } from './dialect.js';
import { StorePostgresDialect } from './postgres-store-dialect.js';
import { maskPassword, parsePostgresUrl } from './postgres-url.js';
import type { Database } from './schema.js';
import * as initial from './migrations/0001-initial.js';
import * as usersSessions from './migrations/0002-users-sessions.js';
import * as ambiguousRows from './migrations/0003-ambiguous-rows.js';
import * as invoiceGroups from './migrations/0004-invoice-groups.js';
import * as accountPace from './migrations/0005-account-pace.js';
import * as purgeAndReads from './migrations/0006-purge-and-reads.js';
import * as secretsAtRest from './migrations/0007-secrets-at-rest.js';
import * as setupCodes from './migrations/0008-setup-codes.js';

export type Db = Kysely<Database>;
export type { StoreKind };

/** Migrations are listed here, not discovered on disk, so they work the same from src/ and dist/. */
const migrations: Record<string, Migration> = {
  '0001-initial': initial,
  '0002-users-sessions': usersSessions,
  '0003-ambiguous-rows': ambiguousRows,
  '0004-invoice-groups': invoiceGroups,
  '0005-account-pace': accountPace,
  '0006-purge-and-reads': purgeAndReads,
  '0007-secrets-at-rest': secretsAtRest,
  '0008-setup-codes': setupCodes,
};

const provider: MigrationProvider = { getMigrations: async () => migrations };

export interface OpenOptions {
  /** A directory for sluice.db, or ':memory:' for a throwaway database (tests). Unused with databaseUrl. */
  dataDir: string;
  /**
   * DATABASE_URL: a postgres:// or postgresql:// URL puts the store on Postgres, optionally in
   * `?schema=<name>` (see postgres-url.ts). (Default: SQLite in dataDir)
   */
  databaseUrl?: string;
}

const kinds = new WeakMap<Db, StoreKind>();

/**
 * Opens the store — SQLite in dataDir, or Postgres when databaseUrl is given — and brings its
 * schema up to date. Several processes may open one Postgres store at once: migrations are
 * serialized by an advisory lock (see migrate).
 */
export async function openStore(o: OpenOptions): Promise<Db> {
  return o.databaseUrl ? openPostgres(o.databaseUrl) : openSqlite(o.dataDir);
}

/** Opens the store as openStore does (SQLite unless databaseUrl is given). */
export async function openDatabase(o: OpenOptions): Promise<Db> {
  return openStore(o);
}

/** Which database the store is on. */
export function storeKind(db: Db): StoreKind {
  return kinds.get(db) ?? dialectOf(db);
}

async function openSqlite(dataDir: string): Promise<Db> {
  let file = ':memory:';
  if (dataDir !== ':memory:') {
    // A folder Sluice makes is its owner's only (umask can take bits away, never add them); a
    // folder the operator made keeps the mode they gave it (a backup group may need to list it):
    // the files in it are private either way.
    fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    file = path.join(dataDir, 'sluice.db');
    makeDatabaseFilesPrivate(file);
  }
  const sqlite = new SqliteDatabase(file);
  // WAL lets readers (the API, the CLI) work while a run writes; FULL sync because an accepted
  // webhook row must survive a power cut, not only a process crash (invariant 2, nothing lost).
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = FULL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 10000');
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
  kinds.set(db, 'sqlite');
  await migrate(db);
  return db;
}

/** Read and write for the owner only: sluice.db holds the sealed secrets and every row's data. */
const PRIVATE = 0o600;

/**
 * sluice.db, sluice.db-wal and sluice.db-shm readable by the process's user only, whatever the
 * folder's mode and the umask. The main file is made 0600 before SQLite opens it (SQLite would
 * make it 0644 less the umask); SQLite gives the -wal and -shm files it creates the main file's
 * mode (unix VFS: robustFchmod to the database's permissions), which test/security/secrets-at-rest
 * checks under umask 0. Files an older Sluice left readable by others are tightened here, at start.
 */
function makeDatabaseFilesPrivate(file: string): void {
  // O_CREAT without O_TRUNC: an existing database is left as it is. The mode applies only when the
  // file is new, and the umask may only have removed bits; chmod below settles it either way.
  fs.closeSync(fs.openSync(file, 'a', PRIVATE));
  for (const f of [file, `${file}-wal`, `${file}-shm`]) {
    try {
      if ((fs.statSync(f).mode & 0o777) !== PRIVATE) fs.chmodSync(f, PRIVATE);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') continue;
      // Another user's file (chmod needs its owner): Sluice still runs, but says so.
      process.emitWarning(`${f} could not be made readable by its owner only (chmod 600: ${code ?? String(error)}); do it by hand`);
    }
  }
}

/**
 * Postgres's bigint (count(*), and `bigint` columns: see dialect.ts wideInteger) as a JS number,
 * as SQLite gives it, instead of pg's default string. A value beyond 2^53 would silently lose
 * digits as a number, so it is refused instead; no column of Sluice's comes near it.
 */
function parseInt8(text: string): number {
  const n = Number(text);
  if (!Number.isSafeInteger(n)) throw new Error(`the store returned the whole number ${text}, larger than JavaScript holds exactly`);
  return n;
}

const getTypeParser = ((oid: number, format?: 'text' | 'binary') =>
  oid === pg.types.builtins.INT8 && format !== 'binary' ? parseInt8 : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser;

async function openPostgres(databaseUrl: string): Promise<Db> {
  const target = parsePostgresUrl(databaseUrl);
  const pool = new pg.Pool({
    connectionString: target.connectionString,
    // Per pool, not pg.types.setTypeParser: nothing else in the process (graphile-worker) is changed.
    types: { getTypeParser },
    // Give up on a connection (an unreachable host, an exhausted pool) after a while instead of
    // waiting forever; a busy SQLite store waits about as long (busy_timeout).
    connectionTimeoutMillis: 30_000,
  });
  // An idle pooled connection that breaks (the server restarted) is dropped by the pool, and the
  // next query opens a new one; without a listener the 'error' event would end the process.
  pool.on('error', () => {});
  const db = new Kysely<Database>({ dialect: new StorePostgresDialect({ pool }) });
  kinds.set(db, 'postgres');
  try {
    await migrate(db, target.schema);
  } catch (error) {
    await db.destroy();
    throw new Error(`the Postgres store at ${maskPassword(databaseUrl)} could not be opened: ${describe(error)}`, { cause: error });
  }
  return db;
}

/** An error's message; a refused connection to a name with several addresses is an AggregateError without one. */
function describe(error: unknown): string {
  if (error instanceof AggregateError && !error.message) return error.errors.map(describe).join('; ');
  if (error instanceof Error) return error.message || String((error as { code?: unknown }).code ?? error.name);
  return String(error);
}

/**
 * Brings the schema up to date. On Postgres, processes starting at once against one database take
 * turns under a session advisory lock keyed by the schema: `create schema`, the creation of
 * Kysely's migration tables and the migrations never race (Kysely's own lock covers only the
 * last). Kysely's migration tables are looked up in that schema only (by default Kysely finds them
 * in any schema of the database, and would take another store's for this one's).
 */
export async function migrate(db: Db, schema?: string): Promise<void> {
  if (storeKind(db) === 'sqlite') return runMigrator(db);
  await db.connection().execute(async (conn) => {
    const name = schema ?? (await sql<{ name: string | null }>`select current_schema() as name`.execute(conn)).rows[0]?.name;
    if (!name) throw new Error('the search_path names no schema that exists; create it, or give one with ?schema=<name>');
    const key = `sluice:migrate:${name}`;
    await sql`select pg_advisory_lock(hashtext(${key}))`.execute(conn);
    try {
      if (schema) await sql`create schema if not exists ${sql.id(schema)}`.execute(conn);
      await runMigrator(conn, name);
    } finally {
      await sql`select pg_advisory_unlock(hashtext(${key}))`.execute(conn);
    }
  });
}

async function runMigrator(db: Db, migrationTableSchema?: string): Promise<void> {
  const migrator = new Migrator({ db, provider, ...(migrationTableSchema && { migrationTableSchema }) });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (error || failed) {
    const reason = error instanceof Error ? describe(error) : String(error ?? '');
    throw new Error(`database migration ${failed?.migrationName ?? ''} failed: ${reason}`);
  }
}
