import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { bodiesOf, csv, LIVE_KEY, startHarness, type Harness, type RunBody } from './support/harness.js';

/**
 * A CSV connection end to end: preview (which writes nothing and shows the exact request), runs,
 * exactly-once across re-runs and edits, row-level errors and their replay, startFrom "new".
 */

let h: Harness;
let accountId: string;
let files: string;

before(async () => {
  h = await startHarness();
  accountId = await h.account();
  // Files given by path are in the import folder, the only place a CSV path is read from.
  files = h.importDir;
});
after(async () => {
  await h.close();
});

interface Customer {
  id: string;
  email: string | null;
  name: string | null;
  description: string | null;
  metadata: Record<string, string>;
}
interface PreviewBody {
  rows: {
    rowKey: string;
    fields: Record<string, string>;
    values: Record<string, string>;
    ok: boolean;
    errors: { field: string; message: string }[];
    requests: { method: string; path: string; body?: string }[];
  }[];
}
interface RowsBody {
  data: { rowKey: string; status: string; stripeId: string | null; error: string | null; fields: Record<string, string> }[];
}

const customers = () => h.emulator.objects('customer') as Customer[];
const customersByEmail = (email: string) => customers().filter((c) => c.email === email);

function createConnection(source: Record<string, unknown>, mapping: Record<string, string>, extra: Record<string, unknown> = {}) {
  return h.connection({ name: 'CSV', source: { type: 'csv', ...source }, action: 'stripe.create_customer', accountId, mapping, ...extra });
}

async function rows(connectionId: string, status?: string) {
  const { status: code, body } = await h.api<RowsBody>('GET', `/api/connections/${connectionId}/rows${status ? `?status=${status}` : ''}`);
  assert.equal(code, 200);
  return body.data;
}

async function retryFailed(runId: string): Promise<RunBody> {
  const { status, body } = await h.api<{ runId: string }>('POST', `/api/runs/${runId}/retry-failed`);
  assert.equal(status, 202, JSON.stringify(body));
  return h.waitForRun(body.runId);
}

test('preview shows each row with the exact form body that a run then sends, and writes nothing', async () => {
  const content = csv([
    { Email: 'preview1@example.com', First: 'Ада', Last: 'Lovelace & Co', 'Order #': 'A-17+1' },
    { Email: 'preview2@example.com', First: 'Alan', Last: 'Turing', 'Order #': 'B 2/3' },
    { Email: 'preview3@example.com', First: 'Grace', Last: 'Hopper', 'Order #': '100%' },
  ]);
  const c = await createConnection(
    { content },
    // if_exists create: one POST a row (the default skip plans an email lookup first).
    { email: '{{Email}}', name: '{{First}} {{Last}}', 'metadata.order': '{{Order #}}', preferred_locales: 'uk, en', if_exists: 'create' },
  );
  const stripeBefore = h.emulator.requests().length;

  const { status, body } = await h.api<PreviewBody>('POST', `/api/connections/${c.id}/preview`, {});
  assert.equal(status, 200, JSON.stringify(body));
  assert.equal(body.rows.length, 3);
  const first = body.rows[0];
  assert.ok(first);
  assert.deepEqual(first.fields, { Email: 'preview1@example.com', First: 'Ада', Last: 'Lovelace & Co', 'Order #': 'A-17+1' });
  assert.equal(first.values.name, 'Ада Lovelace & Co');
  assert.equal(first.values['metadata.order'], 'A-17+1');
  assert.equal(first.ok, true);
  assert.deepEqual(first.errors, []);
  assert.equal(first.requests.length, 1);
  assert.equal(first.requests[0]?.method, 'POST');
  assert.equal(first.requests[0]?.path, '/v1/customers');
  assert.match(String(first.requests[0]?.body), /metadata\[sluice_row\]=/);

  // Preview writes nothing: no Stripe call, no ledger row, no run.
  assert.equal(h.emulator.requests().length, stripeBefore, 'preview called Stripe');
  assert.deepEqual(await rows(c.id), []);
  const runs = await h.api<{ data: unknown[] }>('GET', `/api/connections/${c.id}/runs`);
  assert.deepEqual(runs.body.data, []);
  // Previewing again gives the same answer (nothing moved).
  assert.deepEqual((await h.api<PreviewBody>('POST', `/api/connections/${c.id}/preview`, {})).body, body);

  const run = await h.run(c.id);
  assert.equal(run.status, 'succeeded', JSON.stringify(run));
  assert.equal(run.counts.sent, 3);

  // Each row reached Stripe with exactly the body the preview showed (in any order: rows go out
  // several at a time).
  const sent = bodiesOf(h.emulator, 'POST', '/v1/customers').slice(-3);
  assert.deepEqual(sent.sort(), body.rows.map((r) => r.requests[0]?.body).sort());
  const ada = customersByEmail('preview1@example.com')[0];
  assert.equal(ada?.name, 'Ада Lovelace & Co');
  assert.equal(ada?.metadata.order, 'A-17+1');
  assert.equal(customersByEmail('preview3@example.com')[0]?.metadata.order, '100%');

  // The preview now says these rows were sent.
  const again = await h.api<{ rows: { ledger?: { status: string; stripeId: string } }[] }>('POST', `/api/connections/${c.id}/preview`, {});
  assert.deepEqual(
    again.body.rows.map((r) => r.ledger?.status),
    ['sent', 'sent', 'sent'],
  );
  assert.equal(again.body.rows[0]?.ledger?.stripeId, ada?.id);
});

