import type { Kysely } from 'kysely';

// When a row's create first stayed ambiguous with its idempotency key kept (RowTable.ambiguous_since):
// Stripe forgets keys after 24 hours, so a replay after that must look the object up before it
// sends. Null for every row that exists now: none of them has such a time recorded.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('rows').addColumn('ambiguous_since', 'text').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('rows').dropColumn('ambiguous_since').execute();
}
