import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Engine } from '../../engine/context.js';
import { ApiError } from '../../engine/errors.js';
import { checkCredentials, loginSchema, setupOwner, type UserView } from '../../engine/owner.js';
import { parseBody } from '../../engine/parse-body.js';
import { csrfTokenFor, endSession, findSession, startSession } from '../../engine/sessions.js';
import { hasAnyUser } from '../../store/users.js';
import { refuseForeignOrigin, requireCsrf } from '../auth.js';
import { LoginLimiter } from '../login-limiter.js';
import type { ServedOn } from '../served-on.js';
import { clearSessionCookie, readSessionToken, setSessionCookie } from '../session-cookie.js';

/** Login attempts one client address may make per minute, right or wrong. */
const LOGIN_ATTEMPTS_PER_MINUTE = 10;

const tooManyAttempts = (seconds: number, what = 'login') =>
  new ApiError(429, `too many ${what} attempts; try again in ${seconds} seconds`);

/** The per-address limit of a route (@fastify/rate-limit's route config). */
const attemptLimit = (what: 'login' | 'setup') => ({
  max: LOGIN_ATTEMPTS_PER_MINUTE,
  timeWindow: 60_000,
  errorResponseBuilder: (_request: FastifyRequest, context: { ttl: number }) => tooManyAttempts(Math.ceil(context.ttl / 1000), what),
});

/**
 * The web UI's login, under /api/session and reachable without an API key:
 *
 * - `GET /api/session` — `{setupRequired, setupCodeRequired, user, csrfToken}`; the UI's first call.
 * - `POST /api/session/setup {email, password, setupCode?}` — creates the owner on a fresh Sluice
 *   (201), then 409. `setupCode` is needed when setupCodeRequired (a Sluice other machines can
 *   reach: the code is printed in its log at start, engine/setup-code.ts); wrong or missing, 403.
 *   Rate-limited like login.
 * - `POST /api/session/login {email, password}` — 200, or 401 "wrong email or password"; rate-limited.
 * - `POST /api/session/logout` — 204; needs the CSRF token like any state change.
 *
 * Setup and login answer `{user, csrfToken}` and set the session cookie.
 */
export async function sessionRoutes(
  app: FastifyInstance,
  engine: Engine,
  served: ServedOn,
  o: { setupCodeRequired: boolean },
): Promise<void> {
  // Only routes that ask for it are limited (global: false); counts are per process, in memory.
  await app.register(rateLimit, { global: false });
  const emails = new LoginLimiter();

  /** Starts a session for `user`: the cookie carries its token, the answer its CSRF token. */
  async function begin(request: FastifyRequest, reply: FastifyReply, user: UserView) {
    // The browser's previous session, if any, ends: its cookie is about to be replaced.
    const previous = await findSession(engine.db, readSessionToken(request));
    if (previous) await endSession(engine.db, previous);
    const { token, expiresAt } = await startSession(engine.db, user.id);
    setSessionCookie(request, reply, engine.publicUrl, token, expiresAt);
    return { user, csrfToken: csrfTokenFor({ token }) };
  }

  app.get('/api/session', async (request, reply) => {
    const token = readSessionToken(request);
    const session = await findSession(engine.db, token);
    if (token && !session) clearSessionCookie(request, reply, engine.publicUrl);
    if (session?.renewed) setSessionCookie(request, reply, engine.publicUrl, session.token, session.expiresAt);
    const setupRequired = !(await hasAnyUser(engine.db));
    return {
      setupRequired,
      setupCodeRequired: setupRequired && o.setupCodeRequired,
      user: session?.user ?? null,
      csrfToken: session ? csrfTokenFor(session) : null,
    };
  });

  // Where a setup code is needed, each client address may try LOGIN_ATTEMPTS_PER_MINUTE setups a
  // minute: against the code's 80 bits that leaves a guesser nothing. On loopback setup stays as
  // it was, unlimited like any local tool.
  const setupConfig = o.setupCodeRequired ? { config: { rateLimit: attemptLimit('setup') } } : {};
  app.post('/api/session/setup', setupConfig, async (request, reply) => {
    refuseForeignOrigin(request, served);
    const user = await setupOwner(engine.db, request.body, { setupCodeRequired: o.setupCodeRequired });
    return reply.code(201).send(await begin(request, reply, user));
  });

  app.post('/api/session/login', { config: { rateLimit: attemptLimit('login') } }, async (request, reply) => {
    refuseForeignOrigin(request, served);
    const input = parseBody(loginSchema, request.body);
    const wait = emails.retryAfter(input.email);
    if (wait > 0) {
      reply.header('retry-after', wait);
      throw tooManyAttempts(wait);
    }
    let user: UserView;
    try {
      user = await checkCredentials(engine.db, input);
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) emails.failed(input.email);
      throw error;
    }
    emails.succeeded(input.email);
    return reply.code(200).send(await begin(request, reply, user));
  });

  app.post('/api/session/logout', async (request, reply) => {
    const session = await findSession(engine.db, readSessionToken(request));
    // Logging out twice, or with an expired session, is no error: the browser ends up logged out.
    if (session) {
      requireCsrf(request, served, session);
      await endSession(engine.db, session);
    }
    clearSessionCookie(request, reply, engine.publicUrl);
    return reply.code(204).send();
  });
}
