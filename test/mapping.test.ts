import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { csv, startHarness, type Harness } from './support/harness.js';

/**
 * Bad configuration is refused when it is saved, with every problem listed at once, each naming
 * its field (DESIGN.md invariant 5). And the catalog that a UI builds its forms from.
 */

let h: Harness;
let accountId: string;

before(async () => {
  h = await startHarness();
  accountId = await h.account();
});
after(() => h.close());

interface ErrorBody {
  error: { message: string; errors?: { field: string; value?: string; message: string }[] };
}

const content = csv([{ Email: 'map@example.com', Amount: '5' }]);
const valid = () => ({
  name: 'Items',
  source: { type: 'csv', content },
  action: 'stripe.create_invoice_item',
  accountId,
  mapping: { customer: '{{Email}}', amount: '{{Amount}}', currency: 'usd' } as Record<string, unknown>,
});

async function refused(body: unknown, method = 'POST', route = '/api/connections') {
  const before = (await h.api<{ data: unknown[] }>('GET', '/api/connections')).body.data.length;
  const res = await h.api<ErrorBody>(method, route, body);
  assert.equal(res.status, 400, JSON.stringify(res.body));
  assert.ok(Array.isArray(res.body.error.errors), JSON.stringify(res.body));
  assert.equal((await h.api<{ data: unknown[] }>('GET', '/api/connections')).body.data.length, before, 'a refused connection was saved');
  const errors = res.body.error.errors ?? [];
  // The summary message carries every problem too.
  for (const e of errors) assert.ok(res.body.error.message.includes(e.message), `${e.message} is not in the message`);
  return errors;
}

type FieldProblem = { field: string; value?: string; message: string };
const byField = (errors: FieldProblem[], field: string) => errors.find((e) => e.field === field);

test('a valid connection is saved (the baseline the refusals below depart from)', async () => {
  const res = await h.api<{ id: string; mapping: Record<string, string> }>('POST', '/api/connections', valid());
  assert.equal(res.status, 201, JSON.stringify(res.body));
  assert.deepEqual(res.body.mapping, valid().mapping);
});

test('each problem alone is refused, naming its field and its value', async () => {
  const cases: [string, (b: ReturnType<typeof valid>) => void, string, string | undefined, RegExp][] = [
    [
      'unknown action field',
      (b) => (b.mapping.emial = '{{Email}}'),
      'mapping.emial',
      undefined,
      /is not a field of stripe\.create_invoice_item/,
    ],
    ['missing required field', (b) => delete b.mapping.customer, 'mapping.customer', undefined, /is required/],
    ['bad template', (b) => (b.mapping.description = '{{Email'), 'mapping.description', '{{Email', /never closed/],
    ['bad constant currency', (b) => (b.mapping.currency = 'dollars'), 'mapping.currency', 'dollars', /"dollars" is not a currency code/],
    ['bad constant customer', (b) => (b.mapping.customer = 'cus_x'), 'mapping.customer', 'cus_x', /"cus_x" is neither a customer id/],
    ['non-string template', (b) => (b.mapping.description = 42), 'mapping.description', '42', /template/],
    ['bad metadata key', (b) => (b.mapping['metadata.a[b]'] = 'x'), 'mapping.metadata.a[b]', 'x', /square brackets/],
    ['unknown accountId', (b) => (b.accountId = 'acc_nope'), 'accountId', 'acc_nope', /is not an account/],
    [
      'unknown source type',
      (b) => (b.source = { type: 'ftp' } as never),
      'source.type',
      'ftp',
      /is not a source type; use one of: csv, webhook/,
    ],
    ['unknown action', (b) => (b.action = 'stripe.refund'), 'action', 'stripe.refund', /is not an action; use one of: /],
    [
      'a thank-you page that is not http(s)',
      (b) => (b.source = { type: 'webhook', thankYouUrl: 'javascript:alert(1)' } as never),
      'source.thankYouUrl',
      'javascript:alert(1)',
      /http/,
    ],
  ];
  for (const [label, spoil, field, value, message] of cases) {
    const body = valid();
    spoil(body);
    const errors = await refused(body);
    const found = byField(errors, field);
    assert.ok(found, `${label}: no error for ${field} in ${JSON.stringify(errors)}`);
    assert.match(found.message, message, label);
    assert.ok(found.message.startsWith(`${field}: `), `${label}: ${found.message}`);
    assert.equal(found.value, value, label);
  }
});

test('a CSV source with two of path, url and content is refused', async () => {
  const body = valid();
  body.source = { type: 'csv', content, path: '/tmp/x.csv' } as never;
  const errors = await refused(body);
  assert.ok(
    errors.some((e) => e.field.startsWith('source.') && /only one of path, url or content/.test(e.message)),
    JSON.stringify(errors),
  );
});

