import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import helmet from '@fastify/helmet';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import { redactUrl } from './logger.js';

/** Where `vite build` puts the UI: dist/ui at the top of the package, from src/server and dist/server alike. */
export const UI_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../dist/ui');

/** Paths that belong to the API and never fall back to the UI's page. */
const NOT_UI = /^\/(api|hooks|oauth|health)(\/|$|\?)/;

/**
 * The web UI: the built files from dist/ui, and index.html for every other GET so the browser's
 * router can show /connections/… on a reload. Hashed assets are cached for good; the page never is.
 */
export async function uiRoutes(app: FastifyInstance, dir = UI_DIR): Promise<void> {
  const built = fs.existsSync(path.join(dir, 'index.html'));
  await app.register(helmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        // Off on plain http (local use): it would turn http://127.0.0.1 asset requests into https ones.
        upgradeInsecureRequests: null,
      },
    },
    // HSTS only matters behind https, where the proxy in front of Sluice should set it.
    strictTransportSecurity: false,
  });
  if (built) {
    await app.register(fastifyStatic, {
      root: dir,
      wildcard: false,
      index: false,
      cacheControl: false,
      setHeaders: (res, file) => {
        res.setHeader('cache-control', file.includes(`${path.sep}assets${path.sep}`) ? 'public, max-age=31536000, immutable' : 'no-cache');
      },
    });
  }
  app.get('/*', async (req, reply) => {
    if (NOT_UI.test(req.url)) {
      return reply.code(404).send({ error: { message: `no such route: ${req.method} ${redactUrl(req.url)}` } });
    }
    if (!built) {
      return reply
        .code(503)
        .type('text/plain; charset=utf-8')
        .send('The web UI is not built. Run `npm run build` (npm start does it), or use the REST API.');
    }
    return reply.header('cache-control', 'no-cache').sendFile('index.html');
  });
}
