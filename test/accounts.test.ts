import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { csv, startHarness, type Harness } from './support/harness.js';

/**
 * Accounts: a Stripe key is checked when added, stored encrypted, and never shown again
 * (invariant 4, "secrets stay secret"). Every API answer of this file is kept, so the last test
 * can check that none of them ever held a secret key.
 */

const KEYS = {
  skTest: 'sk_test_51AccountsSkTest00000000000abcd',
  skLive: 'sk_live_51AccountsSkLive00000000000efgh',
  rkTest: 'rk_test_51AccountsRkTest00000000000ijkl',
  rkLive: 'rk_live_51AccountsRkLive00000000000mnop',
  revokedBefore: 'sk_test_51AccountsRevokedBefore0000qrst',
  revokedAfter: 'sk_test_51AccountsRevokedAfter00000uvwx',
  publishable: 'pk_test_51AccountsPublishable00000yzab',
  garbage: 'not-a-stripe-key-at-all-9876',
} as const;
const SECRETS = Object.values(KEYS);

let h: Harness;
const answers: { route: string; status: number; body: unknown }[] = [];

async function call<T = Record<string, unknown>>(method: string, route: string, body?: unknown) {
  const res = await h.api<T>(method, route, body);
  answers.push({ route: `${method} ${route}`, ...res });
  return res;
}

interface AccountBody {
  id: string;
  name: string;
  mode: string;
  status: string;
  keyHint: string;
  checkedAt: string | null;
  lastError: string | null;
}

before(async () => (h = await startHarness()));
after(() => h.close());

const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/;

for (const [label, key, mode] of [
  ['sk_test_', KEYS.skTest, 'test'],
  ['sk_live_', KEYS.skLive, 'live'],
  ['rk_test_', KEYS.rkTest, 'test'],
  ['rk_live_', KEYS.rkLive, 'live'],
] as const) {
  test(`a ${label} key is checked against Stripe and added as active`, async () => {
    const before = h.emulator.requests().length;
    const { status, body } = await call<AccountBody>('POST', '/api/accounts', { name: `Shop ${label}`, secretKey: key });
    assert.equal(status, 201, JSON.stringify(body));
    assert.match(body.id, /^acc_/);
    assert.equal(body.name, `Shop ${label}`);
    assert.equal(body.mode, mode);
    assert.equal(body.status, 'active');
    assert.equal(body.keyHint, `${label}…${key.slice(-4)}`);
    assert.match(String(body.checkedAt), ISO);
    assert.equal(body.lastError, null);
    // The check is a read with this very key (a cheap GET), never a write.
    const checks = h.emulator.requests().slice(before);
    assert.ok(checks.length >= 1, 'the key was not checked against Stripe');
    assert.ok(
      checks.every((r) => r.method === 'GET'),
      `the check wrote to Stripe: ${JSON.stringify(checks)}`,
    );
    assert.ok(checks.some((r) => r.mode === mode && r.status === 200));
  });
}

test('a publishable key is refused with a message that does not repeat it', async () => {
  const { status, body } = await call<{ error: { message: string } }>('POST', '/api/accounts', { name: 'Pk', secretKey: KEYS.publishable });
  assert.equal(status, 400);
  assert.match(body.error.message, /publishable/i);
  assert.match(body.error.message, /sk_/);
  assert.ok(!JSON.stringify(body).includes(KEYS.publishable));
});

test('a string that is not a Stripe key is refused, naming what is allowed, without repeating it', async () => {
  const { status, body } = await call<{ error: { message: string } }>('POST', '/api/accounts', {
    name: 'Garbage',
    secretKey: KEYS.garbage,
  });
  assert.equal(status, 400);
  assert.match(body.error.message, /^secretKey: /);
  assert.match(body.error.message, /sk_test_/);
  assert.ok(!JSON.stringify(body).includes(KEYS.garbage));
  const list = await call<{ data: AccountBody[] }>('GET', '/api/accounts');
  assert.ok(!list.body.data.some((a) => a.name === 'Garbage' || a.name === 'Pk'), 'a refused key was stored');
});

test('a misnamed secret field is refused without echoing the key it holds', async () => {
  const { status, body } = await call<{ error: { message: string; errors?: { field: string }[] } }>('POST', '/api/accounts', {
    name: 'Typo',
    secret_key: KEYS.skTest,
  });
  assert.equal(status, 400);
  assert.ok(
    body.error.errors?.some((e) => e.field === 'secretKey'),
    JSON.stringify(body),
  );
  assert.ok(!JSON.stringify(body).includes(KEYS.skTest));
});

test('a key Stripe refuses is kept as inactive with Stripe’s reason', async () => {
  h.emulator.revokeKey(KEYS.revokedBefore);
  const { status, body } = await call<AccountBody>('POST', '/api/accounts', { name: 'Rolled', secretKey: KEYS.revokedBefore });
  assert.equal(status, 201, JSON.stringify(body));
  assert.equal(body.status, 'inactive');
  assert.equal(body.mode, 'test');
  assert.match(String(body.lastError), /Invalid API Key provided/);
  // Stripe masks the key in its message; Sluice must not unmask it.
  assert.ok(!String(body.lastError).includes(KEYS.revokedBefore));
  const one = await call<AccountBody>('GET', `/api/accounts/${body.id}`);
  assert.equal(one.status, 200);
  assert.equal(one.body.status, 'inactive');
  assert.equal(one.body.lastError, body.lastError);
});

