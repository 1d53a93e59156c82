import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createCustomer } from './create-customer.js';
import { createInvoice } from './create-invoice.js';
import { createInvoiceItem } from './create-invoice-item.js';

const marker = { sluice_row: 'con_1/abc' };

test('create_customer plans one POST with Stripe’s bracket encoding', () => {
  const [request, ...rest] = createCustomer.plan(
    {
      if_exists: 'create',
      email: 'ada@example.com',
      name: 'Ada Lovelace',
      'address.city': 'Kyiv',
      preferred_locales: ['uk', 'en'],
      metadata: { order: 'A-17' },
    },
    marker,
  );
  assert.equal(rest.length, 0);
  assert.equal(request?.method, 'POST');
  assert.equal(request?.path, '/v1/customers');
  assert.equal(
    request?.body,
    'email=ada%40example.com&name=Ada%20Lovelace&address[city]=Kyiv&preferred_locales[0]=uk&preferred_locales[1]=en&metadata[order]=A-17&metadata[sluice_row]=con_1%2Fabc',
  );
});

test('an invoice item by email looks the customer up first, then posts the item; a price goes under pricing', () => {
  const plan = createInvoiceItem.plan(
    { customer: { kind: 'email', email: 'ada@example.com' }, price: 'price_123456', quantity: 2 },
    marker,
  );
  assert.deepEqual(
    plan.map((r) => `${r.method} ${r.path}`),
    ['GET /v1/customers?email=ada%40example.com&limit=2', 'POST /v1/invoiceitems'],
  );
  assert.match(
    plan[1]?.body ?? '',
    /^customer=%3Cthe%20customer%20with%20the%20email%20ada%40example\.com%3E&pricing\[price\]=price_123456&quantity=2&/,
  );
});

test('cross-field rules of an invoice item', () => {
  const check = (input: Parameters<typeof createInvoiceItem.check & {}>[0]) => createInvoiceItem.check?.(input).map((e) => e.message);
  assert.deepEqual(check({ customer: { kind: 'id', id: 'cus_123456' } }), [
    'amount: is required unless a price is given; give an amount and a currency, or a price',
  ]);
  assert.deepEqual(check({ customer: { kind: 'id', id: 'cus_123456' }, amount: 5, currency: 'usd', quantity: 2 }), [
    'quantity: "2" is only used with a price; an amount is already the line total',
  ]);
});

test('an invoice includes pending items by default, checks it will not be empty, then finalizes and sends', () => {
  const plan = createInvoice.plan(
    {
      customer: { kind: 'id', id: 'cus_123456' },
      collection_method: 'send_invoice',
      days_until_due: 14,
      include_pending_items: true,
      finalize: false,
      send: true,
    },
    marker,
  );
  assert.deepEqual(
    plan.map((r) => `${r.method} ${r.path}`),
    [
      'GET /v1/invoiceitems?customer=cus_123456&pending=true&limit=100',
      'POST /v1/invoices',
      'POST /v1/invoices/<the new invoice>/finalize',
      'POST /v1/invoices/<the new invoice>/send',
    ],
  );
  assert.match(plan[1]?.body ?? '', /pending_invoice_items_behavior=include/);
  assert.deepEqual(
    createInvoice
      .check?.({
        customer: { kind: 'id', id: 'cus_123456' },
        collection_method: 'charge_automatically',
        include_pending_items: true,
        finalize: true,
        send: true,
      })
      .map((e) => e.message),
    ['send: "yes" needs collection_method send_invoice; an automatically charged invoice is not emailed for payment'],
  );
});

test('create_customer with if_exists skip (the default) looks the email up first, and creates only when none has it', () => {
  const plan = createCustomer.plan({ email: 'ada@example.com', name: 'Ada' }, marker);
  assert.deepEqual(
    plan.map((r) => [`${r.method} ${r.path}`, r.note]),
    [
      ['GET /v1/customers?email=ada%40example.com&limit=10', 'finds the customer with the email ada@example.com'],
      ['POST /v1/customers', 'only when no customer has this email'],
    ],
  );
  assert.equal(plan[1]?.body, 'email=ada%40example.com&name=Ada&metadata[sluice_row]=con_1%2Fabc');
  // Without an email there is nothing to look up: every row creates.
  assert.deepEqual(
    createCustomer.plan({ name: 'Ada', if_exists: 'skip' }, marker).map((r) => `${r.method} ${r.path}`),
    ['POST /v1/customers'],
  );
});

