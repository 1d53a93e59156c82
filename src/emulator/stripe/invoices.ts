import type { RequestContext } from './context.js';
import { findCustomer } from './customers.js';
import { endpoint, pathParam, type Route } from './endpoint.js';
import { invalidRequest, onlyOneOf, resourceMissing } from './errors.js';
import { newId, randomToken } from './ids.js';
import { findInvoice, MAX_INVOICE_ITEMS } from './invoice-lookup.js';
import { renderLineItem } from './line-items.js';
import { checkCursors, listObject, listParams } from './list.js';
import { applyMetadata } from './metadata.js';
import type { InvoiceItemRecord, InvoiceRecord } from './records.js';
import { bool, currency, int, metadata, oneOf, required, str, type InferFields } from './schema.js';

const DAY = 86_400;
/** Stripe embeds the first lines in the invoice; the rest are paged from `/lines`. */
const EMBEDDED_LINES = 10;
const ACCOUNT_DEFAULT_CURRENCY = 'usd';

function attachedItems(ctx: RequestContext, invoice: InvoiceRecord): InvoiceItemRecord[] {
  return invoice.items
    .map((id) => ctx.data.invoiceItems.get(id))
    .filter((item): item is InvoiceItemRecord => item !== undefined && !item.deleted);
}

/** Totals are computed from the attached items each time, so they are right as items come and go. */
function invoiceTotal(ctx: RequestContext, invoice: InvoiceRecord): number {
  return attachedItems(ctx, invoice).reduce((sum, item) => sum + item.amount, 0);
}

export function renderInvoice(invoice: InvoiceRecord, ctx: RequestContext): unknown {
  if (invoice.deleted) return { id: invoice.id, object: 'invoice', deleted: true };
  const items = attachedItems(ctx, invoice);
  const total = items.reduce((sum, item) => sum + item.amount, 0);
  const paid = invoice.status === 'paid';
  const finalized = invoice.finalized_at !== null;
  const customer = invoice.customer_snapshot ?? ctx.data.customers.get(invoice.customer);
  const urlBase = `${ctx.accountId}/${ctx.livemode ? 'live' : 'test'}_${invoice.url_token}`;
  return {
    id: invoice.id,
    object: 'invoice',
    account_country: 'US',
    account_name: 'Sluice Stripe Emulator',
    account_tax_ids: null,
    amount_due: total,
    amount_overpaid: 0,
    amount_paid: paid ? total : 0,
    amount_remaining: paid ? 0 : total,
    amount_shipping: 0,
    application: null,
    attempt_count: 0,
    attempted: paid,
    auto_advance: invoice.auto_advance,
    automatic_tax: { disabled_reason: null, enabled: false, liability: null, provider: null, status: null },
    automatically_finalizes_at: invoice.status === 'draft' && invoice.auto_advance ? invoice.created + 3600 : null,
    billing_reason: 'manual',
    collection_method: invoice.collection_method,
    confirmation_secret: null,
    created: invoice.created,
    currency: invoice.currency,
    custom_fields: null,
    customer: invoice.customer,
    customer_account: null,
    customer_address: customer?.address ?? null,
    customer_email: customer?.email ?? null,
    customer_name: customer?.name ?? null,
    customer_phone: customer?.phone ?? null,
    customer_shipping: customer?.shipping ?? null,
    customer_tax_exempt: customer?.tax_exempt ?? 'none',
    customer_tax_ids: [],
    default_payment_method: null,
    default_source: null,
    default_tax_rates: [],
    description: invoice.description,
    discounts: [],
    due_date: invoice.due_date,
    effective_at: invoice.finalized_at,
    ending_balance: finalized ? 0 : null,
    footer: invoice.footer,
    from_invoice: null,
    hosted_invoice_url: finalized ? `https://invoice.stripe.com/i/${urlBase}` : null,
    invoice_pdf: finalized ? `https://pay.stripe.com/invoice/${urlBase}/pdf` : null,
    issuer: { type: 'self' },
    last_finalization_error: null,
    latest_revision: null,
    lines: {
      object: 'list',
      data: items.slice(0, EMBEDDED_LINES).map((item) => renderLineItem(item, invoice.id, ctx)),
      has_more: items.length > EMBEDDED_LINES,
      total_count: items.length,
      url: `/v1/invoices/${invoice.id}/lines`,
    },
    livemode: ctx.livemode,
    metadata: invoice.metadata,
    next_payment_attempt: null,
    number: invoice.number,
    on_behalf_of: null,
    parent: null,
    payment_settings: { default_mandate: null, payment_method_options: null, payment_method_types: null },
    period_end: invoice.created,
    period_start: invoice.created,
    post_payment_credit_notes_amount: 0,
    pre_payment_credit_notes_amount: 0,
    receipt_number: null,
    rendering: null,
    shipping_cost: null,
    shipping_details: null,
    starting_balance: 0,
    statement_descriptor: null,
    status: invoice.status,
    status_transitions: {
      finalized_at: invoice.finalized_at,
      marked_uncollectible_at: null,
      paid_at: invoice.paid_at,
      voided_at: null,
    },
    subtotal: total,
    subtotal_excluding_tax: total,
    test_clock: null,
    total,
    total_discount_amounts: [],
    total_excluding_tax: total,
    total_pretax_credit_amounts: [],
    total_taxes: [],
    webhooks_delivered_at: null,
  };
}