test('preview shows a bad row with its field errors and no request', async () => {
  const content = csv([
    { Email: 'fine@example.com', Locales: 'uk' },
    { Email: 'not-an-email', Locales: 'english' },
  ]);
  const c = await createConnection({ content }, { email: '{{Email}}', preferred_locales: '{{Locales}}' });
  const { body } = await h.api<PreviewBody>('POST', `/api/connections/${c.id}/preview`, { limit: 10 });
  const bad = body.rows[1];
  assert.ok(bad);
  assert.equal(bad.ok, false);
  assert.deepEqual(bad.requests, []);
  const fields = bad.errors.map((e) => e.field).sort();
  assert.deepEqual(fields, ['email', 'preferred_locales']);
  assert.match(bad.errors.find((e) => e.field === 'email')?.message ?? '', /^email: "not-an-email" /);
  assert.match(bad.errors.find((e) => e.field === 'preferred_locales')?.message ?? '', /"english"/);
  assert.equal(body.rows[0]?.ok, true);
  assert.deepEqual(await rows(c.id), []);
});

test('preview shows at most 10 rows', async () => {
  const many = Array.from({ length: 14 }, (_, i) => ({ Email: `many${i}@example.com` }));
  const c = await createConnection({ content: csv(many) }, { email: '{{Email}}' });
  const { body } = await h.api<PreviewBody>('POST', `/api/connections/${c.id}/preview`, {});
  assert.equal(body.rows.length, 10);
  const three = await h.api<PreviewBody>('POST', `/api/connections/${c.id}/preview`, { limit: 3 });
  assert.equal(three.body.rows.length, 3);
  assert.equal((await h.api('POST', `/api/connections/${c.id}/preview`, { limit: 11 })).status, 400);
});

test('a CSV with a BOM, CRLF, quoted commas and a quoted line break reaches Stripe with the exact values', async () => {
  const content =
    '\uFEFFEmail,Name,Note\r\n' +
    'bom1@example.com,"Lovelace, Ada","first line\nsecond line"\r\n' +
    'bom2@example.com,"Say ""hi""",plain\r\n';
  const c = await createConnection({ content }, { email: '{{Email}}', name: '{{Name}}', description: '{{Note}}' });
  const run = await h.run(c.id);
  assert.equal(run.status, 'succeeded', JSON.stringify(run));
  assert.equal(run.counts.sent, 2);
  const one = customersByEmail('bom1@example.com');
  assert.equal(one.length, 1);
  assert.equal(one[0]?.name, 'Lovelace, Ada');
  assert.equal(one[0]?.description, 'first line\nsecond line');
  assert.equal(customersByEmail('bom2@example.com')[0]?.name, 'Say "hi"');
  assert.equal(customersByEmail('bom2@example.com')[0]?.description, 'plain');
});

