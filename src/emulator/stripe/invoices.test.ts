import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import type Stripe from 'stripe';
import { sdkFor, stripeFailure } from './test-sdk.js';
import { errorOf, startHarness, type Harness } from './test-support.js';

describe('invoices', () => {
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
    customer = await stripe.customers.create({ email: 'ann@example.com', name: 'Ann', invoice_prefix: 'ABCD1234' });
  });

  it('creates an empty draft by default: pending items stay pending (pending_invoice_items_behavior=exclude)', async () => {
    const item = await stripe.invoiceItems.create({ customer: customer.id, amount: 1050, currency: 'usd' });
    const invoice = await stripe.invoices.create({ customer: customer.id });
    assert.match(invoice.id, /^in_/);
    assert.equal(invoice.status, 'draft');
    assert.equal(invoice.collection_method, 'charge_automatically');
    assert.equal(invoice.number, null);
    assert.equal(invoice.total, 0);
    assert.equal(invoice.lines.data.length, 0);
    assert.equal((await stripe.invoiceItems.retrieve(item.id)).invoice, null);
  });

  it('takes the customer’s pending items of its currency with include, and they stop being pending', async () => {
    const a = await stripe.invoiceItems.create({ customer: customer.id, amount: 1000, currency: 'usd' });
    const b = await stripe.invoiceItems.create({ customer: customer.id, amount: 250, currency: 'usd' });
    const eur = await stripe.invoiceItems.create({ customer: customer.id, amount: 999, currency: 'eur' });
    const other = await stripe.customers.create({});
    await stripe.invoiceItems.create({ customer: other.id, amount: 5, currency: 'usd' });

    const invoice = await stripe.invoices.create({ customer: customer.id, currency: 'usd', pending_invoice_items_behavior: 'include' });
    assert.deepEqual(
      invoice.lines.data.map((line) => line.parent?.invoice_item_details?.invoice_item),
      [a.id, b.id],
    );
    assert.equal(invoice.subtotal, 1250);
    assert.equal(invoice.total, 1250);
    assert.equal(invoice.amount_due, 1250);
    assert.equal((invoice.lines as unknown as { total_count: number }).total_count, 2, 'the SDK type omits total_count; Stripe sends it');
    const pending = await stripe.invoiceItems.list({ customer: customer.id, pending: true });
    assert.deepEqual(
      pending.data.map((i) => i.id),
      [eur.id],
    );
    assert.equal((await stripe.invoiceItems.retrieve(a.id)).invoice, invoice.id);
    const lines = await stripe.invoices.listLineItems(invoice.id, { limit: 1 });
    assert.equal(lines.data.length, 1);
    assert.equal(lines.has_more, true);
  });

  it('takes at most 250 pending items with include, oldest first; the rest wait for the next invoice', async () => {
    const ids: string[] = [];
    for (let i = 1; i <= 251; i++) {
      const res = await h.raw('POST', '/v1/invoiceitems', { body: `customer=${customer.id}&amount=${i}&currency=usd` });
      assert.equal(res.status, 200, `item ${i}: ${JSON.stringify(res.json)}`);
      ids.push((res.json as { id: string }).id);
    }
    // Not an error: Stripe's guide says creating an invoice "adds up to 250 pending invoice items
    // with the remainder to be added on the next invoice".
    const first = await stripe.invoices.create({ customer: customer.id, currency: 'usd', pending_invoice_items_behavior: 'include' });
    assert.equal((first.lines as unknown as { total_count: number }).total_count, 250);
    assert.equal(first.total, (250 * 251) / 2);
    const pending = await stripe.invoiceItems.list({ customer: customer.id, pending: true });
    assert.deepEqual(
      pending.data.map((i) => i.id),
      [ids[250]],
    );
    const second = await stripe.invoices.create({ customer: customer.id, currency: 'usd', pending_invoice_items_behavior: 'include' });
    assert.equal(second.total, 251);
    assert.equal(second.lines.data[0]?.parent?.invoice_item_details?.invoice_item, ids[250]);
    assert.equal((await stripe.invoiceItems.list({ customer: customer.id, pending: true })).data.length, 0);
  });

  it('finalizes a draft: number from the customer’s prefix, URLs, finalized_at; not twice', async () => {
    const first = await stripe.invoices.create({ customer: customer.id, currency: 'usd' });
    await stripe.invoiceItems.create({ customer: customer.id, amount: 1050, currency: 'usd', invoice: first.id });
    const finalized = await stripe.invoices.finalizeInvoice(first.id);
    assert.equal(finalized.status, 'open');
    assert.equal(finalized.number, 'ABCD1234-0001');
    assert.match(finalized.hosted_invoice_url ?? '', /^https:\/\/invoice\.stripe\.com\/i\/acct_/);
    assert.match(finalized.invoice_pdf ?? '', /\/pdf$/);
    assert.equal(typeof finalized.status_transitions.finalized_at, 'number');
    assert.equal(finalized.customer_email, 'ann@example.com');

    const second = await stripe.invoices.create({ customer: customer.id, currency: 'usd' });
    await stripe.invoiceItems.create({ customer: customer.id, amount: 1, currency: 'usd', invoice: second.id });
    assert.equal((await stripe.invoices.finalizeInvoice(second.id)).number, 'ABCD1234-0002');

    const again = await stripeFailure(() => stripe.invoices.finalizeInvoice(first.id));
    assert.equal(again.statusCode, 400);
    assert.equal(again.message, "This invoice is already finalized, you can't re-finalize a non-draft invoice.");
  });

  it('marks a zero-total invoice paid on finalization', async () => {
    const empty = await stripe.invoices.create({ customer: customer.id });
    const finalized = await stripe.invoices.finalizeInvoice(empty.id);
    assert.equal(finalized.status, 'paid');
    assert.equal(finalized.amount_paid, 0);
    assert.equal(typeof finalized.status_transitions.paid_at, 'number');
  });

  it('needs days_until_due or due_date for send_invoice, and refuses them otherwise', async () => {
    const missing = await h.raw('POST', '/v1/invoices', { body: `customer=${customer.id}&collection_method=send_invoice` });
    assert.equal(missing.status, 400);
    assert.equal(errorOf(missing).param, 'days_until_due');
    const notSend = await h.raw('POST', '/v1/invoices', { body: `customer=${customer.id}&days_until_due=30` });
    assert.equal(notSend.status, 400);
    const pastDue = await h.raw('POST', '/v1/invoices', { body: `customer=${customer.id}&collection_method=send_invoice&due_date=1000` });
    assert.equal(errorOf(pastDue).param, 'due_date');
    const invoice = await stripe.invoices.create({ customer: customer.id, collection_method: 'send_invoice', days_until_due: 30 });
    assert.ok(invoice.due_date !== null && invoice.due_date >= invoice.created + 30 * 86400);
    const method = await h.raw('POST', '/v1/invoices', { body: `customer=${customer.id}&collection_method=mail` });
    assert.equal(errorOf(method).message, 'Invalid collection_method: must be one of charge_automatically or send_invoice');
  });

  it('sends only send_invoice invoices, finalizing a draft first', async () => {
    const auto = await stripe.invoices.create({ customer: customer.id, currency: 'usd' });
    await stripe.invoiceItems.create({ customer: customer.id, amount: 100, currency: 'usd', invoice: auto.id });
    await stripe.invoices.finalizeInvoice(auto.id);
    const refused = await stripeFailure(() => stripe.invoices.sendInvoice(auto.id));
    assert.equal(refused.statusCode, 400);
    assert.equal(refused.message, "You can only manually send an invoice if its collection method is 'send_invoice'.");

    const manual = await stripe.invoices.create({
      customer: customer.id,
      currency: 'usd',
      collection_method: 'send_invoice',
      days_until_due: 14,
    });
    await stripe.invoiceItems.create({ customer: customer.id, amount: 100, currency: 'usd', invoice: manual.id });
    const open = await stripe.invoices.finalizeInvoice(manual.id);
    const sent = await stripe.invoices.sendInvoice(open.id);
    assert.equal(sent.status, 'open');

    const draft = await stripe.invoices.create({
      customer: customer.id,
      currency: 'usd',
      collection_method: 'send_invoice',
      days_until_due: 14,
    });
    await stripe.invoiceItems.create({ customer: customer.id, amount: 100, currency: 'usd', invoice: draft.id });
    const sentDraft = await stripe.invoices.sendInvoice(draft.id);
    assert.equal(sentDraft.status, 'open');
    assert.equal(sentDraft.number, 'ABCD1234-0003');
  });

  it('retrieves, lists by customer and status, and deletes drafts only', async () => {
    const other = await stripe.customers.create({});
    const draft = await stripe.invoices.create({ customer: customer.id });
    const paid = await stripe.invoices.finalizeInvoice((await stripe.invoices.create({ customer: customer.id })).id);
    await stripe.invoices.create({ customer: other.id });
    assert.equal((await stripe.invoices.retrieve(draft.id)).id, draft.id);
    assert.equal((await stripe.invoices.list({ customer: customer.id })).data.length, 2);
    assert.deepEqual(
      (await stripe.invoices.list({ status: 'paid' })).data.map((i) => i.id),
      [paid.id],
    );
    assert.equal((await stripe.invoices.list({ status: 'draft' })).data.length, 2);

    const refused = await stripeFailure(() => stripe.invoices.del(paid.id));
    assert.equal(refused.statusCode, 400);
    const deleted = await stripe.invoices.del(draft.id);
    assert.equal(deleted.deleted, true);
    const gone = await stripeFailure(() => stripe.invoices.retrieve(draft.id));
    assert.equal(gone.statusCode, 404);
    assert.equal(gone.code, 'resource_missing');
  });

  it('needs an existing customer', async () => {
    const missing = await h.raw('POST', '/v1/invoices', { body: '' });
    assert.equal(errorOf(missing).message, 'Missing required param: customer.');
    const unknown = await stripeFailure(() => stripe.invoices.create({ customer: 'cus_x' }));
    assert.equal(unknown.statusCode, 404);
    assert.equal(unknown.message, "No such customer: 'cus_x'");
  });
});
