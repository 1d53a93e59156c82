import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { authenticate, maskKey } from './auth.js';
import { errorOf, LIVE_KEY, startHarness, TEST_KEY, type Harness } from './test-support.js';

describe('maskKey', () => {
  it('keeps the prefix and the last four characters', () => {
    assert.equal(maskKey('sk_test_123456789abcd'), 'sk_test_****abcd');
    assert.equal(maskKey('rk_live_xxxxxxxxWXYZ'), 'rk_live_****WXYZ');
    assert.equal(maskKey('whatever1234'), '****1234');
  });
});

describe('authenticate', () => {
  const none = new Set<string>();
  it('accepts secret and restricted keys of both modes, as Bearer or basic', () => {
    assert.deepEqual(authenticate('Bearer sk_test_abcdefgh', none), { ok: true, key: 'sk_test_abcdefgh', mode: 'test' });
    assert.deepEqual(authenticate('Bearer rk_live_abc_defgh', none), { ok: true, key: 'rk_live_abc_defgh', mode: 'live' });
    const basic = `Basic ${Buffer.from('sk_live_abcdefgh:').toString('base64')}`;
    assert.deepEqual(authenticate(basic, none), { ok: true, key: 'sk_live_abcdefgh', mode: 'live' });
  });
  it('refuses short, publishable, malformed and revoked keys', () => {
    for (const header of ['Bearer sk_test_short', 'Bearer pk_test_abcdefgh', 'Bearer sk_prod_abcdefgh', 'Token sk_test_abcdefgh', '']) {
      assert.equal(authenticate(header, none).ok, false, header);
    }
    assert.equal(authenticate('Bearer sk_test_abcdefgh', new Set(['sk_test_abcdefgh'])).ok, false);
  });
});

describe('auth over HTTP', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
  });
  after(() => h.emulator.close());
  beforeEach(() => h.emulator.reset());

  it('answers 401 with the masked key for a bad or missing key, and changes nothing', async () => {
    const response = await h.raw('POST', '/v1/customers', { key: 'sk_test_bad', body: 'name=A' });
    assert.equal(response.status, 401);
    assert.deepEqual(errorOf(response), { type: 'invalid_request_error', message: 'Invalid API Key provided: sk_test_****bad' });
    assert.match(response.headers.get('request-id') ?? '', /^req_/);
    const missing = await h.raw('GET', '/v1/balance', { key: null });
    assert.equal(missing.status, 401);
    assert.match(String(errorOf(missing).message), /^You did not provide an API key/);
    const basic = await h.raw('GET', '/v1/balance', {
      key: null,
      headers: { Authorization: `Basic ${Buffer.from(`${TEST_KEY}:`).toString('base64')}` },
    });
    assert.equal(basic.status, 200);
    assert.equal(h.emulator.objects('customer').length, 0);
  });

  it('refuses a revoked key with 401, from the method and from the admin endpoint', async () => {
    const key = 'sk_test_revokeme1234';
    assert.equal((await h.raw('POST', '/v1/customers', { key, body: '' })).status, 200);
    h.emulator.revokeKey(key);
    const revoked = await h.raw('GET', '/v1/customers', { key });
    assert.equal(revoked.status, 401);
    assert.equal(errorOf(revoked).message, 'Invalid API Key provided: sk_test_****1234');

    const other = 'rk_test_otherkey9876';
    const admin = await fetch(`${h.emulator.url}/_emulator/keys/revoke`, { method: 'POST', body: JSON.stringify({ key: other }) });
    assert.equal(admin.status, 200);
    const adminRevoked = await h.raw('GET', '/v1/account', { key: other });
    assert.equal(errorOf(adminRevoked).message, 'Invalid API Key provided: rk_test_****9876');
    assert.equal((await h.raw('GET', '/v1/account')).status, 200, 'other keys still work');
  });

  it('keeps test and live data disjoint', async () => {
    const inTest = (await h.raw('POST', '/v1/customers', { key: TEST_KEY, body: 'email=same%40example.com' })).json as {
      id: string;
      livemode: boolean;
    };
    const inLive = (await h.raw('POST', '/v1/customers', { key: LIVE_KEY, body: 'email=same%40example.com' })).json as {
      id: string;
      livemode: boolean;
    };
    assert.equal(inTest.livemode, false);
    assert.equal(inLive.livemode, true);
    const ids = async (key: string) =>
      ((await h.raw('GET', '/v1/customers', { key })).json as { data: { id: string }[] }).data.map((c) => c.id);
    assert.deepEqual(await ids(TEST_KEY), [inTest.id]);
    assert.deepEqual(await ids(LIVE_KEY), [inLive.id]);
    const crossed = await h.raw('GET', `/v1/customers/${inTest.id}`, { key: LIVE_KEY });
    assert.equal(crossed.status, 404);
    assert.equal(errorOf(crossed).message, `No such customer: '${inTest.id}'`);
    assert.equal(h.emulator.objects('customer', 'live').length, 1);
    assert.equal(h.emulator.objects('customer').length, 1);
    assert.deepEqual(
      h.emulator.requests().map((r) => r.mode),
      ['test', 'live', 'test', 'live', 'live'],
    );
  });

  it('answers the cheap key checks: balance and account', async () => {
    const balance = (await h.raw('GET', '/v1/balance', { key: LIVE_KEY })).json as { object: string; livemode: boolean };
    assert.equal(balance.object, 'balance');
    assert.equal(balance.livemode, true);
    const account = (await h.raw('GET', '/v1/account')).json as { id: string; object: string };
    assert.match(account.id, /^acct_/);
    assert.equal(account.object, 'account');
  });
});
