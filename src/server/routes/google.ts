import type { FastifyInstance } from 'fastify';
import type { Engine } from '../../engine/context.js';
import { finishGoogleConnect, startGoogleConnect } from '../../engine/google-oauth.js';

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** POST /api/accounts/google/connect (needs an API key): the consent URL to open. */
export function googleConnectRoutes(api: FastifyInstance, engine: Engine): void {
  api.post('/api/accounts/google/connect', async (req) => startGoogleConnect(engine, req.body));
}

/**
 * GET /oauth/google/callback: where Google sends the browser back. No API key — the sealed state
 * is the credential. Answers a short page for the person (or JSON for a script).
 */
export function googleCallbackRoutes(app: FastifyInstance, engine: Engine): void {
  app.get<{ Querystring: { code?: string; state?: string; error?: string } }>('/oauth/google/callback', async (req, reply) => {
    const wantsJson = String(req.headers.accept ?? '').includes('application/json');
    try {
      const account = await finishGoogleConnect(engine, req.query);
      if (wantsJson) return reply.code(201).send(account);
      return reply
        .type('text/html; charset=utf-8')
        .send(
          `<!doctype html><meta charset="utf-8"><title>Google account connected</title><p>Google account <b>${escape(account.email ?? account.name)}</b> is connected to Sluice as “${escape(account.name)}”. You can close this tab.</p>`,
        );
    } catch (error) {
      if (wantsJson) throw error;
      return reply
        .code(400)
        .type('text/html; charset=utf-8')
        .send(`<!doctype html><meta charset="utf-8"><title>Not connected</title><p>${escape((error as Error).message)}</p>`);
    }
  });
}