test('create_customer with if_exists update posts the mapped fields to the customer found, without the email or the row marker', () => {
  const plan = createCustomer.plan({ email: 'ada@example.com', name: 'Ada L', metadata: { tier: 'gold' }, if_exists: 'update' }, marker);
  assert.deepEqual(
    plan.map((r) => [`${r.method} ${r.path}`, r.body, r.note]),
    [
      ['GET /v1/customers?email=ada%40example.com&limit=10', undefined, 'finds the customer with the email ada@example.com'],
      [
        'POST /v1/customers/<the customer with the email ada@example.com>',
        'name=Ada%20L&metadata[tier]=gold',
        'only when a customer has this email (if_exists: update)',
      ],
      [
        'POST /v1/customers',
        'email=ada%40example.com&name=Ada%20L&metadata[tier]=gold&metadata[sluice_row]=con_1%2Fabc',
        'only when no customer has this email',
      ],
    ],
  );
});

test('an invoice item with if_customer_missing create plans the find-or-create of the customer, then the item', () => {
  const plan = createInvoiceItem.plan(
    {
      customer: { kind: 'email', email: 'ada@example.com' },
      if_customer_missing: 'create',
      customer_name: 'Ada Lovelace',
      amount: 1250,
      currency: 'usd',
    },
    marker,
  );
  assert.deepEqual(
    plan.map((r) => [`${r.method} ${r.path}`, r.note]),
    [
      ['GET /v1/customers?email=ada%40example.com&limit=10', 'finds the customer with the email ada@example.com'],
      ['POST /v1/customers', 'only when no customer has the email ada@example.com'],
      ['POST /v1/invoiceitems', undefined],
    ],
  );
  assert.equal(plan[1]?.body, 'name=Ada%20Lovelace&email=ada%40example.com&metadata[sluice_row]=con_1%2Fabc');
  assert.match(plan[2]?.body ?? '', /^customer=%3Cthe%20customer%20with%20the%20email%20ada%40example\.com%3E&amount=1250&currency=usd&/);
  // A customer given by id is used as it is: the option changes nothing.
  assert.deepEqual(
    createInvoiceItem
      .plan({ customer: { kind: 'id', id: 'cus_123456' }, if_customer_missing: 'create', amount: 5, currency: 'usd' }, marker)
      .map((r) => `${r.method} ${r.path}`),
    ['POST /v1/invoiceitems'],
  );
});

test('an invoice with if_customer_missing create plans the find-or-create of the customer before the invoice', () => {
  const plan = createInvoice.plan(
    {
      customer: { kind: 'email', email: 'ada@example.com' },
      if_customer_missing: 'create',
      collection_method: 'charge_automatically',
      include_pending_items: false,
    },
    marker,
  );
  assert.deepEqual(
    plan.map((r) => `${r.method} ${r.path}`),
    ['GET /v1/customers?email=ada%40example.com&limit=10', 'POST /v1/customers', 'POST /v1/invoices'],
  );
  assert.match(plan[2]?.body ?? '', /^customer=%3Cthe%20customer%20with%20the%20email%20ada%40example\.com%3E&/);
});

test('customer_name is refused unless if_customer_missing is create', () => {
  const item = createInvoiceItem.check?.({
    customer: { kind: 'email', email: 'ada@example.com' },
    customer_name: 'Ada',
    if_customer_missing: 'fail',
    amount: 5,
    currency: 'usd',
  });
  assert.deepEqual(
    item?.map((e) => e.message),
    [
      'customer_name: "Ada" is only used when Sluice creates a missing customer, and if_customer_missing is fail; set if_customer_missing to create, or leave customer_name empty',
    ],
  );
  const invoice = createInvoice.check?.({
    customer: { kind: 'email', email: 'ada@example.com' },
    customer_name: 'Ada',
    if_customer_missing: 'create',
    collection_method: 'charge_automatically',
  });
  assert.deepEqual(invoice, []);
});
