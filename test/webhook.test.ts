import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startHarness, waitFor, type Harness } from './support/harness.js';

/**
 * Webhook sources: forms and services post rows to /hooks/<token>. A row is in the ledger before
 * the 2xx (invariant 2), delivered at once without a forced run, once per Idempotency-Key; bad
 * posts get a clear 4xx and never bring the server down.
 */

const MAX_BYTES = 2048;
let h: Harness;
let accountId: string;
/** Connection ids and hook URLs: `json` maps nested JSON, `form` has a thank-you page, `plain` has none. */
const hooks: Record<'json' | 'form' | 'plain', { id: string; hookUrl: string }> = {} as never;

interface Customer {
  id: string;
  email: string | null;
  name: string | null;
  metadata: Record<string, string>;
}
const customersByEmail = (email: string) => (h.emulator.objects('customer') as Customer[]).filter((c) => c.email === email);
const waitForCustomer = (email: string) => waitFor(`a customer ${email} in Stripe`, () => customersByEmail(email)[0], 8000);

/** The hook URL on the address the test server really listens on (the path is what identifies it). */
const hookUrlOf = (which: keyof typeof hooks) => `${h.sluice.url}${new URL(hooks[which].hookUrl).pathname}`;

function post(url: string, body: string, headers: Record<string, string> = {}) {
  return fetch(url, { method: 'POST', headers, body, redirect: 'manual' });
}
const postJson = (url: string, value: unknown, headers: Record<string, string> = {}) =>
  post(url, JSON.stringify(value), { 'content-type': 'application/json', ...headers });

before(async () => {
  h = await startHarness({ env: { SLUICE_WEBHOOK_MAX_BYTES: String(MAX_BYTES) } });
  accountId = await h.account();
  const make = async (source: Record<string, unknown>, mapping: Record<string, string>) => {
    const c = await h.connection({
      name: 'Hook',
      source: { type: 'webhook', ...source },
      action: 'stripe.create_customer',
      accountId,
      mapping,
    });
    assert.ok(c.hookUrl, 'a webhook connection has a hookUrl');
    return { id: c.id, hookUrl: c.hookUrl };
  };
  hooks.json = await make(
    {},
    { email: '{{customer.email}}', name: '{{customer.name.first}} {{customer.name.last}}', 'metadata.plan': '{{plan}}' },
  );
  hooks.form = await make({ thankYouUrl: 'https://example.com/thanks?from=form' }, { email: '{{email}}', name: '{{name}}' });
  hooks.plain = await make({}, { email: '{{email}}', name: '{{name}}' });
});
after(() => h.close());

test('a webhook connection has an unguessable hookUrl of its own, kept across edits', async () => {
  const urls = Object.values(hooks).map((x) => x.hookUrl);
  assert.equal(new Set(urls).size, 3);
  for (const url of urls) assert.match(new URL(url).pathname, /^\/hooks\/[A-Za-z0-9_-]{32,}$/);
  const patched = await h.api<{ hookUrl: string }>('PATCH', `/api/connections/${hooks.plain.id}`, { name: 'Renamed hook' });
  assert.equal(patched.status, 200);
  assert.equal(patched.body.hookUrl, hooks.plain.hookUrl);
  const one = await h.api<{ hookUrl: string }>('GET', `/api/connections/${hooks.plain.id}`);
  assert.equal(one.body.hookUrl, hooks.plain.hookUrl);
});

test('the hookUrl points at the address Sluice listens on', () => {
  assert.equal(new URL(hooks.json.hookUrl).origin, new URL(h.sluice.url).origin);
});

test('a JSON post is accepted with 202 and delivered without a forced run, nested fields mapped', async () => {
  const res = await postJson(hookUrlOf('json'), {
    customer: { email: 'nested@hooks.example', name: { first: 'Ada', last: 'Lovelace' } },
    plan: 'pro',
  });
  assert.equal(res.status, 202);
  const body = (await res.json()) as { accepted: boolean; rowKey: string };
  assert.equal(body.accepted, true);
  assert.equal(typeof body.rowKey, 'string');
  assert.ok(body.rowKey.length > 0);

  const customer = await waitForCustomer('nested@hooks.example');
  assert.equal(customer.name, 'Ada Lovelace');
  assert.equal(customer.metadata.plan, 'pro');
  // The row is in the ledger under the key the answer gave, and is sent.
  const rows = await h.api<{ data: { rowKey: string; status: string; stripeId: string | null }[] }>(
    'GET',
    `/api/connections/${hooks.json.id}/rows`,
  );
  const row = await waitFor('the row to be recorded as sent', async () => {
    const r = (
      await h.api<{ data: { rowKey: string; status: string; stripeId: string | null }[] }>('GET', `/api/connections/${hooks.json.id}/rows`)
    ).body.data.find((x) => x.rowKey === body.rowKey);
    return r?.status === 'sent' ? r : undefined;
  });
  assert.ok(
    rows.body.data.some((x) => x.rowKey === body.rowKey),
    'the row was not in the ledger',
  );
  assert.equal(row.stripeId, customer.id);
  assert.equal(customersByEmail('nested@hooks.example').length, 1);
});

