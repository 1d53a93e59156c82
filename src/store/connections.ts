import type { Insertable, Selectable, Updateable } from 'kysely';
import type { Db } from './db.js';
import { ensureQueuedRun } from './runs.js';
import type { ConnectionTable } from './schema.js';

export type ConnectionRecord = Selectable<ConnectionTable>;

export async function insertConnection(db: Db, c: Insertable<ConnectionTable>): Promise<void> {
  await db.insertInto('connections').values(c).execute();
}

// A deleted connection (deleted_at set) is a tombstone waiting for its purge (purge.ts): every
// query here leaves it out, so that for the API, the scheduler, hook posts and runs it is gone.

export async function getConnection(db: Db, id: string): Promise<ConnectionRecord | undefined> {
  return db.selectFrom('connections').selectAll().where('id', '=', id).where('deleted_at', 'is', null).executeTakeFirst();
}

export async function findConnectionByHookToken(db: Db, token: string): Promise<ConnectionRecord | undefined> {
  return db.selectFrom('connections').selectAll().where('hook_token', '=', token).where('deleted_at', 'is', null).executeTakeFirst();
}

export async function listConnections(db: Db): Promise<ConnectionRecord[]> {
  return db.selectFrom('connections').selectAll().where('deleted_at', 'is', null).orderBy('id').execute();
}

export async function updateConnection(db: Db, id: string, patch: Updateable<ConnectionTable>): Promise<void> {
  await db.updateTable('connections').set(patch).where('id', '=', id).where('deleted_at', 'is', null).execute();
}

/**
 * Deletes a connection that was just created, with the baseline run its creation recorded, at once
 * (its baseline could not be read, so it has no rows). Any other connection is deleted with
 * tombstoneConnection and purged in batches (purge.ts).
 */
export async function deleteNewConnection(db: Db, id: string): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx
      .deleteFrom('run_rows')
      .where('run_id', 'in', trx.selectFrom('runs').select('id').where('connection_id', '=', id))
      .execute();
    await trx.deleteFrom('rows').where('connection_id', '=', id).execute();
    await trx.deleteFrom('runs').where('connection_id', '=', id).execute();
    await trx.deleteFrom('connections').where('id', '=', id).execute();
  });
}

/** Enabled connections whose next scheduled run is due at `now`, earliest first (then by id, so the order is the same on every read). */
export async function dueConnections(db: Db, now: string, limit: number) {
  return db
    .selectFrom('connections')
    .select(['id', 'schedule', 'next_run_at'])
    .where('enabled', '=', 1)
    .where('deleted_at', 'is', null)
    .where('next_run_at', '<=', now)
    .orderBy('next_run_at')
    .orderBy('id')
    .limit(limit)
    .execute();
}

/**
 * Claims due slots and queues their runs, in one transaction. Each claim is a conditional update
 * from the `next_run_at` that was read to the next slot: however many schedulers share the
 * database, one wins each slot, and a slot is never claimed without its run being queued.
 * Returns how many slots this caller won.
 *
 * The claims are made in id order whatever order they come in: on Postgres each update locks its
 * connection until the transaction ends, and two schedulers locking the same connections in
 * different orders would deadlock (one of them aborted); in one order, the second waits, then
 * finds the slot moved on and skips it.
 */
export async function claimSlots(db: Db, claims: readonly { id: string; due: string; next: string | null }[]): Promise<number> {
  if (claims.length === 0) return 0;
  return db.transaction().execute(async (trx) => {
    let won = 0;
    for (const c of [...claims].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))) {
      const r = await trx
        .updateTable('connections')
        .set({ next_run_at: c.next })
        .where('id', '=', c.id)
        .where('enabled', '=', 1)
        .where('deleted_at', 'is', null)
        .where('next_run_at', '=', c.due)
        .executeTakeFirst();
      if (Number(r.numUpdatedRows) !== 1) continue;
      await ensureQueuedRun(trx, c.id, 'schedule', c.due);
      won++;
    }
    return won;
  });
}

/** Enabled connections scheduled to run after `connectionId`. */
export async function chainFollowers(db: Db, connectionId: string) {
  return db
    .selectFrom('connections')
    .select(['id', 'schedule'])
    .where('after_connection_id', '=', connectionId)
    .where('enabled', '=', 1)
    .where('deleted_at', 'is', null)
    .execute();
}
