import type { Kysely } from 'kysely';

// One-time setup codes (engine/setup-code.ts): while no owner exists, every `sluice serve` that can
// be reached from other machines prints a code at start and keeps its hash here, so that any
// process of a Postgres installation accepts any process's code. Emptied when the owner is made.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('setup_codes')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('code_hash', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('setup_codes').execute();
}
