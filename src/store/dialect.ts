import { PostgresAdapter, type Kysely } from 'kysely';

export type StoreKind = 'sqlite' | 'postgres';

/**
 * Which database a Kysely instance (the store, a transaction in it, or the instance a migration
 * is given) talks to, told by its dialect's adapter. Migrations branch on it where the two must
 * differ; queries should not need to.
 */
export function dialectOf(db: Pick<Kysely<unknown>, 'getExecutor'>): StoreKind {
  return db.getExecutor().adapter instanceof PostgresAdapter ? 'postgres' : 'sqlite';
}

/**
 * The column type for a whole number that may pass 2^31 (an amount in minor units, epoch
 * milliseconds): SQLite's `integer` is 64-bit already, Postgres's is 32-bit, so there it is
 * `bigint` (read back as a JS number: see the int8 parser in db.ts).
 */
export function wideInteger(db: Pick<Kysely<unknown>, 'getExecutor'>): 'integer' | 'bigint' {
  return dialectOf(db) === 'postgres' ? 'bigint' : 'integer';
}
