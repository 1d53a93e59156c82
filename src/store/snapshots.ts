import type { Db } from './db.js';
import { nowIso } from './ids.js';
import type { SnapshotEntry } from '../core/row-identity.js';

export interface Snapshot {
  columns: string[];
  entries: SnapshotEntry[];
}

/** The last read of a source without key column: its columns and its rows' keys and hashes, in order. */
export async function getSnapshot(db: Db, connectionId: string): Promise<Snapshot | undefined> {
  const row = await db.selectFrom('source_snapshots').selectAll().where('connection_id', '=', connectionId).executeTakeFirst();
  if (!row) return undefined;
  const tuples = JSON.parse(row.entries) as [string, string, string?][];
  return {
    columns: JSON.parse(row.columns) as string[],
    entries: tuples.map(([key, hash, cells]) => (cells === undefined ? { key, hash } : { key, hash, cells })),
  };
}

/** Saves the read just ingested; stored as [key, hash, cells] tuples, compactly, since a sheet can have 100,000 rows. */
export async function saveSnapshot(db: Db, connectionId: string, snapshot: Snapshot): Promise<void> {
  const values = {
    connection_id: connectionId,
    columns: JSON.stringify(snapshot.columns),
    entries: JSON.stringify(snapshot.entries.map((e) => (e.cells === undefined ? [e.key, e.hash] : [e.key, e.hash, e.cells]))),
    updated_at: nowIso(),
  };
  await db
    .insertInto('source_snapshots')
    .values(values)
    .onConflict((oc) =>
      oc.column('connection_id').doUpdateSet({ columns: values.columns, entries: values.entries, updated_at: values.updated_at }),
    )
    .execute();
}