test('a key revoked after it was added turns inactive on the next check, and active keys stay active', async () => {
  const added = await call<AccountBody>('POST', '/api/accounts', { name: 'Later', secretKey: KEYS.revokedAfter });
  assert.equal(added.body.status, 'active');
  const fresh = await call<AccountBody>('POST', `/api/accounts/${added.body.id}/check`);
  assert.equal(fresh.status, 200);
  assert.equal(fresh.body.status, 'active');
  assert.equal(fresh.body.lastError, null);

  h.emulator.revokeKey(KEYS.revokedAfter);
  const checked = await call<AccountBody>('POST', `/api/accounts/${added.body.id}/check`);
  assert.equal(checked.status, 200);
  assert.equal(checked.body.status, 'inactive');
  assert.match(String(checked.body.lastError), /Invalid API Key provided/);
  assert.ok(Date.parse(String(checked.body.checkedAt)) >= Date.parse(String(added.body.checkedAt)));
  const one = await call<AccountBody>('GET', `/api/accounts/${added.body.id}`);
  assert.equal(one.body.status, 'inactive');
  assert.equal(one.body.lastError, checked.body.lastError);
});

test('checking or deleting an account that does not exist is a 404', async () => {
  assert.equal((await call('POST', '/api/accounts/acc_nope/check')).status, 404);
  assert.equal((await call('GET', '/api/accounts/acc_nope')).status, 404);
  assert.equal((await call('DELETE', '/api/accounts/acc_nope')).status, 404);
});

test('the list shows every account with the same fields, and no key', async () => {
  const { status, body } = await call<{ data: AccountBody[] }>('GET', '/api/accounts');
  assert.equal(status, 200);
  const names = body.data.map((a) => a.name);
  for (const n of ['Shop sk_test_', 'Shop sk_live_', 'Shop rk_test_', 'Shop rk_live_', 'Rolled', 'Later'])
    assert.ok(names.includes(n), `${n} missing from ${names}`);
  for (const a of body.data) {
    for (const k of ['id', 'name', 'mode', 'status', 'keyHint', 'checkedAt', 'lastError'])
      assert.ok(k in a, `${k} missing in ${JSON.stringify(a)}`);
    assert.match(a.keyHint, /^(sk|rk)_(test|live)_….{4}$/);
  }
});

test('an account is not deleted while a connection uses it, and is once the connection is gone', async () => {
  const { body: account } = await call<AccountBody>('POST', '/api/accounts', { name: 'In use', secretKey: KEYS.skTest });
  const conn = await call<{ id: string }>('POST', '/api/connections', {
    name: 'Uses the account',
    source: { type: 'csv', content: csv([{ Email: 'a@example.com' }]) },
    action: 'stripe.create_customer',
    accountId: account.id,
    mapping: { email: '{{Email}}' },
  });
  assert.equal(conn.status, 201, JSON.stringify(conn.body));

  const refused = await call<{ error: { message: string } }>('DELETE', `/api/accounts/${account.id}`);
  assert.equal(refused.status, 409);
  assert.match(refused.body.error.message, /connection/);
  assert.equal((await call('GET', `/api/accounts/${account.id}`)).status, 200, 'a refused delete removed the account');

  assert.equal((await call('DELETE', `/api/connections/${conn.body.id}`)).status, 204);
  assert.equal((await call('DELETE', `/api/accounts/${account.id}`)).status, 204);
  assert.equal((await call('GET', `/api/accounts/${account.id}`)).status, 404);
});

test('the database files hold the keys only encrypted', () => {
  const files = ['sluice.db', 'sluice.db-wal'].map((f) => path.join(h.dataDir, f)).filter((f) => fs.existsSync(f));
  assert.ok(files.length > 0);
  const bytes = Buffer.concat(files.map((f) => fs.readFileSync(f)));
  // The accounts were written to these files (so the check below looks at real data)…
  assert.ok(bytes.includes(Buffer.from('Shop sk_live_')), 'the account rows are not in the database files');
  // …and no key is there in clear, nor as UTF-16 or base64.
  for (const key of SECRETS) {
    assert.ok(!bytes.includes(Buffer.from(key, 'utf8')), `${key.slice(0, 8)}… is stored in clear`);
    assert.ok(!bytes.includes(Buffer.from(key, 'utf16le')), `${key.slice(0, 8)}… is stored in clear (UTF-16)`);
    assert.ok(!bytes.includes(Buffer.from(Buffer.from(key).toString('base64'))), `${key.slice(0, 8)}… is stored as base64`);
  }
});

test('the generated encryption key file is readable by its owner only', () => {
  const stat = fs.statSync(path.join(h.dataDir, 'encryption.key'));
  assert.equal(stat.mode & 0o777, 0o600);
});

test('no API answer ever held a secret key', () => {
  assert.ok(answers.length > 20);
  for (const a of answers) {
    const text = JSON.stringify(a.body);
    for (const key of SECRETS) assert.ok(!text.includes(key), `${a.route} (${a.status}) returned ${key.slice(0, 8)}…: ${text}`);
    // Not even the key without its prefix.
    for (const key of SECRETS) assert.ok(!text.includes(key.slice(8)), `${a.route} returned part of a key: ${text}`);
  }
});
