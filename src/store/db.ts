import fs from 'node:fs';
import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, Migrator, SqliteDialect, type Migration, type MigrationProvider } from 'kysely';
import type { Database } from './schema.js';
import * as initial from './migrations/0001-initial.js';
import * as usersSessions from './migrations/0002-users-sessions.js';
import * as ambiguousRows from './migrations/0003-ambiguous-rows.js';
import * as invoiceGroups from './migrations/0004-invoice-groups.js';

export type Db = Kysely<Database>;

/** Migrations are listed here, not discovered on disk, so they work the same from src/ and dist/. */
const migrations: Record<string, Migration> = {
  '0001-initial': initial,
  '0002-users-sessions': usersSessions,
  '0003-ambiguous-rows': ambiguousRows,
  '0004-invoice-groups': invoiceGroups,
};

const provider: MigrationProvider = { getMigrations: async () => migrations };

export interface OpenOptions {
  /** A directory for sluice.db, or ':memory:' for a throwaway database (tests). */
  dataDir: string;
}

/** Opens the SQLite store (creating the data directory if missing) and brings its schema up to date. */
export async function openDatabase({ dataDir }: OpenOptions): Promise<Db> {
  let file = ':memory:';
  if (dataDir !== ':memory:') {
    fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    file = path.join(dataDir, 'sluice.db');
  }
  const sqlite = new SqliteDatabase(file);
  // WAL lets readers (the API, the CLI) work while a run writes; FULL sync because an accepted
  // webhook row must survive a power cut, not only a process crash (invariant 2, nothing lost).
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = FULL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 10000');
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
  await migrate(db);
  return db;
}

export async function migrate(db: Db): Promise<void> {
  const { error, results } = await new Migrator({ db, provider }).migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (error || failed) {
    const reason = error instanceof Error ? error.message : String(error ?? '');
    throw new Error(`database migration ${failed?.migrationName ?? ''} failed: ${reason}`);
  }
}