test('an unknown account, source type or action is quoted in its message', async () => {
  const errors = await refused({ ...valid(), accountId: 'acc_nope', source: { type: 'ftp' }, action: 'stripe.refund' });
  assert.match(byField(errors, 'accountId')?.message ?? '', /^accountId: "acc_nope" is not an account/);
  assert.match(byField(errors, 'source.type')?.message ?? '', /^source\.type: "ftp" is not a source type/);
  assert.match(byField(errors, 'action')?.message ?? '', /^action: "stripe\.refund" is not an action/);
});

test('all the problems of one connection are listed at once, each with its field', async () => {
  const errors = await refused({
    name: 'Everything wrong',
    source: { type: 'ftp' },
    action: 'stripe.create_invoice_item',
    accountId: 'acc_nope',
    mapping: { emial: '{{Email}}', amount: '{{Amount', currency: 'dollars' },
  });
  const fields = errors.map((e) => e.field).sort();
  assert.deepEqual(fields, ['accountId', 'mapping.amount', 'mapping.currency', 'mapping.customer', 'mapping.emial', 'source.type']);
});

test("a problem with the body's shape is listed together with the mapping's problems", async () => {
  const errors = await refused({ ...valid(), name: '', mapping: { emial: '{{Email}}', amount: '1', currency: 'usd' } });
  assert.deepEqual(errors.map((e) => e.field).sort(), ['mapping.customer', 'mapping.emial', 'name']);
});

