import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import type Stripe from 'stripe';
import { bodiesOf, csv, startHarness, type Harness } from './support/harness.js';

/**
 * "Add invoice items, then create an invoice" must give invoices with those items on them:
 * Stripe's `pending_invoice_items_behavior` defaults to `exclude` (STRIPE.md), so Sluice sends
 * `include`, and refuses to make an invoice that would be empty.
 */

let h: Harness;
let accountId: string;
let stripe: Stripe;
let files: string;

interface Invoice {
  id: string;
  customer: string;
  status: string;
  number: string | null;
  collection_method: string;
  total: number;
  due_date: number | null;
  created: number;
  lines: { data: { amount: number; description: string | null }[]; total_count: number };
}
const invoicesOf = (customerId: string) => (h.emulator.objects('invoice') as Invoice[]).filter((i) => i.customer === customerId);

before(async () => {
  h = await startHarness();
  accountId = await h.account();
  stripe = h.stripe();
  files = h.importDir;
});
after(async () => {
  await h.close();
});

async function customerWithItems(email: string, amounts: string[]): Promise<Stripe.Customer> {
  const customer = await stripe.customers.create({ email });
  if (amounts.length) {
    const c = await h.connection({
      name: `Items of ${email}`,
      source: { type: 'csv', content: csv(amounts.map((a, i) => ({ Email: email, Amount: a, Line: `${email} line ${i + 1}` }))) },
      action: 'stripe.create_invoice_item',
      accountId,
      mapping: { customer: '{{Email}}', amount: '{{Amount}}', currency: 'usd', description: '{{Line}}' },
    });
    const run = await h.run(c.id);
    assert.equal(run.status, 'succeeded', JSON.stringify(run));
    assert.equal(run.counts.sent, amounts.length);
  }
  return customer;
}

function invoiceConnection(rows: Record<string, string>[], mapping: Record<string, string>) {
  return h.connection({
    name: 'Invoices',
    source: { type: 'csv', content: csv(rows) },
    action: 'stripe.create_invoice',
    accountId,
    mapping,
  });
}

test('items created by one connection end up as the lines of the invoice another connection creates', async () => {
  const ada = await customerWithItems('ada@invoices.example', ['10.00', '2,50']);
  const alan = await customerWithItems('alan@invoices.example', ['99']);
  const c = await invoiceConnection([{ Email: 'ada@invoices.example' }, { Email: alan.id }], { customer: '{{Email}}' });
  const run = await h.run(c.id);
  assert.equal(run.status, 'succeeded', JSON.stringify(run));
  assert.equal(run.counts.sent, 2);

  const [adas] = invoicesOf(ada.id);
  assert.ok(adas);
  assert.equal(invoicesOf(ada.id).length, 1);
  assert.equal(adas.lines.total_count, 2, 'the invoice is empty: its items were left pending');
  assert.deepEqual(
    adas.lines.data.map((l) => l.amount).sort((a, b) => a - b),
    [250, 1000],
  );
  assert.equal(adas.total, 1250);
  assert.equal(adas.status, 'draft');
  assert.equal(invoicesOf(alan.id)[0]?.total, 9900);
  assert.equal(run.rows.find((r) => r.stripeId === adas.id)?.status, 'sent');

  // Sluice asked for the pending items explicitly; Stripe's default would leave them out.
  const posts = bodiesOf(h.emulator, 'POST', '/v1/invoices');
  assert.ok(posts.length >= 2);
  for (const body of posts.slice(-2)) assert.equal(new URLSearchParams(body).get('pending_invoice_items_behavior'), 'include', body);
  // No pending item of theirs is left behind.
  const pending = await stripe.invoiceItems.list({ customer: ada.id, pending: true });
  assert.equal(pending.data.length, 0);
});

test('a customer with no pending items gets no invoice: the row fails saying the invoice would be empty', async () => {
  const grace = await customerWithItems('grace@invoices.example', []);
  const linus = await customerWithItems('linus@invoices.example', ['1.00']);
  const c = await invoiceConnection([{ Email: 'grace@invoices.example' }, { Email: 'linus@invoices.example' }], { customer: '{{Email}}' });
  const run = await h.run(c.id);
  assert.equal(run.status, 'partial', JSON.stringify(run));
  const failed = run.rows.find((r) => r.status === 'failed');
  assert.match(String(failed?.error), /^customer: .*would be empty/);
  assert.ok(String(failed?.error).includes(grace.id));
  assert.equal(invoicesOf(grace.id).length, 0, 'an empty invoice was created');
  assert.equal(invoicesOf(linus.id).length, 1);
  assert.equal(invoicesOf(linus.id)[0]?.lines.total_count, 1);
});