test('an HTML form post from a browser is redirected (303) to the thank-you page', async () => {
  const res = await post(hookUrlOf('form'), new URLSearchParams({ email: 'form@hooks.example', name: 'Form Filler' }).toString(), {
    'content-type': 'application/x-www-form-urlencoded',
    accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8',
    origin: 'https://landing.example',
  });
  assert.equal(res.status, 303);
  assert.equal(res.headers.get('location'), 'https://example.com/thanks?from=form');
  const customer = await waitForCustomer('form@hooks.example');
  assert.equal(customer.name, 'Form Filler');
});

test('without a thank-you page a browser gets a short HTML page', async () => {
  const res = await post(hookUrlOf('plain'), 'email=page%40hooks.example&name=P%C3%A4ge+Turner', {
    'content-type': 'application/x-www-form-urlencoded',
    accept: 'text/html',
  });
  assert.equal(res.status, 200);
  assert.match(String(res.headers.get('content-type')), /^text\/html/);
  assert.match(await res.text(), /<html[\s\S]*Thank you/i);
  const customer = await waitForCustomer('page@hooks.example');
  assert.equal(customer.name, 'Päge Turner');
});

test('a form post from a script (no text/html accepted) gets the JSON answer', async () => {
  const res = await post(hookUrlOf('form'), 'email=script%40hooks.example&name=Script', {
    'content-type': 'application/x-www-form-urlencoded',
  });
  assert.equal(res.status, 202);
  assert.equal(((await res.json()) as { accepted: boolean }).accepted, true);
  await waitForCustomer('script@hooks.example');
});

test('the same Idempotency-Key twice makes one row and one customer', async () => {
  const send = () => postJson(hookUrlOf('plain'), { email: 'once@hooks.example', name: 'Once' }, { 'idempotency-key': 'order-778' });
  const first = await send();
  assert.equal(first.status, 202);
  const a = (await first.json()) as { rowKey: string };
  await waitForCustomer('once@hooks.example');
  const second = await send();
  assert.equal(second.status, 202);
  const b = (await second.json()) as { rowKey: string; duplicate?: boolean };
  assert.equal(b.rowKey, a.rowKey);
  // A third post while nothing else is queued: wait for the connection's runs to settle, then count.
  await waitFor('no queued or running run', async () => {
    const runs = await h.api<{ data: { status: string }[] }>('GET', `/api/connections/${hooks.plain.id}/runs`);
    return runs.body.data.every((r) => r.status !== 'queued' && r.status !== 'running') ? true : undefined;
  });
  const rows = await h.api<{ data: { rowKey: string }[] }>('GET', `/api/connections/${hooks.plain.id}/rows`);
  assert.equal(rows.body.data.filter((r) => r.rowKey === a.rowKey).length, 1);
  assert.equal(customersByEmail('once@hooks.example').length, 1);
});