test('a second run sends nothing new', async () => {
  const content = csv([{ Email: 'twice1@example.com' }, { Email: 'twice2@example.com' }]);
  const c = await createConnection({ content }, { email: '{{Email}}' });
  const first = await h.run(c.id);
  assert.equal(first.counts.sent, 2);
  const posts = bodiesOf(h.emulator, 'POST', '/v1/customers').length;
  const second = await h.run(c.id);
  assert.equal(second.status, 'succeeded');
  assert.deepEqual({ sent: second.counts.sent, failed: second.counts.failed }, { sent: 0, failed: 0 });
  assert.equal(bodiesOf(h.emulator, 'POST', '/v1/customers').length, posts, 'the second run called Stripe');
  assert.equal(customersByEmail('twice1@example.com').length, 1);
  assert.equal(customersByEmail('twice2@example.com').length, 1);
});

test('a bad row fails alone with a message naming the field and the value; retry and a fixed mapping send it', async () => {
  const content = csv([
    { Email: 'good1@example.com', Name: 'Good One' },
    { Email: 'not-an-email', Name: 'Bad Row' },
    { Email: 'good2@example.com', Name: 'Good Two' },
  ]);
  const c = await createConnection({ content }, { email: '{{Email}}', name: '{{Name}}' });
  const run = await h.run(c.id);
  assert.equal(run.status, 'partial', JSON.stringify(run));
  assert.deepEqual({ sent: run.counts.sent, failed: run.counts.failed }, { sent: 2, failed: 1 });
  const failed = run.rows.filter((r) => r.status === 'failed');
  assert.equal(failed.length, 1);
  const message = String(failed[0]?.error);
  assert.match(message, /^email: "not-an-email" is not an email address/);
  assert.equal(failed[0]?.stripeId, null);
  assert.equal(customersByEmail('good1@example.com').length, 1);
  assert.equal(customersByEmail('good2@example.com').length, 1);
  assert.equal(customers().filter((c) => c.name === 'Bad Row').length, 0);

  // Replaying without fixing anything fails the same way, and sends nothing else again.
  const posts = bodiesOf(h.emulator, 'POST', '/v1/customers').length;
  const retry = await retryFailed(run.id);
  assert.equal(retry.status, 'failed', JSON.stringify(retry));
  assert.deepEqual({ sent: retry.counts.sent, failed: retry.counts.failed }, { sent: 0, failed: 1 });
  assert.equal(retry.rows.length, 1);
  assert.equal(retry.rows[0]?.error, message);
  assert.equal(bodiesOf(h.emulator, 'POST', '/v1/customers').length, posts);

  // A mapping that makes the value valid (it goes to the description) lets the replay send it.
  const patched = await h.api('PATCH', `/api/connections/${c.id}`, { mapping: { name: '{{Name}}', description: '{{Email}}' } });
  assert.equal(patched.status, 200, JSON.stringify(patched.body));
  const fixed = await retryFailed(retry.id);
  assert.equal(fixed.status, 'succeeded', JSON.stringify(fixed));
  assert.equal(fixed.counts.sent, 1);
  assert.equal(fixed.rows.length, 1);
  const bad = customers().filter((x) => x.name === 'Bad Row');
  assert.equal(bad.length, 1);
  assert.equal(bad[0]?.description, 'not-an-email');
  assert.equal(fixed.rows[0]?.stripeId, bad[0]?.id);
  // The good rows were not sent again by any of this.
  assert.equal(customersByEmail('good1@example.com').length, 1);
  assert.equal(customersByEmail('good2@example.com').length, 1);
  // Nothing is left to retry.
  assert.equal((await h.api('POST', `/api/runs/${fixed.id}/retry-failed`)).status, 409);
});