test('finalize and send give an open, numbered invoice sent to the customer', async () => {
  const mary = await customerWithItems('mary@invoices.example', ['120.00']);
  const c = await invoiceConnection([{ Email: 'mary@invoices.example', Memo: 'March' }], {
    customer: '{{Email}}',
    collection_method: 'send_invoice',
    days_until_due: '14',
    finalize: 'yes',
    send: 'yes',
    description: '{{Memo}}',
  });
  const run = await h.run(c.id);
  assert.equal(run.status, 'succeeded', JSON.stringify(run));
  const [invoice] = invoicesOf(mary.id);
  assert.ok(invoice);
  assert.equal(invoice.status, 'open');
  assert.match(String(invoice.number), /\S/);
  assert.equal(invoice.collection_method, 'send_invoice');
  assert.equal(invoice.total, 12000);
  assert.ok(invoice.due_date !== null && invoice.due_date >= invoice.created + 13 * 86400, `due ${invoice.due_date}`);
  assert.equal(run.rows[0]?.stripeId, invoice.id);
  const ok = (p: string) => h.emulator.requests().filter((r) => r.method === 'POST' && r.path === p && r.status === 200).length;
  assert.equal(ok(`/v1/invoices/${invoice.id}/finalize`), 1);
  assert.equal(ok(`/v1/invoices/${invoice.id}/send`), 1);
  // A re-run neither makes another invoice nor sends this one again.
  const again = await h.run(c.id);
  assert.equal(again.counts.sent, 0);
  assert.equal(invoicesOf(mary.id).length, 1);
  assert.equal(ok(`/v1/invoices/${invoice.id}/send`), 1);
});

test('send without collection_method send_invoice is refused at row level, before anything is created', async () => {
  const ken = await customerWithItems('ken@invoices.example', ['5.00']);
  const c = await invoiceConnection([{ Email: 'ken@invoices.example', Send: 'yes' }], { customer: '{{Email}}', send: '{{Send}}' });
  const invoicePosts = bodiesOf(h.emulator, 'POST', '/v1/invoices').length;
  const run = await h.run(c.id);
  assert.equal(run.status, 'failed', JSON.stringify(run));
  assert.match(String(run.rows[0]?.error), /^send: .*send_invoice/);
  assert.equal(invoicesOf(ken.id).length, 0);
  assert.equal(bodiesOf(h.emulator, 'POST', '/v1/invoices').length, invoicePosts);
  // The item is still pending, for a correct invoice later.
  assert.equal((await stripe.invoiceItems.list({ customer: ken.id, pending: true })).data.length, 1);
});

test('send_invoice without days_until_due is refused at row level', async () => {
  const c = await invoiceConnection([{ Email: 'ken@invoices.example' }], { customer: '{{Email}}', collection_method: 'send_invoice' });
  const run = await h.run(c.id);
  assert.equal(run.status, 'failed');
  assert.match(String(run.rows[0]?.error), /^days_until_due: .*send_invoice/);
});

test('a failed row fixed in the file is sent with its fixed values, not with what its failed attempt found', async () => {
  // A row's step results (the customer found by email) must not survive an edit of the row.
  const wrong = await customerWithItems('wrong@invoices.example', []);
  const right = await customerWithItems('right@invoices.example', []);
  const file = path.join(files, 'items.csv');
  fs.writeFileSync(file, csv([{ Ref: 'R-1', Email: 'wrong@invoices.example', Invoice: 'in_doesnotexist000000000000', Amount: '3.00' }]));
  const c = await h.connection({
    name: 'Fixable',
    source: { type: 'csv', path: file, keyColumn: 'Ref' },
    action: 'stripe.create_invoice_item',
    accountId,
    mapping: { customer: '{{Email}}', amount: '{{Amount}}', currency: 'usd', invoice: '{{Invoice}}', description: 'fixable {{Ref}}' },
  });
  const first = await h.run(c.id);
  assert.equal(first.status, 'failed', JSON.stringify(first));
  assert.match(String(first.rows[0]?.error), /invoice/i);

  fs.writeFileSync(file, csv([{ Ref: 'R-1', Email: 'right@invoices.example', Invoice: '', Amount: '3.00' }]));
  const second = await h.run(c.id);
  assert.equal(second.status, 'succeeded', JSON.stringify(second));
  const made = (h.emulator.objects('invoiceitem') as { id: string; customer: string; description: string }[]).filter(
    (i) => i.description === 'fixable R-1',
  );
  assert.equal(made.length, 1);
  assert.equal(
    made[0]?.customer,
    right.id,
    `the item went to ${made[0]?.customer === wrong.id ? 'the customer of the row before it was fixed' : made[0]?.customer}`,
  );
});
