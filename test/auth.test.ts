import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, test } from 'node:test';
import { listApiKeys } from '../src/store/api-keys.js';
import { cli, csv, startHarness, tempDir, type Harness } from './support/harness.js';

/**
 * The REST API needs an API key (`Authorization: Bearer slk_…`); /health and the hook URLs do
 * not. Keys are made with the CLI, which prints the key once on stdout.
 */

let h: Harness;
let dataDir: string;
let cliKey: string;
let cliStdout: string;
let ids: { account: string; connection: string; run: string };

before(async () => {
  dataDir = tempDir('sluice-auth-');
  // The key is made before the server exists, on the data dir the server then opens.
  const made = await cli(dataDir, 'api-key', 'create', '--name', 'ci');
  cliStdout = made.stdout;
  cliKey = made.stdout.trim();
  h = await startHarness({ dataDir });
  const account = await h.account();
  const connection = await h.connection({
    name: 'Auth',
    source: { type: 'csv', content: csv([{ Email: 'auth@example.com' }]) },
    action: 'stripe.create_customer',
    accountId: account,
    mapping: { email: '{{Email}}' },
  });
  const done = await h.run(connection.id);
  ids = { account, connection: connection.id, run: done.id };
});
after(async () => {
  await h.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

/** Every /api route, with real ids so that an authorized call would do something. */
function routes(): [string, string, unknown?][] {
  const { account, connection, run: runId } = ids;
  return [
    ['GET', '/api/catalog'],
    ['GET', '/api/accounts'],
    ['POST', '/api/accounts', { name: 'x', secretKey: 'sk_test_51Unauthorized000000000000zzzz' }],
    ['GET', `/api/accounts/${account}`],
    ['POST', `/api/accounts/${account}/check`],
    ['DELETE', `/api/accounts/${account}`],
    ['GET', '/api/connections'],
    ['POST', '/api/connections', { name: 'x' }],
    ['GET', `/api/connections/${connection}`],
    ['PATCH', `/api/connections/${connection}`, { name: 'hijacked' }],
    ['DELETE', `/api/connections/${connection}`],
    ['POST', `/api/connections/${connection}/preview`, {}],
    ['POST', `/api/connections/${connection}/test`, {}],
    ['POST', `/api/connections/${connection}/run`],
    ['GET', `/api/connections/${connection}/runs`],
    ['GET', `/api/connections/${connection}/rows`],
    ['GET', `/api/runs/${runId}`],
    ['POST', `/api/runs/${runId}/retry-failed`],
  ];
}

const UNKNOWN_KEY = `slk_${'A'.repeat(43)}`;

const badAuthorizations: [string, () => Record<string, string>][] = [
  ['no Authorization header', () => ({})],
  ['an empty Authorization header', () => ({ authorization: '' })],
  ['the Basic scheme', () => ({ authorization: `Basic ${Buffer.from(`${h.apiKey}:`).toString('base64')}` })],
  ['a Token scheme', () => ({ authorization: `Token ${h.apiKey}` })],
  ['the key without a scheme', () => ({ authorization: h.apiKey })],
  ['an unknown key', () => ({ authorization: `Bearer ${UNKNOWN_KEY}` })],
  ['a malformed key', () => ({ authorization: 'Bearer slk_short' })],
  ['a Stripe key', () => ({ authorization: 'Bearer sk_test_51SluiceTestKey000000000000abcd' })],
];

for (const [label, headers] of badAuthorizations) {
  test(`every /api route answers a bare 401 to ${label}`, async () => {
    const stripeCalls = h.emulator.requests().length;
    for (const [method, route, body] of routes()) {
      const res = await fetch(`${h.sluice.url}${route}`, {
        method,
        headers: { ...headers(), ...(body !== undefined && { 'content-type': 'application/json' }) },
        ...(body !== undefined && { body: JSON.stringify(body) }),
      });
      const where = `${method} ${route} with ${label}`;
      assert.equal(res.status, 401, where);
      assert.match(String(res.headers.get('content-type')), /^application\/json/, where);
      const json = (await res.json()) as { error: { message: string } };
      assert.deepEqual(Object.keys(json), ['error'], where);
      assert.deepEqual(Object.keys(json.error), ['message'], where);
      assert.equal(typeof json.error.message, 'string');
      assert.ok(json.error.message.length > 0);
    }
    // Nothing happened: no Stripe call, the connection and account are intact.
    assert.equal(h.emulator.requests().length, stripeCalls, 'an unauthorized request reached Stripe');
    const conn = await h.api<{ name: string }>('GET', `/api/connections/${ids.connection}`);
    assert.equal(conn.status, 200);
    assert.equal(conn.body.name, 'Auth');
    assert.equal((await h.api('GET', `/api/accounts/${ids.account}`)).status, 200);
  });
}

test('the 401 is the same whatever was wrong, so it reveals nothing', async () => {
  const answers = new Set<string>();
  for (const [, headers] of badAuthorizations) {
    const res = await fetch(`${h.sluice.url}/api/accounts`, { headers: headers() });
    answers.add(`${res.status} ${await res.text()}`);
  }
  assert.equal(answers.size, 1, [...answers].join('\n'));
});

test('an unauthorized request is refused before its body is read', async () => {
  const res = await fetch(`${h.sluice.url}/api/accounts`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: '{not json',
  });
  assert.equal(res.status, 401);
});

test('/health needs no key', async () => {
  const res = await fetch(`${h.sluice.url}/health`);
  assert.equal(res.status, 200);
  assert.deepEqual(await res.json(), { ok: true });
});

test('api-key create prints exactly one line, the key', () => {
  assert.match(cliStdout, /^slk_[A-Za-z0-9_-]{43}\n$/);
  assert.equal(cliStdout.split('\n').length, 2);
});

test('a key made by the CLI works against a Sluice on the same data dir', async () => {
  const res = await fetch(`${h.sluice.url}/api/accounts`, { headers: { authorization: `Bearer ${cliKey}` } });
  assert.equal(res.status, 200);
  const body = (await res.json()) as { data: { id: string }[] };
  assert.ok(body.data.some((a) => a.id === ids.account));
  // The scheme is case-insensitive, as HTTP says.
  const lower = await fetch(`${h.sluice.url}/api/catalog`, { headers: { authorization: `bearer ${cliKey}` } });
  assert.equal(lower.status, 200);
});

test('api-key list never shows a key, and a key revoked with the CLI is refused at once', async () => {
  const ci = (await listApiKeys(h.sluice.engine.db)).find((k) => k.name === 'ci');
  assert.ok(ci);
  // Both CLI calls at once (each starts a Node process); the list is checked on the harness's key.
  const [listed] = await Promise.all([cli(dataDir, 'api-key', 'list'), cli(dataDir, 'api-key', 'revoke', ci.id)]);
  const line = listed.stdout.split('\n').find((l) => l.endsWith('\ttest') || l.includes('\ttest\t'));
  assert.ok(line, listed.stdout);
  assert.ok(line.includes(h.apiKey.slice(0, 10)), 'the list does not show the key prefix');
  assert.ok(!listed.stdout.includes(h.apiKey), 'api-key list printed a whole key');
  assert.ok(!listed.stdout.includes(cliKey), 'api-key list printed a whole key');

  const res = await fetch(`${h.sluice.url}/api/accounts`, { headers: { authorization: `Bearer ${cliKey}` } });
  assert.equal(res.status, 401);
  // The other key is untouched.
  assert.equal((await h.api('GET', '/api/accounts')).status, 200);
});
