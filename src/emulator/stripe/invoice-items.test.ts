import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import type Stripe from 'stripe';
import { sdkFor, stripeFailure } from './test-sdk.js';
import { errorOf, startHarness, type Harness } from './test-support.js';

describe('products, prices and invoice items', () => {
  let h: Harness;
  let client: ReturnType<typeof sdkFor>;
  let stripe: Stripe;
  let customer: Stripe.Customer;
  before(async () => {
    h = await startHarness();
    client = sdkFor(h.emulator);
    stripe = client();
  });
  after(() => h.emulator.close());
  beforeEach(async () => {
    h.emulator.reset();
    customer = await stripe.customers.create({ email: 'ann@example.com' });
  });

  it('creates and retrieves products and prices (product or product_data)', async () => {
    const product = await stripe.products.create({ name: 'Consulting' });
    assert.match(product.id, /^prod_/);
    assert.equal((await stripe.products.retrieve(product.id)).name, 'Consulting');
    const price = await stripe.prices.create({ currency: 'usd', unit_amount: 2500, product: product.id });
    assert.match(price.id, /^price_/);
    assert.equal(price.unit_amount, 2500);
    assert.equal(String(price.unit_amount_decimal), '2500', 'the SDK turns decimal strings into Decimal objects');
    assert.equal(price.type, 'one_time');
    assert.equal((await stripe.prices.retrieve(price.id)).product, product.id);
    const inline = await stripe.prices.create({ currency: 'eur', unit_amount: 100, product_data: { name: 'Widget' } });
    assert.equal((await stripe.products.retrieve(String(inline.product))).name, 'Widget');
    const missing = await stripeFailure(() => stripe.prices.create({ currency: 'usd', unit_amount: 1, product: 'prod_nope' }));
    assert.equal(missing.statusCode, 404);
    assert.equal(missing.message, "No such product: 'prod_nope'");
  });

  it('creates a pending item from amount + currency', async () => {
    const item = await stripe.invoiceItems.create({
      customer: customer.id,
      amount: 1050,
      currency: 'usd',
      description: 'Setup',
      metadata: { row: '7' },
    });
    assert.match(item.id, /^ii_/);
    assert.equal(item.object, 'invoiceitem');
    assert.equal(item.amount, 1050);
    assert.equal(item.currency, 'usd');
    assert.equal(item.quantity, 1);
    assert.equal(item.invoice, null);
    assert.equal(item.customer, customer.id);
    assert.deepEqual(item.metadata, { row: '7' });
    assert.equal(item.period.start, item.date);
    assert.equal((await stripe.invoiceItems.retrieve(item.id)).description, 'Setup');
  });

  it('prices an item from pricing[price] × quantity, price_data, or unit_amount_decimal × quantity', async () => {
    const product = await stripe.products.create({ name: 'Hours' });
    const price = await stripe.prices.create({ currency: 'eur', unit_amount: 1250, product: product.id });
    const byPrice = await stripe.invoiceItems.create({ customer: customer.id, pricing: { price: price.id }, quantity: 3 });
    assert.equal(byPrice.amount, 3750);
    assert.equal(byPrice.currency, 'eur');
    assert.equal(byPrice.quantity, 3);
    assert.deepEqual(byPrice.pricing?.price_details, { price: price.id, product: product.id });

    const byData = await stripe.invoiceItems.create({
      customer: customer.id,
      price_data: { currency: 'eur', product: product.id, unit_amount: 200 },
      quantity: 2,
    });
    assert.equal(byData.amount, 400);

    const byDecimal = await h.raw('POST', '/v1/invoiceitems', {
      body: `customer=${customer.id}&unit_amount_decimal=33.335&quantity=3&currency=usd`,
    });
    assert.equal(byDecimal.status, 200);
    assert.equal((byDecimal.json as { amount: number }).amount, 100, '33.335 × 3 = 100.005, rounded to 100');
  });

  it('refuses an amount given two ways, or none', async () => {
    const both = await h.raw('POST', '/v1/invoiceitems', { body: `customer=${customer.id}&amount=100&currency=usd&unit_amount_decimal=5` });
    assert.equal(both.status, 400);
    assert.equal(errorOf(both).message, 'You may only specify one of these parameters: amount, unit_amount_decimal.');
    const none = await h.raw('POST', '/v1/invoiceitems', { body: `customer=${customer.id}&currency=usd` });
    assert.equal(none.status, 400);
    assert.equal(errorOf(none).code, 'parameter_missing');
    const noCurrency = await h.raw('POST', '/v1/invoiceitems', { body: `customer=${customer.id}&amount=100` });
    assert.equal(errorOf(noCurrency).message, 'Missing required param: currency.');
    assert.equal(h.emulator.objects('invoiceitem').length, 0);
  });

  it('checks customer, currency and three-decimal amounts', async () => {
    const noCustomer = await h.raw('POST', '/v1/invoiceitems', { body: 'amount=100&currency=usd' });
    assert.equal(errorOf(noCustomer).message, 'Missing required param: customer.');
    assert.equal(errorOf(noCustomer).code, 'parameter_missing');
    const unknown = await stripeFailure(() => stripe.invoiceItems.create({ customer: 'cus_nope', amount: 100, currency: 'usd' }));
    assert.equal(unknown.statusCode, 404);
    assert.equal(unknown.message, "No such customer: 'cus_nope'");
    assert.equal(unknown.param, 'customer');
    const currency = await h.raw('POST', '/v1/invoiceitems', { body: `customer=${customer.id}&amount=100&currency=xyz` });
    assert.match(String(errorOf(currency).message), /^Invalid currency: xyz\. Stripe currently supports these currencies: usd, aed/);
    const kwd = await h.raw('POST', '/v1/invoiceitems', { body: `customer=${customer.id}&amount=1005&currency=kwd` });
    assert.equal(kwd.status, 400);
    assert.equal(errorOf(kwd).param, 'amount');
    const kwdOk = await h.raw('POST', '/v1/invoiceitems', { body: `customer=${customer.id}&amount=1000&currency=KWD` });
    assert.equal(kwdOk.status, 200);
    assert.equal((kwdOk.json as { currency: string }).currency, 'kwd');
    const integer = await h.raw('POST', '/v1/invoiceitems', { body: `customer=${customer.id}&amount=abc&currency=usd` });
    assert.equal(errorOf(integer).message, 'Invalid integer: abc');
  });

  it('attaches an item to a draft with invoice=, only for the same customer and a draft', async () => {
    const draft = await stripe.invoices.create({ customer: customer.id, currency: 'usd' });
    const item = await stripe.invoiceItems.create({ customer: customer.id, amount: 500, currency: 'usd', invoice: draft.id });
    assert.equal(item.invoice, draft.id);
    const invoice = await stripe.invoices.retrieve(draft.id);
    assert.equal(invoice.total, 500);
    assert.equal(invoice.lines.data[0]?.parent?.invoice_item_details?.invoice_item, item.id);

    const other = await stripe.customers.create({ name: 'Other' });
    const wrongCustomer = await stripeFailure(() =>
      stripe.invoiceItems.create({ customer: other.id, amount: 1, currency: 'usd', invoice: draft.id }),
    );
    assert.equal(wrongCustomer.statusCode, 400);
    assert.equal(wrongCustomer.param, 'invoice');

    await stripe.invoices.finalizeInvoice(draft.id);
    const finalized = await stripeFailure(() =>
      stripe.invoiceItems.create({ customer: customer.id, amount: 1, currency: 'usd', invoice: draft.id }),
    );
    assert.equal(finalized.statusCode, 400);
    const missing = await stripeFailure(() =>
      stripe.invoiceItems.create({ customer: customer.id, amount: 1, currency: 'usd', invoice: 'in_nope' }),
    );
    assert.equal(missing.statusCode, 404);
    assert.equal(missing.message, "No such invoice: 'in_nope'");
  });

  it('refuses a 251st item on a draft with a 400 naming invoice, and stores nothing for it', async () => {
    const draft = await stripe.invoices.create({ customer: customer.id, currency: 'usd' });
    for (let i = 1; i <= 250; i++) {
      const res = await h.raw('POST', '/v1/invoiceitems', { body: `customer=${customer.id}&amount=${i}&currency=usd&invoice=${draft.id}` });
      assert.equal(res.status, 200, `item ${i}: ${JSON.stringify(res.json)}`);
    }
    const product = await stripe.products.create({ name: 'Extra' });
    const prices = h.emulator.objects('price').length;
    const items = h.emulator.objects('invoiceitem').length;

    const full = await h.raw('POST', '/v1/invoiceitems', {
      body: `customer=${customer.id}&price_data[currency]=usd&price_data[product]=${product.id}&price_data[unit_amount]=7&invoice=${draft.id}`,
    });
    assert.equal(full.status, 400);
    assert.deepEqual(errorOf(full), {
      type: 'invalid_request_error',
      param: 'invoice',
      message: `Invoice ${draft.id} already has the maximum of 250 invoice items; add further items to another invoice.`,
    });
    // Refused before anything was written: no item, and no inline Price for its price_data.
    assert.equal(h.emulator.objects('invoiceitem').length, items);
    assert.equal(h.emulator.objects('price').length, prices);
    const invoice = await stripe.invoices.retrieve(draft.id);
    assert.equal((invoice.lines as unknown as { total_count: number }).total_count, 250);
    assert.equal(invoice.total, (250 * 251) / 2);

    // The cap is on the invoice, not the customer: a pending item is still fine, and so is the
    // 250th again once one line is removed.
    const pending = await stripe.invoiceItems.create({ customer: customer.id, amount: 1, currency: 'usd' });
    assert.equal(pending.invoice, null);
    await stripe.invoiceItems.del(invoice.lines.data[0]?.parent?.invoice_item_details?.invoice_item ?? '');
    const again = await stripe.invoiceItems.create({ customer: customer.id, amount: 1, currency: 'usd', invoice: draft.id });
    assert.equal(again.invoice, draft.id);
    const refused = await stripeFailure(() =>
      stripe.invoiceItems.create({ customer: customer.id, amount: 1, currency: 'usd', invoice: draft.id }),
    );
    assert.equal(refused.statusCode, 400);
    assert.equal(refused.type, 'StripeInvalidRequestError');
  });

  it('lists with customer, invoice and pending filters, and deletes pending items', async () => {
    const draft = await stripe.invoices.create({ customer: customer.id, currency: 'usd' });
    const attached = await stripe.invoiceItems.create({ customer: customer.id, amount: 1, currency: 'usd', invoice: draft.id });
    const pending = await stripe.invoiceItems.create({ customer: customer.id, amount: 2, currency: 'usd' });
    assert.deepEqual(
      (await stripe.invoiceItems.list({ pending: true })).data.map((i) => i.id),
      [pending.id],
    );
    assert.deepEqual(
      (await stripe.invoiceItems.list({ pending: false })).data.map((i) => i.id),
      [attached.id],
    );
    assert.deepEqual(
      (await stripe.invoiceItems.list({ invoice: draft.id })).data.map((i) => i.id),
      [attached.id],
    );
    assert.equal((await stripe.invoiceItems.list({ customer: customer.id })).data.length, 2);
    const deleted = await stripe.invoiceItems.del(pending.id);
    assert.equal(deleted.deleted, true);
    const gone = await stripeFailure(() => stripe.invoiceItems.retrieve(pending.id));
    assert.equal(gone.message, `No such invoiceitem: '${pending.id}'`);
    await stripe.invoiceItems.del(attached.id);
    assert.equal((await stripe.invoices.retrieve(draft.id)).total, 0, 'removing an item updates the draft');
  });
});
