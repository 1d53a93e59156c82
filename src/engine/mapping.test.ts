import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createCustomer } from '../receivers/stripe/actions/create-customer.js';
import { createInvoiceItem } from '../receivers/stripe/actions/create-invoice-item.js';
import type { StripeAction } from '../receivers/stripe/action.js';
import type { Fields } from '../receivers/stripe/field-kit.js';
import { checkMapping, mapRow } from './mapping.js';

const item = createInvoiceItem as unknown as StripeAction<Fields>;
const customer = createCustomer as unknown as StripeAction<Fields>;

test('a mapping is refused at save with every problem listed', () => {
  const r = checkMapping(item, { amount: '{{Total', currency: 'dollars', colour: 'red', description: 5 });
  assert.equal(r.ok, false);
  const messages = !r.ok ? r.errors.map((e) => e.message) : [];
  assert.equal(messages.length, 5, messages.join('\n'));
  assert.match(messages[0]!, /^mapping\.amount: the \{\{ at character 1 is never closed/);
  assert.match(messages[1]!, /^mapping\.colour: is not a field of stripe\.create_invoice_item; fields are: customer, amount, /);
  assert.match(messages[2]!, /^mapping\.description: "5" must be a template string/);
  assert.match(messages[3]!, /^mapping\.customer: is required by stripe\.create_invoice_item/);
  assert.match(messages[4]!, /^mapping\.currency: "dollars" is not a currency code/);
});

test('constants are checked at save, mapped values on each row', () => {
  const r = checkMapping(item, { customer: '{{Email}}', amount: '{{Total}}', currency: 'dollars' });
  assert.deepEqual(!r.ok && r.errors.map((e) => e.message), [
    'mapping.currency: "dollars" is not a currency code; use a three-letter ISO code such as usd, eur, uah',
  ]);
});

test('a row maps through the templates into typed input', () => {
  const m = checkMapping(customer, { email: '{{Email}}', name: '{{First}} {{Last}}', 'metadata.order': 'Order {{Order #}}' });
  assert.ok(m.ok);
  const row = mapRow(customer, m.mapping, { Email: 'ada@example.com', First: 'Ada', Last: 'Lovelace', 'Order #': 'A-17' });
  assert.deepEqual(row, {
    ok: true,
    values: { email: 'ada@example.com', name: 'Ada Lovelace', 'metadata.order': 'Order A-17' },
    input: { email: 'ada@example.com', name: 'Ada Lovelace', metadata: { order: 'Order A-17' }, if_exists: 'skip' },
  });
});

test('a template naming a column the row lacks fails that row, naming the template and the columns', () => {
  const m = checkMapping(customer, { email: '{{E-mail}}', name: '{{Name}}' });
  assert.ok(m.ok);
  const row = mapRow(customer, m.mapping, { Email: 'ada@example.com', Name: 'Ada' });
  assert.deepEqual(!row.ok && row.errors.map((e) => e.message), [
    'email: the template "{{E-mail}}" uses "E-mail", which this row does not have; fields are: Email, Name',
  ]);
});

test('an amount without a currency is refused at save', () => {
  const r = checkMapping(item, { customer: '{{Email}}', amount: '{{Total}}' });
  assert.deepEqual(!r.ok && r.errors.map((e) => e.message), [
    'mapping.currency: is required with amount: an amount is converted with its currency; map it to a column or a constant such as usd',
  ]);
});

test('a near miss of a field name gets a suggestion; metadata keys are checked at save', () => {
  const many = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`metadata.k${i}`, 'x']));
  const r = checkMapping(customer, { emial: '{{Email}}', [`metadata.${'k'.repeat(41)}`]: '{{Order}}', ...many });
  assert.deepEqual(
    !r.ok && r.errors.map((e) => e.message.slice(0, 120)),
    [
      'mapping.emial: is not a field of stripe.create_customer (did you mean email?); fields are: email, name, phone, description, addr',
      `mapping.metadata.${'k'.repeat(41)}: the key "${'k'.repeat(41)}" is not allowed; metadata keys are 1 to 40 characters without squar`,
      'mapping.metadata: has 50 metadata.<key> entries; at most 49 are allowed (Stripe takes 50 keys, and Sluice keeps one for itself)',
    ].map((m) => m.slice(0, 120)),
  );
});

test('a posted object or list where a template expects text fails the row, naming its fields', () => {
  const m = checkMapping(customer, { email: '{{email}}', name: '{{name}}' });
  assert.ok(m.ok);
  const row = mapRow(
    customer,
    m.mapping,
    { email: 'ada@example.com', 'name.first': 'Ada', 'name.last': 'Lovelace' },
    { missingAsEmpty: true },
  );
  assert.deepEqual(!row.ok && row.errors.map((e) => e.message), [
    'name: the template "{{name}}" uses "name", which is an object or a list in this row (it has name.first, name.last), not text; map one of its fields, such as {{name.first}}',
  ]);
});
