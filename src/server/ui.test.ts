import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import Fastify from 'fastify';
import { uiRoutes } from './ui.js';

async function appWith(files: Record<string, string>) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-ui-'));
  for (const [name, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), content);
  }
  const app = Fastify();
  await app.register(async (ui) => uiRoutes(ui, dir));
  return { app, dir };
}

test('pages of the app get index.html; hashed assets are cached for good, the page never', async () => {
  const { app } = await appWith({ 'index.html': '<!doctype html><p>app</p>', 'assets/index-abc.js': 'console.log(1)' });
  for (const url of ['/', '/connections/new', '/runs/run_01J?status=failed']) {
    const res = await app.inject({ url });
    assert.equal(res.statusCode, 200, url);
    assert.match(res.headers['content-type'] as string, /text\/html/);
    assert.equal(res.body, '<!doctype html><p>app</p>');
    assert.equal(res.headers['cache-control'], 'no-cache');
    assert.match(res.headers['content-security-policy'] as string, /script-src 'self'/);
    assert.match(res.headers['content-security-policy'] as string, /frame-ancestors 'none'/);
  }
  const asset = await app.inject({ url: '/assets/index-abc.js' });
  assert.equal(asset.statusCode, 200);
  assert.equal(asset.body, 'console.log(1)');
  assert.equal(asset.headers['cache-control'], 'public, max-age=31536000, immutable');
});

test('API paths, missing files and paths that step out of the folder are not the app', async () => {
  const { app } = await appWith({ 'index.html': 'app' });
  const api = await app.inject({ url: '/api/nope' });
  assert.equal(api.statusCode, 404);
  assert.match(api.json<{ error: { message: string } }>().error.message, /no such route: GET \/api\/nope/);
  assert.equal((await app.inject({ url: '/hooks/abc' })).statusCode, 404);
  assert.equal((await app.inject({ url: '/assets/missing.js' })).statusCode, 404);
  assert.equal((await app.inject({ url: '/favicon.ico' })).statusCode, 404);
  for (const url of ['/assets/../../package.json', '/assets/%2e%2e/%2e%2e/package.json', '/..%2f..%2fpackage.json']) {
    const res = await app.inject({ url });
    assert.ok(res.statusCode === 404 || res.body === 'app', `${url} served ${res.statusCode} ${res.body.slice(0, 40)}`);
  }
});

test('a UI built after the server started is served; before that the page says how to build it', async () => {
  const { app, dir } = await appWith({});
  const before = await app.inject({ url: '/' });
  assert.equal(before.statusCode, 503);
  assert.match(before.body, /npm run build/);
  fs.writeFileSync(path.join(dir, 'index.html'), 'built now');
  fs.mkdirSync(path.join(dir, 'assets'));
  fs.writeFileSync(path.join(dir, 'assets', 'late-1.js'), 'late');
  assert.equal((await app.inject({ url: '/accounts' })).body, 'built now');
  assert.equal((await app.inject({ url: '/assets/late-1.js' })).body, 'late');
});
