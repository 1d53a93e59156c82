import cookie from '@fastify/cookie';
import Fastify, { type FastifyBaseLogger, type FastifyError, type FastifyInstance } from 'fastify';
import type { Engine } from '../engine/context.js';
import { ApiError } from '../engine/errors.js';
import { requireAuth } from './auth.js';
import { redactUrl } from './logger.js';
import { accountRoutes } from './routes/accounts.js';
import { catalogRoutes } from './routes/catalog.js';
import { connectionRoutes } from './routes/connections.js';
import { hookRoutes } from './routes/hooks.js';
import { runRoutes } from './routes/runs.js';
import { sessionRoutes } from './routes/session.js';
import { sheetTabRoutes } from './routes/sheet-tabs.js';
import { googleCallbackRoutes, googleConnectRoutes } from './routes/google.js';
import { sourceRoutes } from './routes/sources.js';
import { uiRoutes } from './ui.js';

export interface AppOptions {
  engine: Engine;
  webhookMaxBytes: number;
  logger: FastifyBaseLogger;
}

const FASTIFY_MESSAGES: Record<string, (e: FastifyError, limit: number) => string> = {
  FST_ERR_CTP_BODY_TOO_LARGE: (_e, limit) => `the body is too large; at most ${limit} bytes are accepted`,
  FST_ERR_CTP_INVALID_MEDIA_TYPE: () =>
    'unsupported Content-Type; send application/json or application/x-www-form-urlencoded (what an HTML form sends)',
  FST_ERR_CTP_INVALID_JSON_BODY: (e) => `the body is not valid JSON: ${e.message}`,
  FST_ERR_CTP_EMPTY_JSON_BODY: () => 'the body is empty but Content-Type says JSON; send a JSON object',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: () => 'the body is shorter or longer than its Content-Length',
};

export async function buildApp(o: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: o.logger,
    bodyLimit: 1024 * 1024,
    // JSON bodies with __proto__ or constructor keys are refused rather than trusted.
    onProtoPoisoning: 'error',
    onConstructorPoisoning: 'error',
  });

  app.setErrorHandler((error: FastifyError, req, reply) => {
    if (error instanceof ApiError) {
      return reply.code(error.status).send({ error: { message: error.message, ...(error.errors.length && { errors: error.errors }) } });
    }
    const status = error.statusCode ?? 500;
    if (status >= 500) {
      req.log.error({ err: { message: error.message, stack: error.stack } }, 'request failed');
      return reply.code(500).send({ error: { message: 'internal error; the details are in the server log' } });
    }
    const describe = error.code ? FASTIFY_MESSAGES[error.code] : undefined;
    return reply
      .code(status)
      .send({ error: { message: describe ? describe(error, req.routeOptions.bodyLimit ?? o.webhookMaxBytes) : error.message } });
  });
  app.setNotFoundHandler((req, reply) =>
    reply.code(404).send({ error: { message: `no such route: ${req.method} ${redactUrl(req.url)}` } }),
  );

  // An empty JSON body is no body (`curl -X POST …/run` with a JSON content type), not an error.
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (req, body, done) =>
    (body as string).trim() === '' ? done(null, undefined) : parseJson(req, body as string, done),
  );

  // Cookies are parsed for every request; only the session cookie is read (server/session-cookie.ts).
  await app.register(cookie);

  app.get('/health', async () => ({ ok: true }));
  await app.register(async (hooks) => hookRoutes(hooks, { engine: o.engine, maxBytes: o.webhookMaxBytes }));
  googleCallbackRoutes(app, o.engine);
  // Outside the API's auth: the UI logs in here.
  await app.register(async (session) => sessionRoutes(session, o.engine));
  await app.register(async (api) => {
    api.addHook('onRequest', requireAuth(o.engine));
    catalogRoutes(api);
    accountRoutes(api, o.engine);
    connectionRoutes(api, o.engine);
    runRoutes(api, o.engine);
    googleConnectRoutes(api, o.engine);
    sourceRoutes(api, o.engine);
    sheetTabRoutes(api, o.engine);
  });
  await app.register(async (ui) => uiRoutes(ui));
  return app;
}
