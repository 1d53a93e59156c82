import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type Stripe from 'stripe';
import { bodiesOf, csv, startHarness, type Harness } from './support/harness.js';

/**
 * stripe.create_invoice_item: amounts typed the way people type them reach Stripe as integers in
 * the currency's minor unit (STRIPE.md: zero-decimal JPY, three-decimal BHD); customers are found
 * by email or given by id; a Price with a quantity works too.
 */

let h: Harness;
let accountId: string;
let stripe: Stripe;
/** One customer per currency: Stripe keeps a customer's pending items in one currency. */
const customer: Record<'jpy' | 'usd' | 'usdById' | 'bhd' | 'price', Stripe.Customer> = {} as never;

interface Item {
  id: string;
  amount: number;
  currency: string;
  customer: string;
  description: string | null;
  quantity: number;
  pricing: { price_details?: { price: string } } | null;
  metadata: Record<string, string>;
}
const items = () => h.emulator.objects('invoiceitem') as Item[];
const item = (description: string) => {
  const found = items().filter((i) => i.description === description);
  assert.equal(found.length, 1, `${found.length} invoice items are described ${JSON.stringify(description)}`);
  return found[0] as Item;
};

before(async () => {
  h = await startHarness();
  accountId = await h.account();
  stripe = h.stripe();
  for (const key of ['jpy', 'usd', 'usdById', 'bhd', 'price'] as const) {
    customer[key] = await stripe.customers.create({ email: `${key.toLowerCase()}@amounts.example`, name: key });
  }
});
after(() => h.close());

function itemConnection(content: string, mapping: Record<string, string>) {
  return h.connection({ name: 'Items', source: { type: 'csv', content }, action: 'stripe.create_invoice_item', accountId, mapping });
}

test('amounts as people type them reach Stripe in the minor unit of their currency', async () => {
  const rows = [
    { Customer: 'jpy@amounts.example', Amount: '1 200', Currency: 'JPY', Label: 'jpy 1 200' },
    { Customer: 'usd@amounts.example', Amount: '$12.50', Currency: 'usd', Label: 'usd $12.50' },
    { Customer: customer.usdById.id, Amount: '12,50', Currency: 'USD', Label: 'usd 12,50 by id' },
    { Customer: 'usd@amounts.example', Amount: '1 234,50', Currency: 'usd', Label: 'usd 1 234,50' },
    { Customer: customer.bhd.id, Amount: '12.340', Currency: 'bhd', Label: 'bhd 12.340' },
  ];
  const c = await itemConnection(csv(rows), {
    customer: '{{Customer}}',
    amount: '{{Amount}}',
    currency: '{{Currency}}',
    description: '{{Label}}',
  });
  const requestsBefore = h.emulator.requests().length;
  const run = await h.run(c.id);
  assert.equal(run.status, 'succeeded', JSON.stringify(run));
  assert.equal(run.counts.sent, 5);

  const expected: [string, number, string, Stripe.Customer][] = [
    ['jpy 1 200', 1200, 'jpy', customer.jpy],
    ['usd $12.50', 1250, 'usd', customer.usd],
    ['usd 12,50 by id', 1250, 'usd', customer.usdById],
    ['usd 1 234,50', 123450, 'usd', customer.usd],
    ['bhd 12.340', 12340, 'bhd', customer.bhd],
  ];
  for (const [label, amount, currency, owner] of expected) {
    const found = item(label);
    assert.equal(found.amount, amount, label);
    assert.equal(found.currency, currency, label);
    assert.equal(found.customer, owner.id, label);
  }
  // As integers on the wire, not as what the user typed.
  const bodies = bodiesOf(h.emulator, 'POST', '/v1/invoiceitems');
  for (const [label, amount, currency, owner] of expected) {
    const body = bodies.find((b) => new URLSearchParams(b).get('description') === label);
    assert.ok(body, label);
    const form = new URLSearchParams(body);
    assert.equal(form.get('amount'), String(amount), label);
    assert.equal(form.get('currency'), currency, label);
    assert.equal(form.get('customer'), owner.id, label);
  }
  // A customer given by email is looked up with the exact list filter, not search.
  const lookups = h.emulator
    .requests()
    .slice(requestsBefore)
    .filter((r) => r.method === 'GET');
  assert.equal(lookups.length, 3);
  assert.ok(
    lookups.every((r) => r.path === '/v1/customers' && new URLSearchParams(r.query).has('email')),
    JSON.stringify(lookups),
  );
});

