import type { FastifyReply, FastifyRequest } from 'fastify';
import { quote } from '../core/field-error.js';
import type { Engine } from '../engine/context.js';
import { ApiError } from '../engine/errors.js';
import { csrfTokenMatches, findSession, type ActiveSession } from '../engine/sessions.js';
import { findApiKey, touchApiKey } from '../store/api-keys.js';
import type { ServedOn } from './served-on.js';
import { clearSessionCookie, readSessionToken, setSessionCookie } from './session-cookie.js';

const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export const CSRF_REFUSED = 'missing or invalid CSRF token; reload the page';

/**
 * Refuses a request a browser sent from another site's page (its Origin header names that site).
 * Requests without Origin — scripts, curl, same-origin GETs — pass: this is defence in depth
 * beside SameSite=Lax and the CSRF token, not the only guard. The origins compared against are the
 * ones Sluice is served on (served-on.ts), never the request's Host header, which a DNS-rebinding
 * page sets to its own name.
 */
export function refuseForeignOrigin(request: FastifyRequest, served: ServedOn): void {
  const origin = request.headers.origin;
  if (origin === undefined) return;
  let normalized = 'null';
  try {
    normalized = new URL(origin).origin;
  } catch {
    // `Origin: null` (a sandboxed frame, a redirect) or garbage: not ours.
  }
  const own = served.origins();
  if (!own.includes(normalized)) {
    throw new ApiError(
      403,
      `Origin: ${quote(origin)} is not this server's origin (${own[0]}); requests from other sites' pages are refused`,
    );
  }
}

/**
 * A state change on a session's behalf needs the session's CSRF token in `X-CSRF-Token` (and no
 * foreign Origin). Hand-written rather than @fastify/csrf-protection: the server-side session is
 * already there, so the token can be derived from it (engine/sessions.ts) with no second cookie or
 * stored secret, and `GET /api/session` can hand it to the UI again after a reload.
 */
export function requireCsrf(request: FastifyRequest, served: ServedOn, session: ActiveSession): void {
  refuseForeignOrigin(request, served);
  if (!csrfTokenMatches(session, request.headers['x-csrf-token'])) throw new ApiError(403, CSRF_REFUSED);
}

function unauthorized(reply: FastifyReply) {
  return reply
    .code(401)
    .header('www-authenticate', 'Bearer')
    .send({ error: { message: 'a valid API key is required: Authorization: Bearer <key>' } });
}

/**
 * Every /api route needs an API key (`Authorization: Bearer <key>`, for scripts) or a session
 * cookie (the web UI). Without either the answer is a bare 401 — the same for a missing, malformed
 * or unknown key or session, so nothing is revealed about which.
 *
 * API-key requests need no CSRF token: a browser never adds an Authorization header on its own,
 * so another site cannot borrow a key. Cookie requests that change something need one, since a
 * browser does attach the cookie.
 */
export function requireAuth(engine: Engine, served: ServedOn) {
  const touched = new Map<string, number>();
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const header = request.headers.authorization ?? '';
    const token = readSessionToken(request);
    // A request that sends a key is judged by the key alone: a script with a revoked key hears
    // 401, rather than riding on a browser cookie that happens to be there.
    if (header !== '' || token === undefined) {
      const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
      const key = match?.[1] ? await findApiKey(engine.db, match[1]) : undefined;
      if (!key) return unauthorized(reply);
      // last_used_at is for people, not accounting: written at most once a minute per key.
      const last = touched.get(key.id) ?? 0;
      if (Date.now() - last > 60_000) {
        touched.set(key.id, Date.now());
        await touchApiKey(engine.db, key.id);
      }
      return;
    }
    const session = await findSession(engine.db, token);
    if (!session) {
      clearSessionCookie(request, reply, engine.publicUrl);
      return unauthorized(reply);
    }
    if (STATE_CHANGING.has(request.method)) requireCsrf(request, served, session);
    // The cookie's lifetime follows the session's sliding expiry.
    if (session.renewed) setSessionCookie(request, reply, engine.publicUrl, session.token, session.expiresAt);
  };
}