test('with a key column, a failed row fixed in the file is sent, and a sent row edited later is not sent again', async () => {
  const file = path.join(files, 'orders.csv');
  const write = (r: Record<string, string>[]) => fs.writeFileSync(file, csv(r));
  write([
    { 'Order #': 'A-1', Email: 'keyed1@example.com', Name: 'Keyed One' },
    { 'Order #': 'A-2', Email: 'keyed2@example', Name: 'Keyed Two' },
  ]);
  const c = await createConnection({ path: file, keyColumn: 'Order #' }, { email: '{{Email}}', name: '{{Name}}' });
  const first = await h.run(c.id);
  assert.equal(first.status, 'partial', JSON.stringify(first));
  assert.deepEqual(
    first.rows.map((r) => [r.rowKey, r.status]),
    [
      ['A-1', 'sent'],
      ['A-2', 'failed'],
    ],
  );
  assert.match(String(first.rows[1]?.error), /^email: "keyed2@example"/);

  // Fix row A-2 and edit the already sent row A-1.
  write([
    { 'Order #': 'A-1', Email: 'keyed1-edited@example.com', Name: 'Keyed One, edited' },
    { 'Order #': 'A-2', Email: 'keyed2@example.com', Name: 'Keyed Two' },
  ]);
  const second = await h.run(c.id);
  assert.equal(second.status, 'succeeded', JSON.stringify(second));
  assert.deepEqual(
    second.rows.map((r) => [r.rowKey, r.status]),
    [['A-2', 'sent']],
  );
  assert.equal(customersByEmail('keyed2@example.com').length, 1);
  assert.equal(customersByEmail('keyed1-edited@example.com').length, 0, 'an edited row that was sent was sent again');
  assert.equal(customersByEmail('keyed1@example.com').length, 1);

  const ledger = await rows(c.id);
  assert.deepEqual(
    ledger.map((r) => [r.rowKey, r.status]),
    [
      ['A-1', 'sent'],
      ['A-2', 'sent'],
    ],
  );
  const third = await h.run(c.id);
  assert.equal(third.counts.sent, 0);
});

test('startFrom "new" sends only the rows added to the file after the connection was made', async () => {
  const file = path.join(files, 'signups.csv');
  const old = [
    { Email: 'old1@example.com', Name: 'Old' },
    { Email: 'old2@example.com', Name: 'Old' },
  ];
  fs.writeFileSync(file, csv(old));
  const c = await createConnection({ path: file }, { email: '{{Email}}', name: '{{Name}}' }, { startFrom: 'new' });
  const nothing = await h.run(c.id);
  assert.equal(nothing.counts.sent, 0);
  assert.equal(customersByEmail('old1@example.com').length, 0);

  fs.writeFileSync(file, csv([{ Email: 'new1@example.com', Name: 'New' }, ...old, { Email: 'new2@example.com', Name: 'New' }]));
  const run = await h.run(c.id);
  assert.equal(run.status, 'succeeded', JSON.stringify(run));
  assert.equal(run.counts.sent, 2);
  assert.equal(customersByEmail('new1@example.com').length, 1);
  assert.equal(customersByEmail('new2@example.com').length, 1);
  assert.equal(customersByEmail('old1@example.com').length, 0);
  assert.equal(customersByEmail('old2@example.com').length, 0);
  assert.equal((await rows(c.id, 'skipped')).length, 2);
  assert.equal((await rows(c.id, 'sent')).length, 2);
});

test('startFrom "new" on a file that cannot be read is refused at save', async () => {
  const { status, body } = await h.api<{ error: { message: string } }>('POST', '/api/connections', {
    name: 'Missing file',
    source: { type: 'csv', path: path.join(files, 'nope.csv') },
    action: 'stripe.create_customer',
    accountId,
    mapping: { email: '{{Email}}' },
    startFrom: 'new',
  });
  assert.equal(status, 400);
  assert.equal(
    body.error.message,
    `source: could not be read to note its existing rows (startFrom "new"): CSV file "nope.csv" was not found in the import folder ${h.importDir}`,
  );
  const list = await h.api<{ data: { name: string }[] }>('GET', '/api/connections');
  assert.ok(!list.body.data.some((c) => c.name === 'Missing file'), 'the refused connection was kept');
});