test('the problems that can be found together are listed together', async () => {
  // Everything above except the constant currency, which is checked once the templates parse.
  const errors = await refused({
    name: 'Much wrong',
    source: { type: 'ftp' },
    action: 'stripe.create_invoice_item',
    accountId: 'acc_nope',
    mapping: { emial: '{{Email}}', amount: '{{Amount', currency: 'usd' },
  });
  assert.deepEqual(errors.map((e) => e.field).sort(), ['accountId', 'mapping.amount', 'mapping.customer', 'mapping.emial', 'source.type']);
  assert.match(byField(errors, 'mapping.amount')?.message ?? '', /^mapping\.amount: the \{\{ at character 1 is never closed/);
  assert.equal(byField(errors, 'mapping.amount')?.value, '{{Amount');
  // The unknown field's message lists the fields that do exist.
  assert.match(byField(errors, 'mapping.emial')?.message ?? '', /customer, amount, currency/);
});

test('a body with unknown top-level fields is refused, naming them', async () => {
  const errors = await refused({ ...valid(), colour: 'blue' });
  assert.ok(
    errors.some((e) => e.message.includes('"colour"')),
    JSON.stringify(errors),
  );
});

test('a PATCH with a bad mapping is refused and leaves the connection as it was', async () => {
  const made = await h.connection(valid());
  const errors = await refused(
    { mapping: { customer: '{{Email}}', amount: '{{Amount}}', currency: 'dollars' } },
    'PATCH',
    `/api/connections/${made.id}`,
  );
  assert.ok(byField(errors, 'mapping.currency'), JSON.stringify(errors));
  const now = await h.api<{ mapping: Record<string, string> }>('GET', `/api/connections/${made.id}`);
  assert.equal(now.body.mapping.currency, 'usd');
  assert.equal((await h.api('PATCH', '/api/connections/con_nope', { name: 'x' })).status, 404);
});

test('a connection reads back as it was saved, and GET, PATCH and DELETE work on it', async () => {
  const made = await h.connection({ ...valid(), name: 'Round trip' });
  const one = await h.api<Record<string, unknown>>('GET', `/api/connections/${made.id}`);
  assert.equal(one.status, 200);
  assert.equal(one.body.name, 'Round trip');
  assert.equal(one.body.action, 'stripe.create_invoice_item');
  assert.equal(one.body.accountId, accountId);
  assert.deepEqual(one.body.source, { type: 'csv', content });
  assert.equal(one.body.startFrom, 'all');
  assert.equal(one.body.hookUrl, undefined);
  const patched = await h.api<Record<string, unknown>>('PATCH', `/api/connections/${made.id}`, {
    name: 'Renamed',
    mapping: { customer: 'cus_ABCDEF123456', amount: '1', currency: 'eur' },
  });
  assert.equal(patched.status, 200, JSON.stringify(patched.body));
  assert.equal(patched.body.name, 'Renamed');
  assert.deepEqual(patched.body.mapping, { customer: 'cus_ABCDEF123456', amount: '1', currency: 'eur' });
  const list = await h.api<{ data: { id: string; name: string }[] }>('GET', '/api/connections');
  assert.equal(list.body.data.find((c) => c.id === made.id)?.name, 'Renamed');
  assert.equal((await h.api('DELETE', `/api/connections/${made.id}`)).status, 204);
  assert.equal((await h.api('GET', `/api/connections/${made.id}`)).status, 404);
  assert.equal((await h.api('DELETE', `/api/connections/${made.id}`)).status, 404);
});

interface Catalog {
  actions: {
    key: string;
    title: string;
    fields: { key: string; type: string; required: boolean; label: string; help: string; example: string; currencyKey?: string }[];
  }[];
  sources: { type: string; mode: string; settings: { key: string }[] }[];
}

test('the catalog lists the four actions with their fields, and the csv, google_sheets and webhook sources', async () => {
  const { status, body } = await h.api<Catalog>('GET', '/api/catalog');
  assert.equal(status, 200);
  assert.deepEqual(body.actions.map((a) => a.key).sort(), [
    'stripe.create_customer',
    'stripe.create_invoice',
    'stripe.create_invoice_from_rows',
    'stripe.create_invoice_item',
  ]);
  // Rows of the grouped action make one invoice per invoice key: the catalog says by which field.
  assert.deepEqual(
    body.actions.map((a) => [a.key, (a as { grouped?: unknown }).grouped]).filter(([, g]) => g),
    [['stripe.create_invoice_from_rows', { by: 'invoice_key' }]],
  );
  for (const action of body.actions) {
    assert.ok(action.fields.length > 0, action.key);
    for (const f of action.fields) {
      for (const k of ['key', 'type', 'label', 'help', 'example'] as const) {
        assert.equal(typeof f[k], 'string', `${action.key} ${f.key}.${k}`);
        assert.ok(f[k].length > 0, `${action.key} ${f.key}.${k} is empty`);
      }
      assert.equal(typeof f.required, 'boolean', `${action.key} ${f.key}.required`);
    }
  }
  const fields = (key: string) => body.actions.find((a) => a.key === key)?.fields ?? [];
  const field = (key: string, name: string) => fields(key).find((f) => f.key === name);
  assert.equal(field('stripe.create_invoice_item', 'customer')?.required, true);
  assert.equal(field('stripe.create_invoice_item', 'amount')?.type, 'amount');
  assert.equal(field('stripe.create_invoice_item', 'amount')?.required, false);
  assert.equal(field('stripe.create_invoice', 'customer')?.required, true);
  assert.ok(field('stripe.create_customer', 'email'));
  assert.ok(field('stripe.create_customer', 'metadata.*'));
  assert.ok(
    fields('stripe.create_customer').every((f) => !f.required),
    'a customer needs no field',
  );
  // The money field says its unit (STYLE.md).
  assert.match(field('stripe.create_invoice_item', 'amount')?.help ?? '', /1250/);

  assert.deepEqual(body.sources.map((s) => s.type).sort(), ['csv', 'google_sheets', 'webhook']);
  const csvSource = body.sources.find((s) => s.type === 'csv');
  assert.equal(csvSource?.mode, 'pull');
  assert.deepEqual(
    csvSource?.settings
      .map((s) => s.key)
      .filter((k) => ['path', 'url', 'content', 'keyColumn'].includes(k))
      .sort(),
    ['content', 'keyColumn', 'path', 'url'],
  );
  const webhook = body.sources.find((s) => s.type === 'webhook');
  assert.equal(webhook?.mode, 'push');
  assert.ok(webhook?.settings.some((s) => s.key === 'thankYouUrl'));
});

test('every field the catalog lists is accepted in a mapping', async () => {
  const { body } = await h.api<Catalog>('GET', '/api/catalog');
  for (const action of body.actions) {
    for (const f of action.fields) {
      const key = f.key === 'metadata.*' ? 'metadata.note' : f.key;
      const mapping: Record<string, string> = { [key]: '{{X}}' };
      if (action.key === 'stripe.create_invoice_from_rows') {
        if (key !== 'invoice_key') mapping.invoice_key = '{{Order}}';
      } else if (action.key !== 'stripe.create_customer' && key !== 'customer') mapping.customer = '{{Email}}';
      if (f.currencyKey) mapping[f.currencyKey] = 'usd';
      const res = await h.api<ErrorBody>('POST', '/api/connections', {
        name: 'Catalog',
        source: { type: 'webhook' },
        action: action.key,
        accountId,
        mapping,
      });
      assert.equal(res.status, 201, `${action.key} ${key}: ${JSON.stringify(res.body)}`);
    }
  }
});
