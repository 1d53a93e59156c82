import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type Stripe from 'stripe';
import { csv, startHarness, type Harness } from './support/harness.js';

/**
 * Customers found or created, end to end: create_customer's if_exists, and invoice items and
 * invoices that create their customer when it is missing — one customer per email however many
 * rows name it, even rows sent at the same time in one run.
 */

let h: Harness;
let accountId: string;
let stripe: Stripe;

before(async () => {
  h = await startHarness();
  accountId = await h.account();
  stripe = h.stripe();
});
after(() => h.close());

async function customersWith(email: string): Promise<Stripe.Customer[]> {
  return (await stripe.customers.list({ email, limit: 100 })).data;
}

function connection(action: string, rows: Record<string, string>[], mapping: Record<string, string>) {
  return h.connection({ name: action, source: { type: 'csv', content: csv(rows) }, action, accountId, mapping });
}

async function runOk(connectionId: string, sent: number) {
  const run = await h.run(connectionId);
  assert.equal(run.status, 'succeeded', JSON.stringify(run));
  assert.equal(run.counts.sent, sent);
  return run;
}

const creates = () => h.emulator.requests().filter((r) => r.method === 'POST' && r.path === '/v1/customers').length;

test('create_customer, if_exists skip (the default): rows of an existing email take its id; rows of a new one make one customer', async () => {
  const existing = await stripe.customers.create({ email: 'skip@fc.example', name: 'Existing' });
  const rows = [1, 2, 3].flatMap((i) => [
    { Email: 'skip@fc.example', Name: `Skip ${i}` },
    { Email: 'new@fc.example', Name: `New ${i}` },
  ]);
  const c = await connection('stripe.create_customer', rows, { email: '{{Email}}', name: '{{Name}}' });
  const createsBefore = creates();
  const run = await runOk(c.id, 6);

  assert.deepEqual(
    (await customersWith('skip@fc.example')).map((x) => [x.id, x.name]),
    [[existing.id, 'Existing']],
    'the existing customer is neither duplicated nor changed',
  );
  const made = await customersWith('new@fc.example');
  assert.equal(made.length, 1, 'three rows of one new email, sent at once, make one customer');
  assert.equal(creates() - createsBefore, 1);
  assert.deepEqual(run.rows.map((r) => r.stripeId).sort(), [...Array(3).fill(existing.id), ...Array(3).fill(made[0]?.id)].sort());

  // A second run sends nothing: every row is already sent.
  const again = await h.run(c.id);
  assert.equal(again.counts.sent, 0);
  assert.equal(creates() - createsBefore, 1);
});

test('create_customer, if_exists update: the existing customer takes the mapped fields and keeps its other metadata', async () => {
  const existing = await stripe.customers.create({ email: 'update@fc.example', name: 'Old Name', metadata: { keep: 'yes' } });
  const c = await connection('stripe.create_customer', [{ Email: 'update@fc.example', Name: 'New Name', Tier: 'gold' }], {
    email: '{{Email}}',
    name: '{{Name}}',
    'metadata.tier': '{{Tier}}',
    if_exists: 'update',
  });
  const run = await runOk(c.id, 1);
  assert.equal(run.rows[0]?.stripeId, existing.id);
  const [only, ...others] = await customersWith('update@fc.example');
  assert.deepEqual(others, []);
  assert.equal(only?.id, existing.id);
  assert.equal(only?.name, 'New Name');
  assert.deepEqual(only?.metadata, { keep: 'yes', tier: 'gold' }, 'no row marker: the customer is not the row’s own object');
  const update = h.emulator.requests().find((r) => r.method === 'POST' && r.path === `/v1/customers/${existing.id}`);
  assert.match(update?.idempotencyKey ?? '', /^sluice_.*_update$/);
});

test('create_customer, if_exists create: another customer with the same email, as Stripe allows', async () => {
  const existing = await stripe.customers.create({ email: 'create@fc.example' });
  const c = await connection('stripe.create_customer', [{ Email: 'create@fc.example' }], { email: '{{Email}}', if_exists: 'create' });
  const run = await runOk(c.id, 1);
  const both = await customersWith('create@fc.example');
  assert.equal(both.length, 2);
  assert.equal(both[1]?.id, existing.id);
  assert.equal(run.rows[0]?.stripeId, both[0]?.id);
});