test('runs are listed per connection, and a run shows its counts and rows', async () => {
  const content = csv([{ Email: 'listed1@example.com' }, { Email: 'listed2@example.com' }]);
  const c = await createConnection({ content }, { email: '{{Email}}' });
  const a = await h.run(c.id);
  const b = await h.run(c.id);
  const { status, body } = await h.api<{ data: { id: string; connectionId: string; status: string; counts: Record<string, number> }[] }>(
    'GET',
    `/api/connections/${c.id}/runs`,
  );
  assert.equal(status, 200);
  assert.deepEqual(body.data.map((r) => r.id).sort(), [a.id, b.id].sort());
  assert.ok(body.data.every((r) => r.connectionId === c.id && r.status === 'succeeded'));

  const one = await h.api<RunBody>('GET', `/api/runs/${a.id}`);
  assert.equal(one.status, 200);
  assert.equal(one.body.id, a.id);
  assert.equal(one.body.connectionId, c.id);
  assert.equal(one.body.status, 'succeeded');
  assert.deepEqual(
    { sent: one.body.counts.sent, failed: one.body.counts.failed, skipped: one.body.counts.skipped },
    { sent: 2, failed: 0, skipped: 0 },
  );
  assert.equal(one.body.rows.length, 2);
  for (const row of one.body.rows) {
    assert.deepEqual(
      Object.keys(row)
        .filter((k) => ['rowKey', 'status', 'stripeId', 'error'].includes(k))
        .sort(),
      ['error', 'rowKey', 'status', 'stripeId'],
    );
    assert.equal(row.status, 'sent');
    assert.equal(row.error, null);
    assert.match(String(row.stripeId), /^cus_/);
  }
  const ids = customers()
    .filter((x) => x.email?.startsWith('listed'))
    .map((x) => x.id);
  assert.deepEqual(one.body.rows.map((r) => r.stripeId).sort(), ids.sort());
  assert.equal((await h.api('GET', '/api/runs/run_nope')).status, 404);
  assert.equal((await h.api('GET', '/api/connections/con_nope/runs')).status, 404);
});

test("a row with a Stripe object links to its Dashboard page, in the mode of the connection's account; a failed row has no link", async () => {
  type LinkedRow = { rowKey: string; status: string; stripeId: string | null; dashboardUrl?: string | null };
  const content = csv([{ Email: 'linked@example.com' }, { Email: 'not-linked' }]);
  const c = await createConnection({ content }, { email: '{{Email}}' });
  const run = await h.run(c.id);
  assert.equal(run.status, 'partial', JSON.stringify(run));

  const one = await h.api<{ rows: LinkedRow[] }>('GET', `/api/runs/${run.id}`);
  const sent = one.body.rows.find((r) => r.status === 'sent');
  assert.match(String(sent?.stripeId), /^cus_/);
  assert.equal(sent?.dashboardUrl, `https://dashboard.stripe.com/test/customers/${sent?.stripeId}`);
  const failed = one.body.rows.find((r) => r.status === 'failed');
  assert.equal(failed?.stripeId, null);
  assert.ok(!('dashboardUrl' in (failed ?? {})), 'a row without a Stripe object has no dashboardUrl');

  // The connection's row ledger carries the same link.
  const ledger = await h.api<{ data: LinkedRow[] }>('GET', `/api/connections/${c.id}/rows?status=sent`);
  assert.equal(ledger.body.data[0]?.dashboardUrl, sent?.dashboardUrl);

  // A live account's objects open in the live Dashboard (no /test/).
  const live = await h.connection({
    name: 'CSV live',
    source: { type: 'csv', content: csv([{ Email: 'linked-live@example.com' }]) },
    action: 'stripe.create_customer',
    accountId: await h.account(LIVE_KEY),
    mapping: { email: '{{Email}}' },
  });
  const liveRun = await h.run(live.id);
  const liveRow = (await h.api<{ rows: LinkedRow[] }>('GET', `/api/runs/${liveRun.id}`)).body.rows[0];
  assert.equal(liveRow?.dashboardUrl, `https://dashboard.stripe.com/customers/${liveRow?.stripeId}`);
});
