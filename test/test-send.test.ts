import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { bodiesOf, csv, startHarness, type Harness } from './support/harness.js';

/**
 * POST /api/connections/:id/test sends one record to Stripe for real, marked `sluice_test`, and
 * reports the requests and Stripe's answer; it marks no row as sent, so the first run still sends
 * every row.
 */

let h: Harness;
let accountId: string;
before(async () => {
  h = await startHarness();
  accountId = await h.account();
});
after(() => h.close());

interface Customer {
  id: string;
  email: string | null;
  name: string | null;
  metadata: Record<string, string>;
}
interface TestBody {
  row: { rowKey: string; fields: Record<string, string> };
  requests: { method: string; path: string; body?: string }[];
  result: { ok: boolean; id?: string; dashboardUrl?: string; error?: { message: string; code?: string; status?: number } };
}
const customers = () => h.emulator.objects('customer') as Customer[];

test('a test send creates exactly one object, marked as a test, and reports the request and Stripe’s answer', async () => {
  const content = csv([
    { Email: 'first@testsend.example', Name: 'First Row' },
    { Email: 'second@testsend.example', Name: 'Second Row' },
  ]);
  const c = await h.connection({
    name: 'Test send',
    source: { type: 'csv', content },
    action: 'stripe.create_customer',
    accountId,
    // if_exists create: the run makes the row's own customer beside the test's (skip, the default, would take the test's).
    mapping: { email: '{{Email}}', name: '{{Name}}', if_exists: 'create' },
  });
  const before = customers().length;

  const { status, body } = await h.api<TestBody>('POST', `/api/connections/${c.id}/test`, {});
  assert.equal(status, 200, JSON.stringify(body));
  assert.equal(body.result.ok, true, JSON.stringify(body.result));
  const made = customers().slice(before);
  assert.equal(made.length, 1, 'a test send must create exactly one object');
  const [test] = made;
  assert.ok(test);
  assert.equal(body.result.id, test.id);
  assert.equal(test.email, 'first@testsend.example');
  assert.equal(test.metadata.sluice_test, c.id);
  assert.equal(test.metadata.sluice_row, undefined, 'a test object carries the row marker, so a run could take it for the row');
  assert.equal(body.result.dashboardUrl, `https://dashboard.stripe.com/test/customers/${test.id}`);
  assert.deepEqual(body.row.fields, { Email: 'first@testsend.example', Name: 'First Row' });

  // The requests shown are the ones Stripe received.
  assert.equal(body.requests.length, 1);
  assert.equal(body.requests[0]?.method, 'POST');
  assert.equal(body.requests[0]?.path, '/v1/customers');
  assert.equal(body.requests[0]?.body, bodiesOf(h.emulator, 'POST', '/v1/customers').at(-1));

  // No row of the ledger was touched, and the run sends every row.
  const rows = await h.api<{ data: unknown[] }>('GET', `/api/connections/${c.id}/rows`);
  assert.deepEqual(rows.body.data, []);
  const run = await h.run(c.id);
  assert.equal(run.status, 'succeeded', JSON.stringify(run));
  assert.equal(run.counts.sent, 2);
  const firsts = customers().filter((x) => x.email === 'first@testsend.example');
  assert.equal(firsts.length, 2, 'the test object and the row’s own object');
  assert.equal(firsts.filter((x) => x.metadata.sluice_test === c.id).length, 1);
  assert.equal(firsts.filter((x) => x.metadata.sluice_row !== undefined).length, 1);
});

test('two test sends make two objects: each is a deliberate extra', async () => {
  const c = await h.connection({
    name: 'Test twice',
    source: { type: 'csv', content: csv([{ Email: 'twice@testsend.example' }]) },
    action: 'stripe.create_customer',
    accountId,
    // if_exists create: with skip (the default) the second test send would find the first's customer.
    mapping: { email: '{{Email}}', if_exists: 'create' },
  });
  const a = await h.api<TestBody>('POST', `/api/connections/${c.id}/test`, {});
  const b = await h.api<TestBody>('POST', `/api/connections/${c.id}/test`, {});
  assert.equal(a.body.result.ok, true);
  assert.equal(b.body.result.ok, true);
  assert.notEqual(a.body.result.id, b.body.result.id);
  assert.equal(customers().filter((x) => x.email === 'twice@testsend.example').length, 2);
});

