import type { Selectable } from 'kysely';
import type { Db } from './db.js';
import type { AccountTable } from './schema.js';

export type AccountRecord = Selectable<AccountTable>;

export async function insertAccount(db: Db, account: AccountRecord): Promise<void> {
  await db.insertInto('accounts').values(account).execute();
}

export async function getAccount(db: Db, id: string): Promise<AccountRecord | undefined> {
  return db.selectFrom('accounts').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function listAccounts(db: Db): Promise<AccountRecord[]> {
  return db.selectFrom('accounts').selectAll().orderBy('id').execute();
}

export async function recordAccountCheck(
  db: Db,
  id: string,
  check: { status: 'active' | 'inactive'; lastError: string | null; at: string },
): Promise<void> {
  await db
    .updateTable('accounts')
    .set({ status: check.status, last_error: check.lastError, checked_at: check.at, updated_at: check.at })
    .where('id', '=', id)
    .execute();
}

export async function countConnectionsUsingAccount(db: Db, id: string): Promise<number> {
  const r = await db
    .selectFrom('connections')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('deleted_at', 'is', null)
    .where((eb) => eb.or([eb('account_id', '=', id), eb('source_account_id', '=', id)]))
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

export async function deleteAccount(db: Db, id: string): Promise<void> {
  await db.deleteFrom('accounts').where('id', '=', id).execute();
}
