import type { Selectable } from 'kysely';
import type { Db } from './db.js';
import type { UserTable } from './schema.js';
import { isUniqueViolation } from './unique-violation.js';

export type UserRecord = Selectable<UserTable>;

export async function hasAnyUser(db: Db): Promise<boolean> {
  return (await db.selectFrom('users').select('id').limit(1).executeTakeFirst()) !== undefined;
}

/**
 * Inserts the owner unless a user exists already, and says whether it did. One statement
 * (`INSERT … SELECT … WHERE NOT EXISTS`): SQLite takes the write lock before the statement reads,
 * so the check and the insert are atomic even across processes — a check-then-insert transaction
 * would instead fail with SQLITE_BUSY when two processes race. On Postgres two such statements can
 * both see no user; the `users_one_owner` index then makes the second wait for the first and
 * refuse its row, which is answered as "a user exists" — the index is the arbiter on both.
 */
export async function insertOwnerIfNone(db: Db, owner: UserRecord): Promise<boolean> {
  try {
    const result = await db
      .insertInto('users')
      .columns(['id', 'email', 'role', 'password_hash', 'created_at'])
      .expression(
        db
          .selectNoFrom((eb) => [
            eb.val(owner.id).as('id'),
            eb.val(owner.email).as('email'),
            eb.val(owner.role).as('role'),
            eb.val(owner.password_hash).as('password_hash'),
            eb.val(owner.created_at).as('created_at'),
          ])
          .where((eb) => eb.not(eb.exists(db.selectFrom('users').select('id')))),
      )
      .executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0) === 1;
  } catch (error) {
    if (isUniqueViolation(error)) return false;
    throw error;
  }
}

/** The user with this email (already normalized: trimmed, lower-cased). */
export async function findUserByEmail(db: Db, email: string): Promise<UserRecord | undefined> {
  return db.selectFrom('users').selectAll().where('email', '=', email).executeTakeFirst();
}
