import type { Selectable } from 'kysely';
import type { Db } from './db.js';
import type { SessionTable } from './schema.js';

export type SessionRecord = Selectable<SessionTable>;

export async function insertSession(db: Db, session: SessionRecord): Promise<void> {
  await db.insertInto('sessions').values(session).execute();
}

/** The session with this token hash, with its user's email. */
export async function findSessionByHash(db: Db, tokenHash: string) {
  return db
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .select(['sessions.id', 'sessions.user_id', 'sessions.last_seen_at', 'sessions.expires_at', 'users.email'])
    .where('sessions.token_hash', '=', tokenHash)
    .executeTakeFirst();
}

export async function touchSession(db: Db, id: string, lastSeenAt: string, expiresAt: string): Promise<void> {
  await db.updateTable('sessions').set({ last_seen_at: lastSeenAt, expires_at: expiresAt }).where('id', '=', id).execute();
}

export async function deleteSession(db: Db, id: string): Promise<void> {
  await db.deleteFrom('sessions').where('id', '=', id).execute();
}

/** Removes sessions that expired before `now` (ISO UTC); they are refused anyway, this only tidies. */
export async function deleteExpiredSessions(db: Db, now: string): Promise<void> {
  await db.deleteFrom('sessions').where('expires_at', '<=', now).execute();
}
