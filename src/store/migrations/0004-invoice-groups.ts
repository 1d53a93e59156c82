import type { Kysely } from 'kysely';
import { wideInteger } from '../dialect.js';

// One invoice made from many rows (stripe.create_invoice_from_rows): the invoice a group of rows
// (rows sharing an invoice key) became, with the steps it has done, so that a resumed run adds
// only the missing lines to the same draft and never makes a second invoice. Rows record the
// group their line went to; run rows record what a row did besides create (a note).
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('invoice_groups')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('connection_id', 'text', (c) => c.notNull().references('connections.id').onDelete('cascade'))
    .addColumn('group_key', 'text', (c) => c.notNull())
    .addColumn('key_version', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('progress', 'text')
    .addColumn('customer_id', 'text')
    .addColumn('customer_email', 'text')
    .addColumn('invoice_id', 'text')
    .addColumn('number', 'text')
    .addColumn('status', 'text')
    // An amount in minor units may pass 2^31 (21 million dollars in cents): bigint on Postgres,
    // whose integer is 32-bit; SQLite keeps `integer` (64-bit already), so its schema is as it was.
    .addColumn('total', wideInteger(db))
    .addColumn('currency', 'text')
    .addColumn('hosted_invoice_url', 'text')
    .addColumn('lines', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('error', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('invoice_groups_by_key').on('invoice_groups').columns(['connection_id', 'group_key']).unique().execute();
  await db.schema.alterTable('rows').addColumn('group_key', 'text').execute();
  await db.schema.alterTable('run_rows').addColumn('note', 'text').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('run_rows').dropColumn('note').execute();
  await db.schema.alterTable('rows').dropColumn('group_key').execute();
  await db.schema.dropTable('invoice_groups').execute();
}
