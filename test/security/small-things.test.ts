import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, test } from 'node:test';
import { startHarness, type Harness } from '../support/harness.js';

/**
 * Issue 13, point 8: unknown /api paths say 401 to strangers (not which routes exist),
 * @fastify/csrf-protection is gone, and CORS is for the hook routes alone.
 */

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const UNAUTHORIZED = { error: { message: 'a valid API key is required: Authorization: Bearer <key>' } };

let h: Harness;
let hookPath: string;

before(async () => {
  h = await startHarness();
  const accountId = await h.account();
  const c = await h.connection({
    name: 'Cors',
    source: { type: 'webhook' },
    action: 'stripe.create_customer',
    accountId,
    mapping: { email: '{{email}}' },
  });
  hookPath = new URL(c.hookUrl!).pathname;
});
after(() => h?.close());

const UNKNOWN: [string, string][] = [
  ['GET', '/api/nope'],
  ['POST', '/api/nope'],
  ['DELETE', '/api/connections/con_x/nope'],
  ['PUT', '/api/accounts'],
  ['GET', '/api/session/nope'],
  ['GET', '/api'],
];

test('an unknown /api path answers 401 without credentials, the same as a real route', async () => {
  for (const [method, route] of UNKNOWN) {
    const res = await fetch(`${h.sluice.url}${route}`, { method });
    assert.equal(res.status, 401, `${method} ${route}`);
    assert.deepEqual(await res.json(), UNAUTHORIZED, `${method} ${route}`);
  }
  // A real route without credentials: the very same answer.
  const real = await fetch(`${h.sluice.url}/api/accounts`);
  assert.equal(real.status, 401);
  assert.deepEqual(await real.json(), UNAUTHORIZED);
});

test('with a valid API key an unknown /api path is a 404 naming it', async () => {
  for (const [method, route] of UNKNOWN) {
    const res = await fetch(`${h.sluice.url}${route}`, { method, headers: { authorization: `Bearer ${h.apiKey}` } });
    assert.equal(res.status, 404, `${method} ${route}`);
    assert.deepEqual(await res.json(), { error: { message: `no such route: ${method} ${route}` } });
  }
});

test('@fastify/csrf-protection is not a dependency and no code imports it', () => {
  const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as Record<string, Record<string, string> | undefined>;
  for (const field of ['dependencies', 'devDependencies', 'optionalDependencies', 'peerDependencies']) {
    assert.equal(pkg[field]?.['@fastify/csrf-protection'], undefined, field);
  }
  // An import or a require of it; auth.ts's comment saying why Sluice's own token is used instead is fine.
  const IMPORTS = /(from|import\(|require\()\s*['"]@fastify\/csrf-protection['"]/;
  const offenders: string[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const file = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(file);
      else if (/\.(ts|tsx|js)$/.test(entry.name) && IMPORTS.test(fs.readFileSync(file, 'utf8'))) offenders.push(file);
    }
  };
  for (const dir of ['src', 'ui/src']) walk(path.join(root, dir));
  assert.deepEqual(offenders, []);
});

/** A browser's preflight from another site's page. */
const preflight = (route: string, method = 'POST') =>
  fetch(`${h.sluice.url}${route}`, {
    method: 'OPTIONS',
    headers: { origin: 'https://forms.example', 'access-control-request-method': method, 'access-control-request-headers': 'content-type' },
  });

test('CORS is for hook URLs only: a preflight or a cross-origin request to the API gets no Access-Control-Allow-Origin', async () => {
  for (const route of ['/api/accounts', '/api/connections', '/api/session/login', '/api/nope', '/health', '/']) {
    const res = await preflight(route);
    assert.equal(res.headers.get('access-control-allow-origin'), null, `OPTIONS ${route}`);
    assert.equal(res.headers.get('access-control-allow-methods'), null, `OPTIONS ${route}`);
    await res.arrayBuffer();
  }
  // A cross-origin request that reaches the API (with a key) is answered without CORS headers, so
  // the other site's page cannot read the answer.
  const read = await fetch(`${h.sluice.url}/api/accounts`, {
    headers: { origin: 'https://forms.example', authorization: `Bearer ${h.apiKey}` },
  });
  assert.equal(read.status, 200);
  assert.equal(read.headers.get('access-control-allow-origin'), null);
  await read.arrayBuffer();
});

test("a hook URL answers another site's preflight and post with Access-Control-Allow-Origin: *", async () => {
  const pre = await preflight(hookPath);
  assert.equal(pre.status, 204);
  assert.equal(pre.headers.get('access-control-allow-origin'), '*');
  assert.match(String(pre.headers.get('access-control-allow-methods')), /POST/);
  const res = await fetch(`${h.sluice.url}${hookPath}`, {
    method: 'POST',
    headers: { origin: 'https://forms.example', 'content-type': 'application/json' },
    body: JSON.stringify({ email: 'cors@example.com' }),
  });
  assert.equal(res.status, 202);
  assert.equal(res.headers.get('access-control-allow-origin'), '*');
});
