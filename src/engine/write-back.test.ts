import assert from 'node:assert/strict';
import { test } from 'node:test';
import { writeBackValues } from './write-back.js';

test('a sent row writes back its Stripe id, and for invoices their number, status and link', () => {
  const columns = { 'Stripe ID': 'stripeId', Invoice: 'invoiceNumber', Status: 'invoiceStatus', 'Pay link': 'invoiceUrl' } as const;
  const invoice = { object: 'invoice', number: 'ABCD-0001', status: 'open', hosted_invoice_url: 'https://invoice.stripe.com/i/x' };
  assert.deepEqual(writeBackValues(columns, 'in_1', invoice), {
    'Stripe ID': 'in_1',
    Invoice: 'ABCD-0001',
    Status: 'open',
    'Pay link': 'https://invoice.stripe.com/i/x',
  });
  // A customer has no invoice fields; a draft has no number yet; a resumed row may have no object.
  assert.deepEqual(writeBackValues(columns, 'cus_1', { object: 'customer' }), { 'Stripe ID': 'cus_1' });
  assert.deepEqual(writeBackValues(columns, 'in_2', { object: 'invoice', number: null, status: 'draft' }), {
    'Stripe ID': 'in_2',
    Status: 'draft',
  });
  assert.deepEqual(writeBackValues(columns, 'in_3', undefined), { 'Stripe ID': 'in_3' });
});
