import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createCustomer } from './actions/create-customer.js';
import { createInvoice } from './actions/create-invoice.js';
import { createInvoiceItem } from './actions/create-invoice-item.js';
import { validateInput } from './validate-input.js';

test('a customer row becomes typed input; empty values leave fields unset', () => {
  const r = validateInput(createCustomer.fields, {
    email: ' ada@example.com ',
    name: 'Ada',
    phone: '',
    'address.country': 'ua',
    preferred_locales: 'uk, en',
    'metadata.order': 'A-17',
    'metadata.source': 'csv',
  });
  assert.deepEqual(r, {
    ok: true,
    input: {
      email: 'ada@example.com',
      name: 'Ada',
      'address.country': 'UA',
      preferred_locales: ['uk', 'en'],
      metadata: { order: 'A-17', source: 'csv' },
    },
  });
});

test('every problem of a row is reported, each naming the field and the value', () => {
  const r = validateInput(createCustomer.fields, {
    email: 'not-an-email',
    'address.country': 'Ukraine',
    preferred_locales: 'uk, english',
    nickname: 'x',
  });
  assert.equal(r.ok, false);
  assert.deepEqual(!r.ok && r.errors.map((e) => e.message), [
    'nickname: is not a field of this action',
    'email: "not-an-email" is not an email address such as ada@example.com',
    'address.country: "Ukraine" is not a two-letter country code (ISO 3166-1 alpha-2) such as UA or US',
    'preferred_locales: "english" in "uk, english" is not allowed; each item must be a language tag such as uk, en or en-GB',
  ]);
});

test('an amount is converted with the currency of the same row', () => {
  const cases: [string, string, number][] = [
    ['12.50', 'usd', 1250],
    ['1 234,50', 'EUR', 123450],
    ['1 200', 'jpy', 1200],
    ['12.340', 'bhd', 12340],
  ];
  for (const [amount, currency, minor] of cases) {
    const r = validateInput(createInvoiceItem.fields, { customer: 'cus_ABC123456', amount, currency });
    assert.deepEqual(r.ok && r.input.amount, minor, `${amount} ${currency}`);
  }
  const bad = validateInput(createInvoiceItem.fields, { customer: 'cus_ABC123456', amount: '12,5O', currency: 'usd' });
  assert.deepEqual(!bad.ok && bad.errors.map((e) => e.message), ['amount: "12,5O" is not a number']);
});

test('metadata keys and counts are checked against Stripe’s limits', () => {
  const long = validateInput(createCustomer.fields, { [`metadata.${'k'.repeat(41)}`]: 'v' });
  assert.match(!long.ok ? long.errors[0]!.message : '', /metadata keys are 1 to 40 characters/);
  const many = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`metadata.k${i}`, 'v']));
  const r = validateInput(createCustomer.fields, many);
  assert.deepEqual(!r.ok && r.errors.map((e) => e.message), ['metadata: has 50 keys; at most 49 are allowed']);
});

test('defaults fill in, and booleans read the way people write them', () => {
  const r = validateInput(createInvoice.fields, { customer: 'ada@example.com', finalize: 'Yes', auto_advance: 'ні' });
  assert.deepEqual(r.ok && r.input, {
    customer: { kind: 'email', email: 'ada@example.com' },
    collection_method: 'charge_automatically',
    include_pending_items: true,
    finalize: true,
    send: false,
    auto_advance: false,
  });
  const bad = validateInput(createInvoice.fields, { customer: 'someone', send: 'maybe' });
  assert.deepEqual(!bad.ok && bad.errors.map((e) => e.message), [
    'customer: "someone" is neither a customer id (cus_…) nor an email address',
    'send: "maybe" is not yes or no; use true/false, yes/no or 1/0',
  ]);
});

test('a required field without a value is reported', () => {
  const r = validateInput(createInvoiceItem.fields, { amount: '5', currency: 'usd' });
  assert.deepEqual(!r.ok && r.errors.map((e) => e.message), ['customer: is required but the mapping gave no value']);
});
