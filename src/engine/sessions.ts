import crypto from 'node:crypto';
import type { Db } from '../store/db.js';
import { newId, nowIso } from '../store/ids.js';
import { deleteExpiredSessions, deleteSession, findSessionByHash, insertSession, touchSession } from '../store/sessions.js';

/** How long a session lasts without use; each use moves its end on (sliding). */
export const SESSION_TTL_MS = 14 * 24 * 60 * 60 * 1000;
/** last_seen_at and expires_at are for expiry, not accounting: written at most once a minute per session. */
const TOUCH_EVERY_MS = 60_000;

/** Session tokens are 32 random bytes, base64url: the cookie carries them, the database only their sha256. */
const TOKEN = /^[A-Za-z0-9_-]{43}$/;
const sha256 = (token: string) => crypto.createHash('sha256').update(token, 'utf8').digest('hex');

export interface ActiveSession {
  id: string;
  user: { id: string; email: string };
  /** The cookie's token; kept in memory for the CSRF token, never stored or logged. */
  token: string;
  expiresAt: Date;
  /** Whether this use moved the expiry on (so the cookie's lifetime should follow). */
  renewed: boolean;
}

/** Begins a session for a user who just proved who they are; returns the token for the cookie. */
export async function startSession(db: Db, userId: string, now = new Date()): Promise<{ token: string; expiresAt: Date }> {
  // Expired sessions are refused anyway; this keeps the table from growing with them.
  await deleteExpiredSessions(db, nowIso(now));
  const token = crypto.randomBytes(32).toString('base64url');
  const expiresAt = new Date(now.getTime() + SESSION_TTL_MS);
  await insertSession(db, {
    id: newId('ses'),
    token_hash: sha256(token),
    user_id: userId,
    created_at: nowIso(now),
    last_seen_at: nowIso(now),
    expires_at: nowIso(expiresAt),
  });
  return { token, expiresAt };
}

/** The live session a cookie's token opens, renewing its expiry; undefined when unknown or expired. */
export async function findSession(db: Db, token: string | undefined, now = new Date()): Promise<ActiveSession | undefined> {
  if (!token || !TOKEN.test(token)) return undefined;
  const row = await findSessionByHash(db, sha256(token));
  if (!row) return undefined;
  if (row.expires_at <= nowIso(now)) {
    await deleteSession(db, row.id);
    return undefined;
  }
  const session: ActiveSession = {
    id: row.id,
    user: { id: row.user_id, email: row.email },
    token,
    expiresAt: new Date(row.expires_at),
    renewed: false,
  };
  if (now.getTime() - Date.parse(row.last_seen_at) >= TOUCH_EVERY_MS) {
    session.expiresAt = new Date(now.getTime() + SESSION_TTL_MS);
    session.renewed = true;
    await touchSession(db, row.id, nowIso(now), nowIso(session.expiresAt));
  }
  return session;
}

export async function endSession(db: Db, session: ActiveSession): Promise<void> {
  await deleteSession(db, session.id);
}

/**
 * The session's CSRF token: HMAC-SHA256 keyed by the session token. It is per session and needs no
 * storage, so `GET /api/session` can hand it out again after a page reload. The session token is
 * itself a 256-bit secret that only the server sees (the cookie is HttpOnly; the database holds its
 * sha256, from which neither it nor this can be computed), so no separate server secret is needed:
 * a page on another site can neither read the cookie nor compute this from anything it can see.
 */
export function csrfTokenFor(session: { token: string }): string {
  return crypto.createHmac('sha256', session.token).update('sluice csrf v1').digest('base64url');
}

/** Whether `given` is the session's CSRF token, compared in constant time. */
export function csrfTokenMatches(session: ActiveSession, given: string | string[] | undefined): boolean {
  if (typeof given !== 'string') return false;
  const expected = Buffer.from(csrfTokenFor(session));
  const actual = Buffer.from(given);
  return actual.length === expected.length && crypto.timingSafeEqual(actual, expected);
}
