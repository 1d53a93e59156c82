import cookie from '@fastify/cookie';
import Fastify, { type FastifyBaseLogger, type FastifyError, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { HttpLimits } from '../config.js';
import type { Engine } from '../engine/context.js';
import { ApiError } from '../engine/errors.js';
import { requireAuth } from './auth.js';
import { clientErrorHandler } from './client-error.js';
import { readJson } from './read-body.js';
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
import { limitConnections } from './connection-limit.js';
import { ServedOn } from './served-on.js';

export interface AppOptions {
  engine: Engine;
  webhookMaxBytes: number;
  logger: FastifyBaseLogger;
  /** HOST: the address Sluice listens on; loopback or not decides which origins and hosts are its own (served-on.ts). */
  host: string;
  /** Timeouts and the connection cap (config.http). */
  http: HttpLimits;
  /** Whether creating the owner through the web needs a setup code printed at start (setup-code.ts). */
  setupCodeRequired: boolean;
}

/** The API's largest body, in bytes: a CSV uploaded as `content` is the largest thing it takes. */
const API_MAX_BYTES = 1024 * 1024;

const isHook = (req: FastifyRequest) => req.url.startsWith('/hooks/');

/** What a request may send: the API takes JSON; a webhook also takes what an HTML form sends. */
const accepted = (req: FastifyRequest) =>
  isHook(req) ? 'send application/json or application/x-www-form-urlencoded (what an HTML form sends)' : 'send application/json';

const FASTIFY_MESSAGES: Record<string, (e: FastifyError, req: FastifyRequest, limit: number) => string> = {
  FST_ERR_CTP_BODY_TOO_LARGE: (_e, req, limit) => {
    const length = Number(req.headers['content-length']);
    const size = Number.isSafeInteger(length) && length > limit ? `${length} bytes` : `more than ${limit} bytes`;
    const setting = isHook(req) ? ' (SLUICE_WEBHOOK_MAX_BYTES)' : '';
    return `the body is too large: ${size}; at most ${limit} bytes are accepted${setting}`;
  },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: (_e, req) => {
    const type = req.headers['content-type'];
    return type === undefined
      ? `the body has no Content-Type; ${accepted(req)}`
      : `Content-Type ${JSON.stringify(type.slice(0, 100))} is not accepted; ${accepted(req)}`;
  },
  FST_ERR_CTP_INVALID_JSON_BODY: (e) => `the body is not valid JSON: ${e.message}`,
  FST_ERR_CTP_EMPTY_JSON_BODY: () => 'the body is empty but Content-Type says JSON; send a JSON object',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: (_e, req) =>
    `the body is shorter or longer than its Content-Length (${JSON.stringify(req.headers['content-length'] ?? '')})`,
};

/** Errors of the router itself, answered in the API's shape. */
function routerError(error: FastifyError, req: FastifyRequest, reply: FastifyReply): void {
  const message =
    error.code === 'FST_ERR_BAD_URL'
      ? `the address ${JSON.stringify(redactUrl(req.url).slice(0, 200))} is not valid: a % must start an escape such as %20`
      : error.message;
  void reply.code(error.statusCode ?? 400).send({ error: { message } });
}

const notFound = (req: FastifyRequest, reply: FastifyReply) =>
  reply.code(404).send({ error: { message: `no such route: ${req.method} ${redactUrl(req.url)}` } });

export async function buildApp(o: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: o.logger,
    bodyLimit: API_MAX_BYTES,
    // Against slow clients (Node's own defaults are 60 s for headers, 5 minutes for a request, and
    // Fastify's 72 s for an idle kept-alive connection). Node checks the header and request deadlines
    // of unfinished requests every connectionsCheckingInterval (default 30 s, which would stretch a
    // 10 s headers timeout to 40 s); once a second keeps them close. A connection that sends
    // nothing at all falls under the headers timeout too (Node counts from the connection's start).
    http: {
      headersTimeout: o.http.headersTimeoutMs,
      requestTimeout: o.http.requestTimeoutMs,
      connectionsCheckingInterval: Math.min(1000, o.http.headersTimeoutMs),
    },
    requestTimeout: o.http.requestTimeoutMs,
    keepAliveTimeout: o.http.keepAliveTimeoutMs,
    // JSON bodies with __proto__ or constructor keys are refused rather than trusted (read-body.ts
    // does it for Sluice's own JSON parser; these keep it so for any other).
    onProtoPoisoning: 'error',
    onConstructorPoisoning: 'error',
    // A body cut short (the client closed the connection before its Content-Length) or a request
    // that is not HTTP gets a JSON error like any other.
    clientErrorHandler,
    // So does an address the router cannot decode (`/api/runs/%ZZ`), which no route sees.
    frameworkErrors: routerError,
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
    const limit = req.routeOptions.bodyLimit ?? (isHook(req) ? o.webhookMaxBytes : API_MAX_BYTES);
    return reply.code(status).send({ error: { message: describe ? describe(error, req, limit) : error.message } });
  });
  app.setNotFoundHandler(notFound);
  limitConnections(app.server, o.http.maxConnections, o.logger);

  const served = new ServedOn({
    host: o.host,
    publicUrl: () => o.engine.publicUrl,
    port: () => {
      const address = app.server.address();
      return typeof address === 'object' && address !== null ? address.port : undefined;
    },
  });
  // Bound to loopback, a request for any other name is a DNS-rebinding page's (served-on.ts): it is
  // refused before any route, so that such a page can read nothing, not even what needs no login.
  app.addHook('onRequest', async (req, reply) => {
    if (served.hostAllowed(req.headers.host)) return;
    const host = req.headers.host === undefined ? 'none' : JSON.stringify(req.headers.host.slice(0, 200));
    return reply.code(421).send({
      error: {
        message: `Host: ${host} is not an address this Sluice answers to; it listens on loopback and answers to ${served.hosts().join(', ')} (behind a proxy that sends another name, set SLUICE_PUBLIC_URL to the address browsers use)`,
      },
    });
  });

  // An empty JSON body is no body (`curl -X POST …/run` with a JSON content type), not an error.
  app.removeContentTypeParser(['application/json', 'text/plain']);
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_req, body, done) => {
    const bytes = body as Buffer;
    if (bytes.every((b) => b === 0x20 || b === 0x09 || b === 0x0a || b === 0x0d)) return done(null, undefined);
    const parsed = readJson(bytes);
    return parsed.ok ? done(null, parsed.value) : done(new ApiError(400, parsed.error), undefined);
  });

  // Cookies are parsed for every request; only the session cookie is read (server/session-cookie.ts).
  await app.register(cookie);

  app.get('/health', async () => ({ ok: true }));
  // Under the /hooks prefix, so that the CORS plugin's preflight route (OPTIONS *) covers the hook
  // routes only: the API, the UI and /health answer no other site's preflight.
  await app.register(async (hooks) => hookRoutes(hooks, { engine: o.engine, maxBytes: o.webhookMaxBytes }), { prefix: '/hooks' });
  googleCallbackRoutes(app, o.engine);
  // Outside the API's auth: the UI logs in here.
  await app.register(async (session) => sessionRoutes(session, o.engine, served, { setupCodeRequired: o.setupCodeRequired }));
  await app.register(async (api) => {
    api.addHook('onRequest', requireAuth(o.engine, served));
    // Any other /api address is answered here, behind the auth hook: without credentials 401 like
    // every API route (a 404 would tell a stranger which routes exist), with them 404.
    api.all('/api', notFound);
    api.all('/api/*', notFound);
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
