import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { after, before, beforeEach, describe, it } from 'node:test';
import { startStripeEmulator } from './index.js';
import { errorOf, startHarness, TEST_KEY, type Harness } from './test-support.js';

describe('server', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
  });
  after(() => h.emulator.close());
  beforeEach(() => h.emulator.reset());

  it('listens on loopback only and refuses other hosts with a clear error', async () => {
    assert.match(h.emulator.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.equal(h.emulator.url, `http://127.0.0.1:${h.emulator.port}`);
    await assert.rejects(startStripeEmulator({ port: 0, host: '0.0.0.0' }), /host: "0\.0\.0\.0" is not a loopback address/);
    await assert.rejects(startStripeEmulator({ port: 0, host: '192.168.1.10' }), /not a loopback address/);
    await assert.rejects(startStripeEmulator({ port: 0, faultRate: 2 }), /faultRate: 2 is not allowed/);
    assert.throws(() => h.emulator.configure({ latencyMs: -1 }), /latencyMs: -1 is not allowed/);
  });

  it('sends Request-Id and JSON on every response, and Stripe’s 404 for unknown routes', async () => {
    const response = await h.raw('GET', '/v1/foo');
    assert.equal(response.status, 404);
    assert.match(response.headers.get('request-id') ?? '', /^req_[A-Za-z0-9]{14}$/);
    assert.match(response.headers.get('content-type') ?? '', /^application\/json/);
    assert.equal(
      errorOf(response).message,
      'Unrecognized request URL (GET: /v1/foo). Please see https://stripe.com/docs or we can help at https://support.stripe.com/.',
    );
    const method = await h.raw('PUT', '/v1/customers');
    assert.match(String(errorOf(method).message), /^Unrecognized request URL \(PUT: \/v1\/customers\)/);
  });

  it('records requests with method, path, query, raw body, key and status', async () => {
    await h.raw('POST', '/v1/customers?name=Q', { body: 'metadata[order]=A-17', headers: { 'Idempotency-Key': 'r-1' } });
    await h.raw('GET', '/v1/customers?limit=3&email=a%40b.com');
    await h.raw('GET', '/v1/customers', { key: 'nope' });
    assert.deepEqual(h.emulator.requests(), [
      {
        method: 'POST',
        path: '/v1/customers',
        query: 'name=Q',
        body: 'metadata[order]=A-17',
        idempotencyKey: 'r-1',
        status: 200,
        mode: 'test',
      },
      { method: 'GET', path: '/v1/customers', query: 'limit=3&email=a%40b.com', body: '', status: 200, mode: 'test' },
      { method: 'GET', path: '/v1/customers', query: '', body: '', status: 401 },
    ]);
  });

  it('survives garbage: odd bodies, non-form content, huge bodies, raw junk on the socket', async () => {
    const garbage = await h.raw('POST', '/v1/customers', { body: '%%%&&&===[[[]]]&a[=1&name=%E0%A4%A' });
    assert.ok(garbage.status === 400 || garbage.status === 200, `got ${garbage.status}`);
    const deep = await h.raw('POST', '/v1/customers', { body: `metadata${'[a]'.repeat(20)}=1` });
    assert.equal(deep.status, 400);
    const jsonBody = await h.raw('POST', '/v1/customers', { body: '{"name":"x"}', headers: { 'Content-Type': 'application/json' } });
    assert.equal(jsonBody.status, 400);
    assert.match(String(errorOf(jsonBody).message), /unsupported Content-Type application\/json/);
    const huge = await h.raw('POST', '/v1/customers', { body: `description=${'x'.repeat(2 * 1024 * 1024)}` });
    assert.equal(huge.status, 413);
    const shapes = await h.raw('POST', '/v1/customers', { body: 'name[a]=1&email[]=x&metadata=abc&preferred_locales=uk' });
    assert.equal(shapes.status, 400);

    await new Promise<void>((resolve) => {
      const socket = connect(h.emulator.port, '127.0.0.1', () => socket.end('NOT HTTP AT ALL\r\n\r\n'));
      socket.on('data', () => undefined);
      socket.on('close', () => resolve());
      socket.on('error', () => resolve());
    });
    assert.equal((await h.raw('GET', '/v1/balance')).status, 200, 'still serving');
    assert.equal(h.emulator.objects('customer').length, garbage.status === 200 ? 1 : 0);
  });

  it('offers JSON admin endpoints: requests, objects, config, revoke, reset', async () => {
    const admin = (method: string, path: string, body?: string) =>
      fetch(`${h.emulator.url}/_emulator${path}`, { method, ...(body === undefined ? {} : { body }) }).then(async (r) => ({
        status: r.status,
        json: (await r.json()) as unknown,
      }));
    await h.raw('POST', '/v1/customers', { body: 'email=a%40b.com' });
    const requests = await admin('GET', '/requests');
    assert.equal(requests.status, 200);
    assert.equal((requests.json as unknown[]).length, 1);
    const objects = await admin('GET', '/objects/customer?mode=test');
    assert.equal((objects.json as { email: string }[])[0]?.email, 'a@b.com');
    assert.deepEqual((await admin('GET', '/objects/customer?mode=live')).json, []);
    assert.equal((await admin('GET', '/objects/charge')).status, 404);
    assert.equal((await admin('GET', '/objects/customer?mode=prod')).status, 400);

    const config = await admin('POST', '/config', JSON.stringify({ latencyMs: 5, rateLimit: 100 }));
    assert.deepEqual(config.json, { latencyMs: 5, rateLimit: 100, faultRate: 0, afterWriteFaultRate: 0 });
    assert.equal((await admin('POST', '/config', '{not json')).status, 400);
    assert.equal((await admin('POST', '/config', JSON.stringify({ faultRate: 'lots' }))).status, 400);
    assert.equal((await admin('POST', '/config', JSON.stringify({ speed: 1 }))).status, 400);
    assert.equal(
      (await admin('POST', '/faults/next-writes', JSON.stringify({ kind: 'drop', count: 1, path: '/v1/customers' }))).status,
      200,
    );
    assert.equal((await admin('POST', '/faults/next-writes', JSON.stringify({ kind: 'late' }))).status, 400);
    assert.equal((await admin('POST', '/faults/next-writes', JSON.stringify({ kind: '500', when: 'now' }))).status, 400);
    await admin('POST', '/reset');
    await admin('POST', '/config', JSON.stringify({ latencyMs: 0, rateLimit: 0 }));

    assert.equal((await admin('POST', '/keys/revoke', '[]')).status, 400);
    assert.equal((await admin('POST', '/keys/revoke', JSON.stringify({ key: TEST_KEY }))).status, 200);
    assert.equal((await h.raw('GET', '/v1/balance')).status, 401);

    assert.deepEqual((await admin('POST', '/reset')).json, { ok: true });
    assert.equal((await h.raw('GET', '/v1/balance')).status, 200, 'reset forgets revoked keys');
    assert.deepEqual((await admin('GET', '/objects/customer')).json, []);
    assert.equal((await admin('GET', '/nope')).status, 404);
    assert.equal(h.emulator.requests().length, 1, 'admin calls are not recorded');
  });

  it('closes promptly even with a slow request in flight', async () => {
    const slow = await startStripeEmulator({ port: 0, latencyMs: 60_000 });
    const pending = fetch(`${slow.url}/v1/balance`, { headers: { Authorization: `Bearer ${TEST_KEY}` } }).catch(() => 'closed');
    await new Promise((resolve) => setTimeout(resolve, 50));
    const started = performance.now();
    await slow.close();
    assert.ok(performance.now() - started < 1000);
    await pending;
  });
});
