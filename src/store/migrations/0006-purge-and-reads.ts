import type { Kysely } from 'kysely';

// Long work in short pieces (issue 13, points 5 and 6).
//
// - connections.deleted_at: a deleted connection is a tombstone at once (hidden everywhere, its
//   hook token cleared, never run again) and its rows, runs and groups are purged afterwards in
//   small batches (store/purge.ts); purge_until is the lease of the process purging it, so that
//   with several processes on one Postgres one purges a connection at a time.
// - rows.read_id: the run whose complete read of a pull source last held the row (or the retry run
//   that replays it). A run sends only the pending rows stamped with its own id, so rows that an
//   earlier read left pending and the source no longer has are never sent.
// - rows_by_read serves that claim without walking past millions of stale pending rows;
//   rows_by_connection serves a connection's rows page (GET …/rows, by id), which otherwise sorted
//   every row of the connection (350 ms at 400,000 rows on a loaded machine);
//   run_rows_by_row serves the foreign key from run_rows to rows: deleting a row otherwise scans
//   every run row in the store for children (SQLite and Postgres alike).
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('connections').addColumn('deleted_at', 'text').execute();
  await db.schema.alterTable('connections').addColumn('purge_until', 'text').execute();
  await db.schema.alterTable('rows').addColumn('read_id', 'text').execute();
  await db.schema.createIndex('rows_by_read').on('rows').columns(['connection_id', 'status', 'read_id', 'id']).execute();
  await db.schema.createIndex('rows_by_connection').on('rows').columns(['connection_id', 'id']).execute();
  await db.schema.createIndex('run_rows_by_row').on('run_rows').column('row_id').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('run_rows_by_row').execute();
  await db.schema.dropIndex('rows_by_connection').execute();
  await db.schema.dropIndex('rows_by_read').execute();
  await db.schema.alterTable('rows').dropColumn('read_id').execute();
  await db.schema.alterTable('connections').dropColumn('purge_until').execute();
  await db.schema.alterTable('connections').dropColumn('deleted_at').execute();
}