const createFields = {
  customer: required(str()),
  auto_advance: bool(),
  collection_method: oneOf(['charge_automatically', 'send_invoice']),
  currency: currency(),
  days_until_due: int({ min: 0, max: 3650 }),
  due_date: int(),
  description: str({ max: 1500 }),
  footer: str({ max: 5000 }),
  metadata: metadata(),
  pending_invoice_items_behavior: oneOf(['exclude', 'include']),
} as const;
type CreateInput = InferFields<typeof createFields>;

function checkDue(collectionMethod: string, input: { days_until_due?: number | null; due_date?: number | null }): void {
  if (input.days_until_due != null && input.due_date != null) throw onlyOneOf(['days_until_due', 'due_date']);
  if (collectionMethod === 'send_invoice') {
    if (input.days_until_due == null && input.due_date == null) {
      throw invalidRequest(
        'Missing required param: days_until_due. Invoices with collection_method=send_invoice need days_until_due or due_date.',
        { code: 'parameter_missing', param: 'days_until_due' },
      );
    }
    return;
  }
  for (const param of ['days_until_due', 'due_date'] as const) {
    if (input[param] != null) {
      throw invalidRequest(`You can only set \`${param}\` on invoices with \`collection_method=send_invoice\`.`, { param });
    }
  }
}

function checkFutureDueDate(ctx: RequestContext, dueDate: number | null | undefined): void {
  if (dueDate != null && dueDate <= ctx.now) {
    throw invalidRequest(`Invalid due_date: ${dueDate} is in the past; it must be a time in the future.`, { param: 'due_date' });
  }
}

/**
 * Draft → open (or paid, when nothing is due). The number comes from the customer's
 * `invoice_prefix` and sequence, as with Stripe's default per-customer numbering.
 */
function finalize(ctx: RequestContext, invoice: InvoiceRecord): void {
  const customer = ctx.data.customers.get(invoice.customer);
  if (customer !== undefined) {
    invoice.number = `${customer.invoice_prefix}-${String(customer.next_invoice_sequence).padStart(4, '0')}`;
    customer.next_invoice_sequence += 1;
    invoice.customer_snapshot = { ...customer };
  }
  invoice.finalized_at = ctx.now;
  if (invoice.days_until_due !== null) invoice.due_date = ctx.now + invoice.days_until_due * DAY;
  if (invoiceTotal(ctx, invoice) === 0) {
    invoice.status = 'paid';
    invoice.paid_at = ctx.now;
  } else {
    invoice.status = 'open';
  }
}

