import crypto from 'node:crypto';
import type { Db } from './db.js';
import { newId, nowIso } from './ids.js';

/** API keys are random 32-byte secrets; only their sha256 is stored, so a leaked database leaks no key. */
const hash = (key: string) => crypto.createHash('sha256').update(key, 'utf8').digest('hex');

export async function createApiKey(db: Db, name: string): Promise<{ id: string; key: string }> {
  const key = `slk_${crypto.randomBytes(32).toString('base64url')}`;
  const id = newId('key');
  await db
    .insertInto('api_keys')
    .values({ id, name, key_hash: hash(key), key_prefix: key.slice(0, 10), created_at: nowIso(), last_used_at: null })
    .execute();
  return { id, key };
}

/** The key's id when the key is valid. Looked up by hash: the comparison never touches the key itself. */
export async function findApiKey(db: Db, key: string): Promise<{ id: string; name: string } | undefined> {
  if (!/^slk_[A-Za-z0-9_-]{43}$/.test(key)) return undefined;
  return db.selectFrom('api_keys').select(['id', 'name']).where('key_hash', '=', hash(key)).executeTakeFirst();
}

export async function touchApiKey(db: Db, id: string): Promise<void> {
  await db.updateTable('api_keys').set({ last_used_at: nowIso() }).where('id', '=', id).execute();
}

export async function listApiKeys(db: Db) {
  return db.selectFrom('api_keys').select(['id', 'name', 'key_prefix', 'created_at', 'last_used_at']).orderBy('id').execute();
}

export async function deleteApiKey(db: Db, id: string): Promise<boolean> {
  const r = await db.deleteFrom('api_keys').where('id', '=', id).executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}
