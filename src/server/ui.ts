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
  // Only reply.sendFile: files are looked up on each request, so a UI rebuilt while Sluice runs is served.
  await app.register(fastifyStatic, { root: dir, serve: false, cacheControl: false });
  app.get('/*', async (req, reply) => {
    if (NOT_UI.test(req.url)) {
      return reply.code(404).send({ error: { message: `no such route: ${req.method} ${redactUrl(req.url)}` } });
    }
    // The UI's own file names are plain: anything with an escape or a step up is a page, not a file.
    const pathname = new URL(req.url, 'http://x').pathname.slice(1);
    const wanted = /^[\w./-]*$/.test(pathname) && !pathname.split('/').includes('..') ? pathname : '';
    if (wanted.startsWith('assets/') && (await isFile(path.join(dir, wanted)))) {
      // Hashed names: a file's content never changes under its name.
      return reply.header('cache-control', 'public, max-age=31536000, immutable').sendFile(wanted);
    }
    if (wanted !== '' && !wanted.startsWith('assets/') && !wanted.includes('/') && (await isFile(path.join(dir, wanted)))) {
      return reply.header('cache-control', 'no-cache').sendFile(wanted);
    }
    if (/\.\w+$/.test(pathname)) return reply.code(404).type('text/plain; charset=utf-8').send('not found');
    if (!(await isFile(path.join(dir, 'index.html')))) {
      return reply
        .code(503)
        .type('text/plain; charset=utf-8')
        .send('The web UI is not built. Run `npm run build` (npm start does it), or use the REST API.');
    }
    // Any other page is the app's: its router shows /connections/… after a reload.
    return reply.header('cache-control', 'no-cache').sendFile('index.html');
  });
}

async function isFile(file: string): Promise<boolean> {
  return fs.promises.stat(file).then(
    (s) => s.isFile(),
    () => false,
  );
}
