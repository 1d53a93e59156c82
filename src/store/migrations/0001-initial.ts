import { sql, type Kysely } from 'kysely';

// Migrations take Kysely<unknown>: they must not depend on the current schema types, which move on.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('api_keys')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('key_hash', 'text', (c) => c.notNull().unique())
    .addColumn('key_prefix', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('last_used_at', 'text')
    .execute();

  await db.schema
    .createTable('accounts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('mode', 'text')
    .addColumn('email', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('key_hint', 'text', (c) => c.notNull())
    .addColumn('secret_sealed', 'text', (c) => c.notNull())
    .addColumn('checked_at', 'text')
    .addColumn('last_error', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('connections')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('source_type', 'text', (c) => c.notNull())
    .addColumn('source_settings', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id'))
    .addColumn('source_account_id', 'text', (c) => c.references('accounts.id'))
    .addColumn('mapping', 'text', (c) => c.notNull())
    .addColumn('start_from', 'text', (c) => c.notNull())
    .addColumn('enabled', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('schedule', 'text')
    .addColumn('next_run_at', 'text')
    .addColumn('after_connection_id', 'text')
    .addColumn('hook_token', 'text', (c) => c.unique())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema.createIndex('connections_due').on('connections').columns(['enabled', 'next_run_at']).execute();
  await db.schema.createIndex('connections_after').on('connections').column('after_connection_id').execute();

  await db.schema
    .createTable('runs')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('connection_id', 'text', (c) => c.notNull().references('connections.id').onDelete('cascade'))
    .addColumn('trigger', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('error', 'text')
    .addColumn('warnings', 'text')
    .addColumn('sent', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('failed', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('skipped', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('pending', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('scheduled_for', 'text')
    .addColumn('started_at', 'text')
    .addColumn('finished_at', 'text')
    .addColumn('owner', 'text')
    .addColumn('lease_until', 'text')
    .execute();
  await db.schema.createIndex('runs_by_connection').on('runs').columns(['connection_id', 'created_at']).execute();
  await db.schema.createIndex('runs_by_status').on('runs').columns(['status', 'created_at']).execute();
  // The database itself guarantees that one connection never has two runs running at once,
  // whatever the number of processes: claiming a second one fails on this index.
  await db.schema
    .createIndex('runs_one_running_per_connection')
    .on('runs')
    .column('connection_id')
    .unique()
    .where(sql.ref('status'), '=', 'running')
    .execute();

  await db.schema
    .createTable('rows')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('connection_id', 'text', (c) => c.notNull().references('connections.id').onDelete('cascade'))
    .addColumn('row_key', 'text', (c) => c.notNull())
    .addColumn('data', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('stripe_id', 'text')
    .addColumn('error', 'text')
    .addColumn('key_version', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('progress', 'text')
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('line', 'integer')
    .addColumn('last_run_id', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('sent_at', 'text')
    .addColumn('write_back', 'text')
    .addColumn('write_back_status', 'text')
    .addColumn('write_back_error', 'text')
    .addUniqueConstraint('rows_connection_row_key', ['connection_id', 'row_key'])
    .execute();
  await db.schema.createIndex('rows_by_status').on('rows').columns(['connection_id', 'status', 'id']).execute();
  await db.schema.createIndex('rows_by_write_back').on('rows').columns(['connection_id', 'write_back_status']).execute();

  await db.schema
    .createTable('source_snapshots')
    .addColumn('connection_id', 'text', (c) => c.primaryKey().references('connections.id').onDelete('cascade'))
    .addColumn('columns', 'text', (c) => c.notNull())
    .addColumn('entries', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('run_rows')
    .addColumn('run_id', 'text', (c) => c.notNull().references('runs.id').onDelete('cascade'))
    .addColumn('row_id', 'text', (c) => c.notNull().references('rows.id').onDelete('cascade'))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('stripe_id', 'text')
    .addColumn('error', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('run_rows_pk', ['run_id', 'row_id'])
    .execute();
  await db.schema.createIndex('run_rows_by_status').on('run_rows').columns(['run_id', 'status']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['run_rows', 'source_snapshots', 'rows', 'runs', 'connections', 'accounts', 'api_keys']) {
    await db.schema.dropTable(table).execute();
  }
}
