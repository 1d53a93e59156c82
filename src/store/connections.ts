import type { Insertable, Selectable, Updateable } from 'kysely';
import type { Db } from './db.js';
import type { ConnectionTable } from './schema.js';

export type ConnectionRecord = Selectable<ConnectionTable>;

export async function insertConnection(db: Db, c: Insertable<ConnectionTable>): Promise<void> {
  await db.insertInto('connections').values(c).execute();
}

export async function getConnection(db: Db, id: string): Promise<ConnectionRecord | undefined> {
  return db.selectFrom('connections').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findConnectionByHookToken(db: Db, token: string): Promise<ConnectionRecord | undefined> {
  return db.selectFrom('connections').selectAll().where('hook_token', '=', token).executeTakeFirst();
}

export async function listConnections(db: Db): Promise<ConnectionRecord[]> {
  return db.selectFrom('connections').selectAll().orderBy('id').execute();
}

export async function updateConnection(db: Db, id: string, patch: Updateable<ConnectionTable>): Promise<void> {
  await db.updateTable('connections').set(patch).where('id', '=', id).execute();
}

/** Deletes the connection with its runs and row ledger (foreign keys cascade). */
export async function deleteConnection(db: Db, id: string): Promise<void> {
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