function create(ctx: RequestContext, input: CreateInput): InvoiceRecord {
  const customer = findCustomer(ctx, input.customer, 'customer');
  checkFutureDueDate(ctx, input.due_date);
  const invoiceCurrency = input.currency ?? customer.currency ?? ACCOUNT_DEFAULT_CURRENCY;
  const invoice: InvoiceRecord = {
    id: newId.invoice(),
    seq: ctx.data.nextSeq(),
    created: ctx.now,
    metadata: applyMetadata({}, input.metadata),
    deleted: false,
    customer: customer.id,
    currency: invoiceCurrency,
    status: 'draft',
    collection_method: input.collection_method ?? 'charge_automatically',
    auto_advance: input.auto_advance ?? false,
    description: input.description ?? null,
    footer: input.footer ?? customer.invoice_footer,
    days_until_due: input.days_until_due ?? null,
    due_date: input.days_until_due != null ? ctx.now + input.days_until_due * DAY : (input.due_date ?? null),
    number: null,
    items: [],
    finalized_at: null,
    paid_at: null,
    sent: false,
    customer_snapshot: null,
    url_token: randomToken(48),
  };
  // Stripe's default is `exclude`: pending items stay pending and the draft starts empty. With
  // `include` a draft takes at most 250 of them and the rest stay pending, without an error: "Creating
  // an invoice adds up to 250 pending invoice items with the remainder to be added on the next
  // invoice" (Stripe's invoicing integration guide). Which 250 is not documented; oldest first.
  if (input.pending_invoice_items_behavior === 'include') {
    const pending = [...ctx.data.invoiceItems.values()]
      .filter((item) => !item.deleted && item.customer === customer.id && item.invoice === null && item.currency === invoiceCurrency)
      .sort((a, b) => a.created - b.created || a.seq - b.seq)
      .slice(0, MAX_INVOICE_ITEMS);
    for (const item of pending) {
      item.invoice = invoice.id;
      invoice.items.push(item.id);
    }
  }
  ctx.data.invoices.set(invoice.id, invoice);
  return invoice;
}

