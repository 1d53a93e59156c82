import type { Kysely } from 'kysely';

// The pace of each Stripe account shared by every process (engine/shared-pacer.ts): with several
// workers on one Postgres, one budget per account instead of one per process. Times are epoch
// milliseconds as numbers, since the pacer computes with them in SQL. Unused on SQLite (one
// process keeps its pacers in memory), created there too so that both stores have one schema.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('account_pace')
    .addColumn('account_id', 'text', (c) => c.primaryKey())
    .addColumn('base', 'double precision', (c) => c.notNull())
    .addColumn('last_slowdown', 'double precision', (c) => c.notNull())
    .addColumn('next_at', 'double precision', (c) => c.notNull())
    .addColumn('throttled', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('account_pace').execute();
}