test('invoice items, if_customer_missing create: one customer made for three rows of its email, every item on it', async () => {
  const known = await stripe.customers.create({ email: 'known@fc.example', name: 'Known' });
  const rows = [
    { Email: 'buyer@fc.example', Name: 'Ada Buyer', Amount: '10.00', Line: 'one' },
    { Email: 'buyer@fc.example', Name: 'Ada Buyer', Amount: '2.50', Line: 'two' },
    { Email: 'buyer@fc.example', Name: 'Ada Buyer', Amount: '1.25', Line: 'three' },
    { Email: 'known@fc.example', Name: 'Ignored', Amount: '5.00', Line: 'known' },
  ];
  const c = await connection('stripe.create_invoice_item', rows, {
    customer: '{{Email}}',
    if_customer_missing: 'create',
    customer_name: '{{Name}}',
    amount: '{{Amount}}',
    currency: 'usd',
    description: '{{Line}}',
  });
  await runOk(c.id, 4);

  const [buyer, ...more] = await customersWith('buyer@fc.example');
  assert.deepEqual(more, [], 'one customer for the three rows');
  assert.equal(buyer?.name, 'Ada Buyer');
  const items = (await stripe.invoiceItems.list({ customer: buyer?.id ?? '', limit: 100 })).data;
  assert.deepEqual(items.map((i) => i.description).sort(), ['one', 'three', 'two']);
  assert.deepEqual(
    (await customersWith('known@fc.example')).map((x) => [x.id, x.name]),
    [[known.id, 'Known']],
    'an existing customer is used as it is; customer_name is only for a new one',
  );
  assert.equal((await stripe.invoiceItems.list({ customer: known.id })).data.length, 1);
});

test('invoice items, if_customer_missing fail (the default): a missing customer fails the row and nothing is created', async () => {
  const c = await connection('stripe.create_invoice_item', [{ Email: 'nobody@fc.example', Amount: '1.00' }], {
    customer: '{{Email}}',
    amount: '{{Amount}}',
    currency: 'usd',
  });
  const run = await h.run(c.id);
  assert.equal(run.status, 'failed');
  assert.match(run.rows[0]?.error ?? '', /no Stripe customer has the email nobody@fc\.example; .*if_customer_missing to create/);
  assert.deepEqual(await customersWith('nobody@fc.example'), []);
});

test('create_invoice, if_customer_missing create: an existing customer is found; a missing one is made once', async () => {
  // The customer made by the invoice item test above has three pending items: the invoice takes them.
  const [buyer] = await customersWith('buyer@fc.example');
  assert.ok(buyer);
  const found = await connection('stripe.create_invoice', [{ Email: 'buyer@fc.example' }], {
    customer: '{{Email}}',
    if_customer_missing: 'create',
  });
  const run = await runOk(found.id, 1);
  assert.equal((await customersWith('buyer@fc.example')).length, 1);
  const invoice = await stripe.invoices.retrieve(run.rows[0]?.stripeId ?? '');
  assert.equal(invoice.customer, buyer.id);
  assert.equal(invoice.lines.data.length, 3);

  // A new email: the customer is made (with its name), and the draft made for it, for two rows at once.
  const made = await connection(
    'stripe.create_invoice',
    [
      { Email: 'fresh@fc.example', Name: 'Fresh', Memo: 'first' },
      { Email: 'fresh@fc.example', Name: 'Fresh', Memo: 'second' },
    ],
    {
      customer: '{{Email}}',
      if_customer_missing: 'create',
      customer_name: '{{Name}}',
      include_pending_items: 'no',
      description: '{{Memo}}',
    },
  );
  const second = await runOk(made.id, 2);
  const [fresh, ...more] = await customersWith('fresh@fc.example');
  assert.deepEqual(more, []);
  assert.equal(fresh?.name, 'Fresh');
  const invoices = (await stripe.invoices.list({ customer: fresh?.id ?? '' })).data;
  assert.deepEqual(invoices.map((i) => i.id).sort(), second.rows.map((r) => r.stripeId).sort());
});

test('a customer made by a test send is not one the run finds: the first run still makes the row its own customer', async () => {
  const c = await connection('stripe.create_customer', [{ Email: 'tested@fc.example', Name: 'Tested' }], {
    email: '{{Email}}',
    name: '{{Name}}',
  });
  const sent = await h.api<{ result: { ok: boolean; id: string } }>('POST', `/api/connections/${c.id}/test`, {});
  assert.equal(sent.body.result.ok, true, JSON.stringify(sent.body));
  const run = await runOk(c.id, 1);
  const made = await customersWith('tested@fc.example');
  assert.equal(made.length, 2, 'the test customer and the row’s own');
  assert.notEqual(run.rows[0]?.stripeId, sent.body.result.id);
  assert.equal(made.find((x) => x.id === run.rows[0]?.stripeId)?.metadata.sluice_test, undefined);
});
