import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { fingerprint, IdempotencyStore } from './idempotency.js';
import { errorOf, LIVE_KEY, startHarness, type Harness } from './test-support.js';

describe('IdempotencyStore', () => {
  it('replays, refuses other parameters, reports a running request, and forgets after 24 hours', () => {
    let now = 0;
    const store = new IdempotencyStore(() => now);
    const claim = store.claim('test', 'k', 'fp1');
    assert.equal(claim.kind, 'started');
    assert.equal(store.claim('test', 'k', 'fp1').kind, 'in_use');
    assert.equal(store.claim('test', 'k', 'fp2').kind, 'mismatch');
    if (claim.kind === 'started') claim.finish({ status: 200, body: '{}', requestId: 'req_1' });
    const replay = store.claim('test', 'k', 'fp1');
    assert.deepEqual(replay, { kind: 'replay', response: { status: 200, body: '{}', requestId: 'req_1' } });
    assert.equal(store.claim('live', 'k', 'fp2').kind, 'started', 'keys are per account mode');
    now += 24 * 60 * 60 * 1000;
    assert.equal(store.claim('test', 'k', 'fp2').kind, 'started');
  });

  it('frees an abandoned key', () => {
    const store = new IdempotencyStore();
    const claim = store.claim('test', 'k', 'fp1');
    if (claim.kind === 'started') claim.abandon();
    assert.equal(store.claim('test', 'k', 'fp2').kind, 'started');
  });

  it('fingerprints parameters regardless of their order', () => {
    assert.equal(
      fingerprint('POST', '/v1/x', { a: '1', b: { d: '2', c: '3' } }),
      fingerprint('POST', '/v1/x', { b: { c: '3', d: '2' }, a: '1' }),
    );
    assert.notEqual(fingerprint('POST', '/v1/x', { a: '1' }), fingerprint('POST', '/v1/y', { a: '1' }));
  });
});

describe('idempotency over HTTP', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
  });
  after(() => h.emulator.close());
  beforeEach(() => {
    h.emulator.reset();
    h.emulator.configure({ latencyMs: 0 });
  });

  it('replays the first response, status and body, with Idempotent-Replayed: true', async () => {
    const create = () =>
      h.raw('POST', '/v1/customers', { body: 'email=a%40b.com&metadata[row]=1', headers: { 'Idempotency-Key': 'row-1' } });
    const first = await create();
    const again = await create();
    assert.equal(first.status, 200);
    assert.equal(again.status, 200);
    assert.equal(again.text, first.text);
    assert.equal(again.headers.get('idempotent-replayed'), 'true');
    assert.equal(again.headers.get('original-request'), first.headers.get('request-id'));
    assert.notEqual(again.headers.get('request-id'), first.headers.get('request-id'));
    assert.equal(first.headers.get('idempotent-replayed'), null);
    const reordered = await h.raw('POST', '/v1/customers', {
      body: 'metadata[row]=1&email=a%40b.com',
      headers: { 'Idempotency-Key': 'row-1' },
    });
    assert.equal(reordered.headers.get('idempotent-replayed'), 'true', 'parameter order does not matter');
    assert.equal(h.emulator.objects('customer').length, 1);
    assert.deepEqual(
      h.emulator.requests().map((r) => r.idempotencyKey),
      ['row-1', 'row-1', 'row-1'],
    );
  });

  it('refuses the same key with other parameters or another endpoint', async () => {
    await h.raw('POST', '/v1/customers', { body: 'email=a%40b.com', headers: { 'Idempotency-Key': 'row-2' } });
    const other = await h.raw('POST', '/v1/customers', { body: 'email=b%40b.com', headers: { 'Idempotency-Key': 'row-2' } });
    assert.equal(other.status, 400);
    assert.deepEqual(errorOf(other), {
      type: 'idempotency_error',
      message:
        "Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than 'row-2' if you meant to execute a different request.",
    });
    const path = await h.raw('POST', '/v1/products', { body: 'email=a%40b.com', headers: { 'Idempotency-Key': 'row-2' } });
    assert.equal(path.status, 400);
    assert.equal(errorOf(path).type, 'idempotency_error');
    assert.equal(h.emulator.objects('customer').length, 1);
  });

  it('stores errors from execution (a 404) but not parameter-validation failures', async () => {
    const notFound = await h.raw('POST', '/v1/invoiceitems', {
      body: 'customer=cus_missing&amount=1&currency=usd',
      headers: { 'Idempotency-Key': 'row-3' },
    });
    assert.equal(notFound.status, 404);
    const replayed = await h.raw('POST', '/v1/invoiceitems', {
      body: 'customer=cus_missing&amount=1&currency=usd',
      headers: { 'Idempotency-Key': 'row-3' },
    });
    assert.equal(replayed.status, 404);
    assert.equal(replayed.headers.get('idempotent-replayed'), 'true');
    assert.equal(replayed.text, notFound.text);

    const invalid = await h.raw('POST', '/v1/customers', { body: 'email=nope', headers: { 'Idempotency-Key': 'row-4' } });
    assert.equal(invalid.status, 400);
    const fixed = await h.raw('POST', '/v1/customers', { body: 'email=yes%40example.com', headers: { 'Idempotency-Key': 'row-4' } });
    assert.equal(fixed.status, 200, 'the key was not used by the request that failed validation');
    assert.equal(fixed.headers.get('idempotent-replayed'), null);
  });

  it('answers 409 idempotency_key_in_use while the first request still runs', async () => {
    h.emulator.configure({ latencyMs: 300 });
    const request = () => h.raw('POST', '/v1/customers', { body: 'name=Slow', headers: { 'Idempotency-Key': 'row-5' } });
    const first = request();
    await new Promise((resolve) => setTimeout(resolve, 50));
    const second = await request();
    assert.equal(second.status, 409);
    assert.equal(errorOf(second).code, 'idempotency_key_in_use');
    assert.equal((await first).status, 200);
    const third = await request();
    assert.equal(third.status, 200);
    assert.equal(third.headers.get('idempotent-replayed'), 'true');
    assert.equal(h.emulator.objects('customer').length, 1);
  });

  it('scopes keys per mode, ignores them on GET, and refuses keys over 255 characters', async () => {
    await h.raw('POST', '/v1/customers', { body: 'name=T', headers: { 'Idempotency-Key': 'shared' } });
    const live = await h.raw('POST', '/v1/customers', { key: LIVE_KEY, body: 'name=L', headers: { 'Idempotency-Key': 'shared' } });
    assert.equal(live.status, 200);
    assert.equal(live.headers.get('idempotent-replayed'), null);
    const get = await h.raw('GET', '/v1/customers', { headers: { 'Idempotency-Key': 'shared' } });
    assert.equal(get.status, 200);
    const long = await h.raw('POST', '/v1/customers', { body: 'name=X', headers: { 'Idempotency-Key': 'k'.repeat(256) } });
    assert.equal(long.status, 400);
    const max = await h.raw('POST', '/v1/customers', { body: 'name=X', headers: { 'Idempotency-Key': 'k'.repeat(255) } });
    assert.equal(max.status, 200);
  });
});