export const invoiceRoutes: Route[] = [
  endpoint({
    method: 'POST',
    path: '/v1/invoices',
    params: createFields,
    check: (input) => checkDue(input.collection_method ?? 'charge_automatically', input),
    run: (ctx, input) => renderInvoice(create(ctx, input), ctx),
  }),
  endpoint({
    method: 'GET',
    path: '/v1/invoices/:id',
    params: {},
    run: (ctx, _input, path) => renderInvoice(findInvoice(ctx, pathParam(path, 'id'), 'id'), ctx),
  }),
  endpoint({
    method: 'POST',
    path: '/v1/invoices/:id',
    params: {
      auto_advance: bool(),
      description: str({ max: 1500 }),
      footer: str({ max: 5000 }),
      metadata: metadata(),
      days_until_due: int({ min: 0, max: 3650 }),
      due_date: int(),
    },
    run(ctx, input, path) {
      const invoice = findInvoice(ctx, pathParam(path, 'id'), 'id');
      const onlyMetadata = Object.keys(input).every((key) => key === 'metadata' || key === 'expand');
      if (invoice.status !== 'draft' && !onlyMetadata) {
        throw invalidRequest(`Invoice ${invoice.id} is finalized; only its metadata can be updated.`);
      }
      if (input.days_until_due != null || input.due_date != null) {
        checkDue(invoice.collection_method, input);
        checkFutureDueDate(ctx, input.due_date);
        invoice.days_until_due = input.days_until_due ?? null;
        invoice.due_date = input.days_until_due != null ? ctx.now + input.days_until_due * DAY : (input.due_date ?? null);
      }
      if (input.auto_advance != null) invoice.auto_advance = input.auto_advance;
      if (input.description !== undefined) invoice.description = input.description;
      if (input.footer !== undefined) invoice.footer = input.footer;
      invoice.metadata = applyMetadata(invoice.metadata, input.metadata);
      return renderInvoice(invoice, ctx);
    },
  }),
  endpoint({
    method: 'DELETE',
    path: '/v1/invoices/:id',
    params: {},
    run(ctx, _input, path) {
      const invoice = findInvoice(ctx, pathParam(path, 'id'), 'id');
      if (invoice.status !== 'draft') {
        throw invalidRequest('You can only delete draft invoices. Finalized invoices can be voided instead.');
      }
      for (const item of attachedItems(ctx, invoice)) item.deleted = true;
      invoice.deleted = true;
      return renderInvoice(invoice, ctx);
    },
  }),
  endpoint({
    method: 'POST',
    path: '/v1/invoices/:id/finalize',
    params: { auto_advance: bool() },
    run(ctx, input, path) {
      const invoice = findInvoice(ctx, pathParam(path, 'id'), 'id');
      if (invoice.status !== 'draft') {
        throw invalidRequest("This invoice is already finalized, you can't re-finalize a non-draft invoice.");
      }
      if (input.auto_advance != null) invoice.auto_advance = input.auto_advance;
      finalize(ctx, invoice);
      return renderInvoice(invoice, ctx);
    },
  }),
  endpoint({
    method: 'POST',
    path: '/v1/invoices/:id/send',
    params: {},
    run(ctx, _input, path) {
      const invoice = findInvoice(ctx, pathParam(path, 'id'), 'id');
      if (invoice.collection_method !== 'send_invoice') {
        throw invalidRequest("You can only manually send an invoice if its collection method is 'send_invoice'.");
      }
      if (invoice.status === 'void') throw invalidRequest('You cannot send an invoice that has been voided.');
      // Stripe finalizes a draft before sending it.
      if (invoice.status === 'draft') finalize(ctx, invoice);
      invoice.sent = true;
      return renderInvoice(invoice, ctx);
    },
  }),
  endpoint({
    method: 'GET',
    path: '/v1/invoices/:id/lines',
    params: { limit: int({ min: 1, max: 100 }), starting_after: str(), ending_before: str() },
    check: checkCursors,
    run(ctx, input, path) {
      const invoice = findInvoice(ctx, pathParam(path, 'id'), 'id');
      const items = attachedItems(ctx, invoice);
      const limit = input.limit ?? 10;
      const cursor = input.starting_after ?? input.ending_before;
      let start = 0;
      let end = items.length;
      if (cursor != null) {
        const at = items.findIndex((item) => item.line_id === cursor);
        if (at < 0) throw resourceMissing('line_item', cursor, input.starting_after != null ? 'starting_after' : 'ending_before');
        if (input.starting_after != null) start = at + 1;
        else end = at;
      }
      const window = items.slice(start, end);
      const page = input.ending_before != null ? window.slice(Math.max(0, window.length - limit)) : window.slice(0, limit);
      return {
        object: 'list',
        data: page.map((item) => renderLineItem(item, invoice.id, ctx)),
        has_more: window.length > limit,
        url: `/v1/invoices/${invoice.id}/lines`,
      };
    },
  }),
  endpoint({
    method: 'GET',
    path: '/v1/invoices',
    params: {
      ...listParams,
      customer: str(),
      status: oneOf(['draft', 'open', 'paid', 'uncollectible', 'void']),
      collection_method: oneOf(['charge_automatically', 'send_invoice']),
    },
    check: checkCursors,
    run(ctx, input) {
      return listObject({
        all: ctx.data.invoices.values(),
        keep: (invoice) =>
          !invoice.deleted &&
          (input.customer == null || invoice.customer === input.customer) &&
          (input.status == null || invoice.status === input.status) &&
          (input.collection_method == null || invoice.collection_method === input.collection_method),
        input,
        url: '/v1/invoices',
        noun: 'invoice',
        render: (invoice) => renderInvoice(invoice, ctx),
      });
    },
  }),
];
