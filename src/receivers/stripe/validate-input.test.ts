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
      if_exists: 'skip',
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
    if_customer_missing: 'fail',
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

test('a value with a character no field may hold is refused once, naming the character, before its field reads it', () => {
  const r = validateInput(createInvoiceItem.fields, {
    customer: 'cus_ABC123456\u0000',
    amount: '5',
    currency: 'usd',
    description: 'a\u202eb',
  });
  assert.deepEqual(!r.ok && r.errors.map((e) => e.message), [
    'customer: "cus_ABC123456\\u0000" contains the control character U+0000 (NUL) at character 14; remove it (only tabs and line breaks are allowed)',
    'description: "a\\u202eb" contains U+202E (RIGHT-TO-LEFT OVERRIDE) at character 2, an invisible character that makes text display in another order than it is written; remove it',
  ]);
});

test('text fields and metadata refuse spreadsheet formulas, and keep values that only start like one', () => {
  const r = validateInput(createCustomer.fields, { name: '=HYPERLINK("http://evil.example","click")', 'metadata.total': '=1+2' });
  assert.deepEqual(!r.ok && r.errors.map((e) => e.message), [
    'metadata.total: "=1+2" looks like a spreadsheet formula; export the sheet\'s values, not its formulas',
    'name: "=HYPERLINK(\\"http://evil.example\\",\\"click\\")" looks like a spreadsheet formula; export the sheet\'s values, not its formulas',
  ]);
  const fine = validateInput(createCustomer.fields, { name: '@ada', phone: '+380 44 123 4567', description: '- shipping (2 days)' });
  assert.equal(fine.ok, true, JSON.stringify(fine));
});

test('an amount above what Stripe accepts is refused in the row’s own units; the largest one is taken', () => {
  const over = validateInput(createInvoiceItem.fields, { customer: 'cus_ABC123456', amount: '1 000 000', currency: 'usd' });
  assert.deepEqual(!over.ok && over.errors.map((e) => e.message), [
    'amount: "1 000 000" is 1000000.00 USD, more than Stripe accepts: at most 999999.99 USD (99999999 in the currency\'s smallest unit)',
  ]);
  const largest = validateInput(createInvoiceItem.fields, { customer: 'cus_ABC123456', amount: '-999999.99', currency: 'usd' });
  assert.deepEqual(largest.ok && largest.input.amount, -99_999_999);
});

test('a country code is checked against ISO 3166-1, and an email against the mistakes people make', () => {
  const r = validateInput(createCustomer.fields, { email: 'ada@example.com.', 'address.country': 'UK' });
  assert.deepEqual(!r.ok && r.errors.map((e) => e.message), [
    'email: "ada@example.com." is not an email address such as ada@example.com: it ends with a dot',
    'address.country: "UK" is not a country code in ISO 3166-1; use GB (the United Kingdom)',
  ]);
});