test('malformed posts get a 4xx with a reason, and record nothing', async () => {
  const url = hookUrlOf('plain');
  const before = (await h.api<{ data: unknown[] }>('GET', `/api/connections/${hooks.plain.id}/rows`)).body.data.length;
  const cases: [string, () => Promise<Response>, number, RegExp][] = [
    ['malformed JSON', () => post(url, '{"email": "x@hooks.example",', { 'content-type': 'application/json' }), 400, /JSON/],
    ['a JSON array', () => postJson(url, [{ email: 'array@hooks.example' }]), 400, /array/],
    ['a JSON string', () => postJson(url, 'just text'), 400, /object/],
    ['a JSON number', () => postJson(url, 42), 400, /object/],
    ['text/plain', () => post(url, 'email=x', { 'content-type': 'text/plain' }), 415, /Content-Type/],
    ['an XML body', () => post(url, '<email>x</email>', { 'content-type': 'application/xml' }), 415, /Content-Type/],
    [
      'a body over the limit',
      () => postJson(url, { email: 'big@hooks.example', note: 'x'.repeat(MAX_BYTES) }),
      413,
      new RegExp(`${MAX_BYTES}`),
    ],
    [
      'a form body over the limit',
      () => post(url, `email=big&note=${'x'.repeat(MAX_BYTES)}`, { 'content-type': 'application/x-www-form-urlencoded' }),
      413,
      /large/,
    ],
    [
      'an Idempotency-Key that is too long',
      () => postJson(url, { email: 'k@hooks.example' }, { 'idempotency-key': 'k'.repeat(300) }),
      400,
      /Idempotency-Key/,
    ],
  ];
  for (const [label, send, status, reason] of cases) {
    const res = await send();
    assert.equal(res.status, status, label);
    const body = (await res.json()) as { error: { message: string } };
    assert.match(body.error.message, reason, `${label}: ${body.error.message}`);
  }
  const after = (await h.api<{ data: unknown[] }>('GET', `/api/connections/${hooks.plain.id}/rows`)).body.data.length;
  assert.equal(after, before, 'a refused post was recorded as a row');
});

test('an empty body or JSON null is not a row', async () => {
  const url = hookUrlOf('plain');
  const nullBody = await post(url, 'null', { 'content-type': 'application/json' });
  assert.equal(nullBody.status, 400);
  const empty = await fetch(url, { method: 'POST' });
  assert.equal(empty.status, 400);
  const rows = await h.api<{ data: { fields: Record<string, string> }[] }>('GET', `/api/connections/${hooks.plain.id}/rows`);
  assert.ok(
    rows.body.data.every((r) => Object.keys(r.fields).length > 0),
    'an empty row was recorded',
  );
});

test('an unknown token is a 404', async () => {
  const res = await postJson(`${h.sluice.url}/hooks/${'A'.repeat(32)}`, { email: 'lost@hooks.example' });
  assert.equal(res.status, 404);
  assert.match(((await res.json()) as { error: { message: string } }).error.message, /hook/);
  assert.equal((await post(`${h.sluice.url}/hooks/`, '{}', { 'content-type': 'application/json' })).status, 404);
});

test('a cross-origin preflight is allowed, and so is the post that follows', async () => {
  const preflight = await fetch(hookUrlOf('plain'), {
    method: 'OPTIONS',
    headers: {
      origin: 'https://landing.example',
      'access-control-request-method': 'POST',
      'access-control-request-headers': 'content-type,idempotency-key',
    },
  });
  assert.ok(preflight.status === 204 || preflight.status === 200, `preflight ${preflight.status}`);
  const allowOrigin = preflight.headers.get('access-control-allow-origin');
  assert.ok(allowOrigin === '*' || allowOrigin === 'https://landing.example', `allow-origin ${allowOrigin}`);
  assert.match(String(preflight.headers.get('access-control-allow-methods')), /POST/);
  assert.match(String(preflight.headers.get('access-control-allow-headers')).toLowerCase(), /content-type/);
  assert.match(String(preflight.headers.get('access-control-allow-headers')).toLowerCase(), /idempotency-key/);

  const res = await postJson(hookUrlOf('plain'), { email: 'cors@hooks.example', name: 'Cors' }, { origin: 'https://landing.example' });
  assert.equal(res.status, 202);
  const origin = res.headers.get('access-control-allow-origin');
  assert.ok(origin === '*' || origin === 'https://landing.example', `allow-origin ${origin}`);
  await waitForCustomer('cors@hooks.example');
});

test('the API itself is not opened to other origins by the hooks’ CORS', async () => {
  const res = await fetch(`${h.sluice.url}/api/accounts`, {
    headers: { origin: 'https://evil.example', authorization: `Bearer ${h.apiKey}` },
  });
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('access-control-allow-origin'), null);
});

test('the server stays up after all of this, and still takes rows', async () => {
  const health = await fetch(`${h.sluice.url}/health`);
  assert.equal(health.status, 200);
  const res = await postJson(hookUrlOf('json'), {
    customer: { email: 'last@hooks.example', name: { first: 'Last', last: 'One' } },
    plan: 'basic',
  });
  assert.equal(res.status, 202);
  assert.equal((await waitForCustomer('last@hooks.example')).name, 'Last One');
});
