import type { Selectable } from 'kysely';
import type { Db } from './db.js';
import type { OAuthStateTable } from './schema.js';

export type OAuthStateRecord = Selectable<OAuthStateTable>;

export async function insertOAuthState(db: Db, state: OAuthStateRecord): Promise<void> {
  await db.insertInto('oauth_states').values(state).execute();
}

/**
 * Takes the state with this hash if the session started it: deleted and returned in one statement,
 * so that of two callbacks racing with one state (two tabs, two processes on Postgres) exactly one
 * gets it. Undefined when there is no such state for this session (never made, used already, or
 * another session's). Expiry is the caller's to check: an expired state is taken all the same,
 * and so is gone.
 */
export async function takeOAuthState(db: Db, stateHash: string, sessionId: string): Promise<OAuthStateRecord | undefined> {
  return db
    .deleteFrom('oauth_states')
    .where('state_hash', '=', stateHash)
    .where('session_id', '=', sessionId)
    .returningAll()
    .executeTakeFirst();
}

/** Whether a state with this hash is waiting (for another session, when takeOAuthState found none for this one). */
export async function oauthStateExists(db: Db, stateHash: string): Promise<boolean> {
  return (await db.selectFrom('oauth_states').select('state_hash').where('state_hash', '=', stateHash).executeTakeFirst()) !== undefined;
}

/** Removes states that expired before `now` (ISO UTC); they are refused anyway, this only tidies. */
export async function deleteExpiredOAuthStates(db: Db, now: string): Promise<void> {
  await db.deleteFrom('oauth_states').where('expires_at', '<=', now).execute();
}
