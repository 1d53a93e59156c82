import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Engine } from '../../engine/context.js';
import { finishGoogleConnect, startGoogleConnect } from '../../engine/google-oauth.js';
import { findSession } from '../../engine/sessions.js';
import { readSessionToken } from '../session-cookie.js';

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** Where the web UI lists the accounts; `?google=connected&account=<id>` makes it say the account is connected. */
const ACCOUNTS_PAGE = '/accounts';

/**
 * The callback's own page: no script at all (nothing to allow in a CSP), and no referrer, since its
 * address carries Google's code and Sluice's state.
 */
function page(reply: FastifyReply, status: number, o: { title: string; body: string; refreshTo?: string }) {
  const refresh = o.refreshTo ? `<meta http-equiv="refresh" content="0; url=${escape(o.refreshTo)}">` : '';
  return reply
    .code(status)
    .type('text/html; charset=utf-8')
    .header(
      'content-security-policy',
      "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
    )
    .header('referrer-policy', 'no-referrer')
    .header('cache-control', 'no-store')
    .send(`<!doctype html><meta charset="utf-8">${refresh}<title>${escape(o.title)}</title>${o.body}`);
}

/**
 * The login session of the browser behind a request, if any. A request with an Authorization
 * header is a script's, judged by its key alone (as requireAuth does), even if a cookie rides along.
 */
async function browserSession(engine: Engine, req: FastifyRequest): Promise<string | undefined> {
  if (req.headers.authorization !== undefined) return undefined;
  return (await findSession(engine.db, readSessionToken(req)))?.id;
}

/** POST /api/accounts/google/connect (the web UI, logged in): the consent URL to open. */
export function googleConnectRoutes(api: FastifyInstance, engine: Engine): void {
  api.post('/api/accounts/google/connect', async (req) => startGoogleConnect(engine, req.body, await browserSession(engine, req)));
}

/**
 * GET /oauth/google/callback: where Google sends the browser back, outside the API's auth. The
 * state must be one this Sluice stored for the session whose cookie the browser brings (a top-level
 * navigation carries the SameSite=Lax cookie), unused and unexpired. Answers a short page for the person (or JSON for a script). The page sends a
 * browser on to the web UI's Accounts page at once (a meta refresh: the page has no script), which
 * says the account is connected; a client that does not follow it still reads the page's text.
 */
export function googleCallbackRoutes(app: FastifyInstance, engine: Engine): void {
  app.get<{ Querystring: { code?: string; state?: string; error?: string } }>('/oauth/google/callback', async (req, reply) => {
    const wantsJson = String(req.headers.accept ?? '').includes('application/json');
    try {
      const account = await finishGoogleConnect(engine, req.query, await browserSession(engine, req));
      if (wantsJson) return reply.code(201).send(account);
      const accounts = `${ACCOUNTS_PAGE}?google=connected&account=${encodeURIComponent(account.id)}`;
      return page(reply, 200, {
        title: 'Google account connected',
        refreshTo: accounts,
        body: `<p>Google account <b>${escape(account.email ?? account.name)}</b> is connected to Sluice as “${escape(account.name)}”.</p><p><a href="${escape(accounts)}">Back to the accounts in Sluice</a></p>`,
      });
    } catch (error) {
      if (wantsJson) throw error;
      return page(reply, 400, {
        title: 'Not connected',
        body: `<p>${escape((error as Error).message)}</p><p><a href="${ACCOUNTS_PAGE}">Back to the accounts in Sluice</a></p>`,
      });
    }
  });
}
