import cors from '@fastify/cors';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Engine } from '../../engine/context.js';
import { ApiError } from '../../engine/errors.js';
import { acceptWebhookPost, refuseUnknownHook } from '../../engine/webhook-intake.js';
import { thankYouRedirect, type WebhookSettings } from '../../sources/webhook/settings.js';
import { readForm } from '../read-body.js';

const THANKS = `<!doctype html><html lang="en"><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>Thank you</title><body style="font-family:system-ui,sans-serif;max-width:32rem;margin:4rem auto;padding:0 1rem">
<h1>Thank you</h1><p>Your details were received.</p></body></html>`;

/** A browser that submitted an HTML form (as opposed to a script or a service posting data). */
function isBrowserForm(req: FastifyRequest): boolean {
  return (
    String(req.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded') &&
    String(req.headers.accept ?? '').includes('text/html')
  );
}

/**
 * POST /hooks/<token> (registered under the /hooks prefix): web forms and services post rows here, as JSON or as an HTML form's fields.
 * No API key: the unguessable token is the credential. Cross-origin posts are allowed, since the
 * form lives on another site. Other content types get 415, bodies over the limit 413, a body that
 * is not UTF-8 400 (read-body.ts).
 */
export async function hookRoutes(app: FastifyInstance, o: { engine: Engine; maxBytes: number }): Promise<void> {
  await app.register(cors, { origin: '*', methods: ['POST'], allowedHeaders: ['Content-Type', 'Idempotency-Key'] });
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'buffer', bodyLimit: o.maxBytes }, (_req, body, done) => {
    const parsed = readForm(body as Buffer);
    return parsed.ok ? done(null, parsed.value) : done(new ApiError(400, parsed.error), undefined);
  });

  app.post<{ Params: { token: string } }>(
    '/:token',
    {
      bodyLimit: o.maxBytes,
      // The token is checked when the headers are in, before the body is read: an unknown one gets
      // 404 at once, and the connection is closed rather than kept to drain a body nobody wants.
      onRequest: async (req: FastifyRequest<{ Params: { token: string } }>, reply: FastifyReply) => {
        try {
          await refuseUnknownHook(o.engine, req.params.token);
        } catch (error) {
          reply.header('connection', 'close');
          throw error;
        }
      },
    },
    async (req: FastifyRequest<{ Params: { token: string } }>, reply: FastifyReply) => {
      const idem = req.headers['idempotency-key'];
      const { connection, rowKey, duplicate } = await acceptWebhookPost(
        o.engine,
        req.params.token,
        req.body,
        Array.isArray(idem) ? idem[0] : idem,
      );
      if (isBrowserForm(req)) {
        const settings = JSON.parse(connection.source_settings) as WebhookSettings;
        const thankYou = thankYouRedirect(settings);
        if (thankYou !== undefined) return reply.redirect(thankYou, 303);
        return reply.code(200).type('text/html; charset=utf-8').send(THANKS);
      }
      return reply.code(202).send({ accepted: true, rowKey, duplicate });
    },
  );
}