test('an amount that cannot be read fails its row, naming the field and the value; the others are sent', async () => {
  const rows = [
    { Customer: 'usd@amounts.example', Amount: '12,5O', Label: 'typo' },
    { Customer: 'usd@amounts.example', Amount: '7.00', Label: 'fine' },
    { Customer: 'usd@amounts.example', Amount: '1.0055', Label: 'too precise' },
  ];
  const c = await itemConnection(csv(rows), { customer: '{{Customer}}', amount: '{{Amount}}', currency: 'usd', description: '{{Label}}' });
  const run = await h.run(c.id);
  assert.equal(run.status, 'partial', JSON.stringify(run));
  assert.deepEqual({ sent: run.counts.sent, failed: run.counts.failed }, { sent: 1, failed: 2 });
  const errors = run.rows.filter((r) => r.status === 'failed').map((r) => String(r.error));
  assert.ok(
    errors.some((e) => e.startsWith('amount: "12,5O" is not a number')),
    errors.join('\n'),
  );
  // 1.0055 USD cannot be carried by cents: an error, never rounded.
  assert.ok(
    errors.some((e) => /^amount: "1\.0055" has more decimals than USD allows/.test(e)),
    errors.join('\n'),
  );
  assert.equal(item('fine').amount, 700);
  assert.equal(items().filter((i) => i.description === 'typo' || i.description === 'too precise').length, 0);
});

test('an amount in a sign of another currency is refused', async () => {
  const c = await itemConnection(csv([{ Customer: 'jpy@amounts.example', Amount: '€12', Label: 'euro sign' }]), {
    customer: '{{Customer}}',
    amount: '{{Amount}}',
    currency: 'jpy',
    description: '{{Label}}',
  });
  const run = await h.run(c.id);
  assert.equal(run.status, 'failed');
  assert.match(String(run.rows[0]?.error), /^amount: "€12" /);
  assert.equal(items().filter((i) => i.description === 'euro sign').length, 0);
});

test('a customer email that no customer has fails the row with a clear message', async () => {
  const c = await itemConnection(csv([{ Customer: 'nobody@amounts.example', Amount: '5', Label: 'nobody' }]), {
    customer: '{{Customer}}',
    amount: '{{Amount}}',
    currency: 'usd',
    description: '{{Label}}',
  });
  const run = await h.run(c.id);
  assert.equal(run.status, 'failed');
  assert.match(String(run.rows[0]?.error), /^customer: .*nobody@amounts\.example/);
  assert.equal(items().filter((i) => i.description === 'nobody').length, 0);
});

test('a Price id with a quantity makes an item of the price times the quantity', async () => {
  const price = await stripe.prices.create({ currency: 'usd', unit_amount: 1999, product_data: { name: 'Widget' } });
  const rows = [
    { Customer: 'price@amounts.example', Price: price.id, Qty: '3', Label: 'three widgets' },
    { Customer: customer.price.id, Price: price.id, Qty: '', Label: 'one widget' },
  ];
  const c = await itemConnection(csv(rows), {
    customer: '{{Customer}}',
    price: '{{Price}}',
    quantity: '{{Qty}}',
    description: '{{Label}}',
  });
  const run = await h.run(c.id);
  assert.equal(run.status, 'succeeded', JSON.stringify(run));
  const three = item('three widgets');
  assert.equal(three.amount, 5997);
  assert.equal(three.quantity, 3);
  assert.equal(three.currency, 'usd');
  assert.equal(three.customer, customer.price.id);
  assert.equal(three.pricing?.price_details?.price, price.id);
  const one = item('one widget');
  assert.equal(one.amount, 1999);
  assert.equal(one.quantity, 1);
  const body = new URLSearchParams(bodiesOf(h.emulator, 'POST', '/v1/invoiceitems').find((b) => b.includes('three')));
  assert.equal(body.get('pricing[price]'), price.id);
  assert.equal(body.get('quantity'), '3');
  assert.equal(body.get('amount'), null);
});

test('an amount without a currency is refused when the mapping is saved, naming the field', async () => {
  const res = await h.api<{ error: { errors: { field: string; message: string }[] } }>('POST', '/api/connections', {
    name: 'No currency',
    source: { type: 'csv', content: csv([{ Customer: customer.price.id, Amount: '5.00' }]) },
    action: 'stripe.create_invoice_item',
    accountId,
    mapping: { customer: '{{Customer}}', amount: '{{Amount}}' },
  });
  assert.equal(res.status, 400);
  assert.deepEqual(
    res.body.error.errors.map((e) => e.field),
    ['mapping.currency'],
  );
  assert.match(res.body.error.errors[0]!.message, /^mapping\.currency: is required with amount/);
});
