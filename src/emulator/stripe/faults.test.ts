import assert from 'node:assert/strict';
import { request } from 'node:http';
import { after, before, beforeEach, describe, it } from 'node:test';
import { RateLimiter } from './rate-limit.js';
import { errorOf, LIVE_KEY, startHarness, TEST_KEY, type Harness } from './test-support.js';

describe('RateLimiter', () => {
  it('allows a burst of N, then refills at N a second, per account', () => {
    let now = 0;
    const limiter = new RateLimiter(() => now);
    const burst = Array.from({ length: 5 }, () => limiter.take('test', 3));
    assert.deepEqual(burst, [true, true, true, false, false]);
    assert.equal(limiter.take('live', 3), true, 'each account has its own bucket');
    now += 340;
    assert.equal(limiter.take('test', 3), true);
    assert.equal(limiter.take('test', 3), false);
    assert.equal(limiter.take('test', 0), true, '0 means unlimited');
  });
});

/** A POST whose connection may be dropped: resolves to the status, or 'dropped'. */
function rawPost(url: string, path: string, body: string, headers: Record<string, string> = {}): Promise<number | 'dropped'> {
  return new Promise((resolve) => {
    const req = request(`${url}${path}`, {
      method: 'POST',
      agent: false,
      headers: { Authorization: `Bearer ${TEST_KEY}`, 'Content-Type': 'application/x-www-form-urlencoded', ...headers },
    });
    req.on('response', (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', () => resolve('dropped'));
    req.end(body);
  });
}

describe('rate limit, faults and latency', () => {
  let h: Harness;
  let draw = 0.1;
  before(async () => {
    h = await startHarness({ random: () => draw });
  });
  after(() => h.emulator.close());
  beforeEach(() => {
    h.emulator.reset();
    h.emulator.configure({ latencyMs: 0, rateLimit: 0, faultRate: 0 });
  });

  it('answers 429 rate_limit with Stripe-Rate-Limited-Reason beyond N requests a second per account', async () => {
    h.emulator.configure({ rateLimit: 2 });
    const responses = await Promise.all(Array.from({ length: 12 }, () => h.raw('GET', '/v1/balance')));
    const limited = responses.filter((r) => r.status === 429);
    assert.ok(responses.filter((r) => r.status === 200).length >= 2);
    assert.ok(limited.length >= 3, `expected most of the burst to be limited, got ${limited.length}`);
    const first = limited[0];
    assert.ok(first !== undefined);
    assert.equal(first.headers.get('stripe-rate-limited-reason'), 'global-rate');
    assert.equal(errorOf(first).code, 'rate_limit');
    assert.equal(errorOf(first).type, 'invalid_request_error');
    assert.match(String(errorOf(first).message), /^Request rate limit exceeded\./);
    assert.equal((await h.raw('GET', '/v1/balance', { key: LIVE_KEY })).status, 200, 'live has its own budget');
  });

  it('does not store a 429 for the idempotency key', async () => {
    // One request a second: the first call takes the only token, the next is limited.
    h.emulator.configure({ rateLimit: 1 });
    assert.equal((await h.raw('GET', '/v1/balance')).status, 200);
    const limited = await h.raw('POST', '/v1/customers', { body: '', headers: { 'Idempotency-Key': 'rl-1' } });
    assert.equal(limited.status, 429);
    h.emulator.configure({ rateLimit: 0 });
    const retried = await h.raw('POST', '/v1/customers', { body: '', headers: { 'Idempotency-Key': 'rl-1' } });
    assert.equal(retried.status, 200);
    assert.equal(retried.headers.get('idempotent-replayed'), null, 'a 429 is not stored for the key');
  });

  it('with faultRate 1 answers 500 api_error or drops the connection, and creates nothing', async () => {
    h.emulator.configure({ faultRate: 1 });
    draw = 0.1;
    const failed = await h.raw('POST', '/v1/customers', { body: 'name=A', headers: { 'Idempotency-Key': 'f-1' } });
    assert.equal(failed.status, 500);
    assert.deepEqual(errorOf(failed), { type: 'api_error', message: 'An unknown error occurred' });
    draw = 0.9;
    assert.equal(await rawPost(h.emulator.url, '/v1/customers', 'name=A', { 'Idempotency-Key': 'f-1' }), 'dropped');
    assert.equal(h.emulator.objects('customer').length, 0);
    assert.deepEqual(
      h.emulator.requests().map((r) => r.status),
      [500, 0],
    );

    h.emulator.configure({ faultRate: 0 });
    const clean = await h.raw('POST', '/v1/customers', { body: 'name=A', headers: { 'Idempotency-Key': 'f-1' } });
    assert.equal(clean.status, 200);
    assert.equal(clean.headers.get('idempotent-replayed'), null, 'injected faults are not stored for the key');
    assert.equal(h.emulator.objects('customer').length, 1);
  });

  it('mixes faults at the configured rate', async () => {
    let i = 0;
    const draws = [0.05, 0.2, 0.5, 0.9];
    const local = await startHarness({ faultRate: 0.3, random: () => draws[i++ % draws.length] ?? 1 });
    try {
      const results = [];
      for (let n = 0; n < 4; n++) results.push(await rawPost(local.emulator.url, '/v1/customers', `name=${n}`));
      assert.deepEqual(results, [500, 'dropped', 200, 200]);
      assert.equal(local.emulator.objects('customer').length, 2);
    } finally {
      await local.emulator.close();
    }
  });

  it('delays every response by latencyMs', async () => {
    h.emulator.configure({ latencyMs: 150 });
    const started = performance.now();
    const response = await h.raw('GET', '/v1/balance', { key: 'sk_test_x' });
    assert.equal(response.status, 401);
    assert.ok(performance.now() - started >= 140, 'even errors wait');
  });
});

describe('write faults: the write is done, the answer is lost', () => {
  let h: Harness;
  let draw = 1;
  before(async () => {
    h = await startHarness({ random: () => draw });
  });
  after(() => h.emulator.close());
  beforeEach(() => {
    h.emulator.reset();
    h.emulator.configure({ latencyMs: 0, faultRate: 0, afterWriteFaultRate: 0 });
    draw = 1;
  });
  const create = (key: string, body = 'name=A') => h.raw('POST', '/v1/customers', { body, headers: { 'Idempotency-Key': key } });

  it('a 500 after the write is stored for the key: every retry gets it again, replayed, and the customer exists once', async () => {
    h.emulator.failNextWrites({ kind: '500' });
    const first = await create('w-1');
    assert.equal(first.status, 500);
    assert.deepEqual(errorOf(first), { type: 'api_error', message: 'An unknown error occurred' });
    assert.equal(first.headers.get('idempotent-replayed'), null);
    for (let i = 0; i < 3; i++) {
      const again = await create('w-1');
      assert.equal(again.status, 500);
      assert.equal(again.headers.get('idempotent-replayed'), 'true');
      assert.equal(again.headers.get('original-request'), first.headers.get('request-id'));
    }
    assert.equal(h.emulator.objects('customer').length, 1, 'the write happened once');
    assert.deepEqual(
      h.emulator.requests().map((r) => [r.status, r.writeFault]),
      [
        [500, '500'],
        [500, undefined],
        [500, undefined],
        [500, undefined],
      ],
    );
    // A new key is a new request: it creates a second customer.
    assert.equal((await create('w-2')).status, 200);
    assert.equal(h.emulator.objects('customer').length, 2);
  });

  it('a dropped connection after the write stores the success: a retry with the key gets the object', async () => {
    h.emulator.failNextWrites({ kind: 'drop' });
    assert.equal(await rawPost(h.emulator.url, '/v1/customers', 'name=A', { 'Idempotency-Key': 'w-3' }), 'dropped');
    const [customer] = h.emulator.objects('customer') as { id: string }[];
    assert.ok(customer);
    const retried = await create('w-3');
    assert.equal(retried.status, 200);
    assert.equal(retried.headers.get('idempotent-replayed'), 'true');
    assert.equal((retried.json as { id: string }).id, customer.id);
    assert.equal(h.emulator.objects('customer').length, 1);
    assert.deepEqual(h.emulator.requests()[0]?.status, 0);
    assert.deepEqual(h.emulator.requests()[0]?.writeFault, 'drop');
  });

  it('a timeout holds the answer until the client gives up; the write is done and a retry gets it', async () => {
    h.emulator.failNextWrites({ kind: 'timeout' });
    await assert.rejects(
      fetch(`${h.emulator.url}/v1/customers`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${TEST_KEY}`, 'Content-Type': 'application/x-www-form-urlencoded', 'Idempotency-Key': 'w-4' },
        body: 'name=A',
        signal: AbortSignal.timeout(150),
      }),
      /aborted|timeout/i,
    );
    assert.equal(h.emulator.objects('customer').length, 1);
    const retried = await create('w-4');
    assert.equal(retried.status, 200);
    assert.equal(retried.headers.get('idempotent-replayed'), 'true');
    assert.equal(h.emulator.objects('customer').length, 1);
  });

  it('500-not-written stores a 500 for the key and writes nothing: the key can never create the object', async () => {
    h.emulator.failNextWrites({ kind: '500-not-written' });
    assert.equal((await create('w-5')).status, 500);
    const again = await create('w-5');
    assert.equal(again.status, 500);
    assert.equal(again.headers.get('idempotent-replayed'), 'true');
    assert.equal(h.emulator.objects('customer').length, 0);
  });

  it('armed faults count only executed writes to their path, in order; reads, 400s and replays pass', async () => {
    h.emulator.failNextWrites({ kind: '500', count: 2, path: '/v1/invoiceitems' });
    assert.equal((await create('w-6')).status, 200, 'another path');
    assert.equal((await h.raw('GET', '/v1/customers')).status, 200);
    const [customer] = h.emulator.objects('customer') as { id: string }[];
    const item = (key: string, body: string) => h.raw('POST', '/v1/invoiceitems', { body, headers: { 'Idempotency-Key': key } });
    assert.equal((await item('i-0', 'customer=cus_missing&amount=100&currency=usd')).status, 404, 'a refused write is not struck');
    assert.equal((await item('i-1', `customer=${customer?.id}&amount=100&currency=usd`)).status, 500);
    assert.equal((await item('i-1', `customer=${customer?.id}&amount=100&currency=usd`)).status, 500, 'replayed, not counted');
    assert.equal((await item('i-2', `customer=${customer?.id}&amount=200&currency=usd`)).status, 500);
    assert.equal((await item('i-3', `customer=${customer?.id}&amount=300&currency=usd`)).status, 200);
    assert.equal(h.emulator.objects('invoiceitem').length, 3);
    assert.throws(() => h.emulator.failNextWrites({ kind: 'boom' as '500' }), /kind: "boom" is not allowed; use one of 500, drop/);
    assert.throws(() => h.emulator.failNextWrites({ kind: '500', count: 0 }), /count: 0 is not allowed/);
    h.emulator.failNextWrites({ kind: '500' });
    h.emulator.reset();
    assert.equal((await create('w-7')).status, 200, 'reset disarms');
  });

  it('afterWriteFaultRate strikes that share of writes, half 500 and half dropped, and never a read', async () => {
    h.emulator.configure({ afterWriteFaultRate: 0.4 });
    const results = [];
    for (const d of [0.1, 0.3, 0.5, 0.9]) {
      draw = d;
      results.push(await rawPost(h.emulator.url, '/v1/customers', `name=${d}`, { 'Idempotency-Key': `r-${d}` }));
    }
    assert.deepEqual(results, [500, 'dropped', 200, 200]);
    assert.equal(h.emulator.objects('customer').length, 4, 'every write happened');
    draw = 0;
    assert.equal((await h.raw('GET', '/v1/customers')).status, 200);
    assert.throws(() => h.emulator.configure({ afterWriteFaultRate: 1.5 }), /afterWriteFaultRate: 1.5 is not allowed/);
  });
});
