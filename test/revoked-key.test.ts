import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { csv, startHarness, waitFor, type Harness, type RunBody } from './support/harness.js';

/**
 * A key rolled in the Dashboard while Sluice uses it: the run stops, the rows stay pending (not
 * failed, since nothing is wrong with them), the account shows why, and moving the connection to a
 * new account sends the rows — each once.
 */

let h: Harness;
before(async () => (h = await startHarness({ emulator: { latencyMs: 60 } })));
after(() => h.close());

interface AccountBody {
  status: string;
  lastError: string | null;
}
interface Customer {
  email: string | null;
}
const customersWith = (domain: string) => (h.emulator.objects('customer') as Customer[]).filter((c) => c.email?.endsWith(domain));

async function pendingRows(connectionId: string) {
  const { status, body } = await h.api<{ data: { rowKey: string; status: string; error: string | null }[] }>(
    'GET',
    `/api/connections/${connectionId}/rows?status=pending`,
  );
  assert.equal(status, 200);
  return body.data;
}

function emails(domain: string, n: number) {
  return Array.from({ length: n }, (_, i) => ({ Email: `row${i + 1}@${domain}` }));
}

async function connectionFor(key: string, domain: string, n: number) {
  const accountId = await h.account(key);
  const c = await h.connection({
    name: `Revoked ${domain}`,
    source: { type: 'csv', content: csv(emails(domain, n)) },
    action: 'stripe.create_customer',
    accountId,
    // if_exists create: every row's first request is its create (the default skip looks the email up first).
    mapping: { email: '{{Email}}', if_exists: 'create' },
  });
  return { accountId, connectionId: c.id };
}

test('a key revoked before the run: the run fails saying so, the rows stay pending, the account turns inactive', async () => {
  const key = 'sk_test_51RevokedBeforeRun000000000000aaaa';
  const { accountId, connectionId } = await connectionFor(key, 'before.example', 40);
  h.emulator.revokeKey(key);

  const run = await h.run(connectionId);
  assert.equal(run.status, 'failed', JSON.stringify(run));
  assert.match(String(run.error), /Stripe refused the account's key/);
  assert.match(String(run.error), /Invalid API Key provided/);
  assert.ok(!String(run.error).includes(key), 'the run error shows the key');
  assert.equal(run.counts.sent, 0);
  assert.equal(run.counts.failed, 0, 'rows were marked failed, though nothing is wrong with them');
  assert.equal((await pendingRows(connectionId)).length, 40);
  assert.equal(customersWith('before.example').length, 0);
  // The run stopped at the first refusal rather than trying every row: only the rows already in
  // flight (at most half the test-mode rate, 13) met the refusal too.
  const refused = h.emulator.requests().filter((r) => r.method === 'POST' && r.status === 401).length;
  assert.ok(refused >= 1 && refused <= 13, `${refused} requests refused`);

  const account = await h.api<AccountBody>('GET', `/api/accounts/${accountId}`);
  assert.equal(account.body.status, 'inactive');
  assert.match(String(account.body.lastError), /Invalid API Key provided/);

  // A new account, and the connection moved onto it: the next run sends every row once.
  const fresh = await h.account('sk_test_51ReplacementKey0000000000000bbbb');
  const patched = await h.api('PATCH', `/api/connections/${connectionId}`, { accountId: fresh });
  assert.equal(patched.status, 200, JSON.stringify(patched.body));
  const next = await h.run(connectionId);
  assert.equal(next.status, 'succeeded', JSON.stringify(next));
  assert.equal(next.counts.sent, 40);
  assert.deepEqual(await pendingRows(connectionId), []);
  assert.deepEqual(
    customersWith('before.example')
      .map((c) => c.email)
      .sort(),
    emails('before.example', 40)
      .map((r) => r.Email)
      .sort(),
  );
  // The old account is untouched by the new one's success.
  assert.equal((await h.api<AccountBody>('GET', `/api/accounts/${accountId}`)).body.status, 'inactive');
});

test('a key revoked in the middle of a run: the rows sent stay sent, the rest stay pending, and a new account sends them once', async () => {
  const key = 'sk_test_51RevokedMidRun0000000000000cccc';
  const total = 8;
  const { accountId, connectionId } = await connectionFor(key, 'mid.example', total);
  const { body } = await h.api<{ runId: string }>('POST', `/api/connections/${connectionId}/run`);
  // Revoke as soon as Stripe has created the first customer.
  await waitFor('the first customer of the run', () => (customersWith('mid.example').length > 0 ? true : undefined), 10_000);
  h.emulator.revokeKey(key);
  const run: RunBody = await h.waitForRun(body.runId);

  assert.equal(run.status, 'failed', JSON.stringify(run));
  assert.match(String(run.error), /Stripe refused the account's key/);
  const created = customersWith('mid.example').length;
  const pending = await pendingRows(connectionId);
  assert.ok(created >= 1);
  assert.ok(pending.length >= 1, 'every row was sent before the revoke took effect; nothing left to check');
  assert.equal(run.counts.sent, created);
  assert.equal(run.counts.failed, 0);
  assert.equal(created + pending.length, total);
  assert.ok(pending.every((r) => r.error === null));

  const account = await h.api<AccountBody>('GET', `/api/accounts/${accountId}`);
  assert.equal(account.body.status, 'inactive');
  assert.match(String(account.body.lastError), /Invalid API Key provided/);
  const check = await h.api<AccountBody>('POST', `/api/accounts/${accountId}/check`);
  assert.equal(check.body.status, 'inactive');

  const fresh = await h.account('sk_test_51ReplacementMid00000000000000dddd');
  assert.equal((await h.api('PATCH', `/api/connections/${connectionId}`, { accountId: fresh })).status, 200);
  const next = await h.run(connectionId);
  assert.equal(next.status, 'succeeded', JSON.stringify(next));
  assert.equal(next.counts.sent, pending.length);
  const all = customersWith('mid.example').map((c) => c.email);
  assert.equal(all.length, total, 'a row was sent twice or not at all');
  assert.equal(new Set(all).size, total);
  assert.deepEqual(await pendingRows(connectionId), []);
});

test('a stopped run’s counts agree with its rows', async () => {
  const key = 'sk_test_51RevokedCounts00000000000000eeee';
  const { connectionId } = await connectionFor(key, 'counts.example', 2);
  h.emulator.revokeKey(key);
  const run = await h.run(connectionId);
  assert.equal(run.status, 'failed');
  const pendingInRun = run.rows.filter((r) => r.status === 'pending').length;
  assert.equal(pendingInRun, 2);
  assert.equal(run.counts.pending, pendingInRun);
});