test('a row Stripe refuses gives result.ok false with Stripe’s message, and creates nothing', async () => {
  const c = await h.connection({
    name: 'Refused',
    source: { type: 'csv', content: csv([{ Customer: 'cus_DoesNotExist01', Amount: '5.00' }]) },
    action: 'stripe.create_invoice_item',
    accountId,
    mapping: { customer: '{{Customer}}', amount: '{{Amount}}', currency: 'usd' },
  });
  const items = h.emulator.objects('invoiceitem').length;
  const { status, body } = await h.api<TestBody>('POST', `/api/connections/${c.id}/test`, {});
  assert.equal(status, 200, JSON.stringify(body));
  assert.equal(body.result.ok, false);
  assert.match(String(body.result.error?.message), /No such customer: 'cus_DoesNotExist01'/);
  assert.equal(body.result.error?.status, 404);
  assert.equal(body.requests[0]?.path, '/v1/invoiceitems');
  assert.equal(h.emulator.objects('invoiceitem').length, items);
  const rows = await h.api<{ data: unknown[] }>('GET', `/api/connections/${c.id}/rows`);
  assert.deepEqual(rows.body.data, []);
});

test('a given row is tested instead of the source’s first, and a row that cannot be mapped is refused with its field errors', async () => {
  const c = await h.connection({
    name: 'Given row',
    source: { type: 'webhook' },
    action: 'stripe.create_customer',
    accountId,
    mapping: { email: '{{email}}' },
  });
  // A webhook with no post yet has nothing to test.
  const none = await h.api<{ error: { message: string } }>('POST', `/api/connections/${c.id}/test`, {});
  assert.equal(none.status, 422);
  assert.match(none.body.error.message, /no row/);

  const given = await h.api<TestBody>('POST', `/api/connections/${c.id}/test`, { row: { email: 'given@testsend.example' } });
  assert.equal(given.status, 200, JSON.stringify(given.body));
  assert.equal(given.body.result.ok, true);
  assert.equal(customers().filter((x) => x.email === 'given@testsend.example').length, 1);

  const before = h.emulator.requests().length;
  const bad = await h.api<{ error: { message: string; errors?: { field: string }[] } }>('POST', `/api/connections/${c.id}/test`, {
    row: { email: 'nope' },
  });
  assert.equal(bad.status, 422);
  assert.match(bad.body.error.message, /email: "nope"/);
  assert.deepEqual(
    bad.body.error.errors?.map((e) => e.field),
    ['email'],
  );
  assert.equal(h.emulator.requests().length, before, 'an unmappable row reached Stripe');
});

test('a test-sent invoice item is not billed: the invoice a run makes holds only the rows’ items', async () => {
  const customer = await h.stripe().customers.create({ email: 'billed@testsend.example' });
  const items = await h.connection({
    name: 'Items to test',
    source: { type: 'csv', content: csv([{ Email: 'billed@testsend.example', Amount: '10.00' }]) },
    action: 'stripe.create_invoice_item',
    accountId,
    mapping: { customer: '{{Email}}', amount: '{{Amount}}', currency: 'usd' },
  });
  const tested = await h.api<TestBody>('POST', `/api/connections/${items.id}/test`, {});
  assert.equal(tested.body.result.ok, true, JSON.stringify(tested.body));
  assert.equal((await h.run(items.id)).counts.sent, 1);
  const invoices = await h.connection({
    name: 'Invoice after test',
    source: { type: 'csv', content: csv([{ Email: 'billed@testsend.example' }]) },
    action: 'stripe.create_invoice',
    accountId,
    mapping: { customer: '{{Email}}' },
  });
  const run = await h.run(invoices.id);
  assert.equal(run.status, 'succeeded', JSON.stringify(run));
  const invoice = (h.emulator.objects('invoice') as { customer: string; total: number }[]).find((i) => i.customer === customer.id);
  assert.equal(invoice?.total, 1000, 'the test item was billed to the customer');
});

test('a test send of an invoice leaves the customer’s pending items for the run', async () => {
  const customer = await h.stripe().customers.create({ email: 'invoice-test@testsend.example' });
  await h.stripe().invoiceItems.create({ customer: customer.id, amount: 700, currency: 'usd' });
  const c = await h.connection({
    name: 'Invoice test send',
    source: { type: 'csv', content: csv([{ Email: 'invoice-test@testsend.example' }]) },
    action: 'stripe.create_invoice',
    accountId,
    mapping: { customer: '{{Email}}' },
  });
  const tested = await h.api<TestBody>('POST', `/api/connections/${c.id}/test`, {});
  assert.equal(tested.body.result.ok, true, JSON.stringify(tested.body));
  const run = await h.run(c.id);
  assert.equal(run.status, 'succeeded', JSON.stringify(run));
  assert.equal(run.counts.sent, 1);
});
