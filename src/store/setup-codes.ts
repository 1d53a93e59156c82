import type { Selectable } from 'kysely';
import type { Db } from './db.js';
import type { SetupCodeTable } from './schema.js';

export type SetupCodeRecord = Selectable<SetupCodeTable>;

export async function insertSetupCode(db: Db, code: SetupCodeRecord): Promise<void> {
  await db.insertInto('setup_codes').values(code).execute();
}

/** Every code that may still be used (a handful: one per process started since the last setup). */
export async function listSetupCodes(db: Db): Promise<SetupCodeRecord[]> {
  return db.selectFrom('setup_codes').selectAll().orderBy('id').execute();
}

/** Deletes one code and says whether it was still there: of two setups using it at once, one gets `true`. */
export async function deleteSetupCode(db: Db, id: string): Promise<boolean> {
  const result = await db.deleteFrom('setup_codes').where('id', '=', id).executeTakeFirst();
  return Number(result.numDeletedRows) === 1;
}

export async function deleteAllSetupCodes(db: Db): Promise<void> {
  await db.deleteFrom('setup_codes').execute();
}
