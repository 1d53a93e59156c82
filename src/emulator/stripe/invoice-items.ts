import type { RequestContext } from './context.js';
import { endpoint, pathParam, type Route } from './endpoint.js';
import { invalidRequest, onlyOneOf, parameterMissing, resourceMissing } from './errors.js';
import { findCustomer } from './customers.js';
import { newId } from './ids.js';
import { findInvoice, MAX_INVOICE_ITEMS } from './invoice-lookup.js';
import { renderPricing } from './line-items.js';
import { checkCursors, listObject, listParams } from './list.js';
import { applyMetadata } from './metadata.js';
import { checkMinorUnits, multiplyDecimal, normalizeDecimal } from './money.js';
import { createPrice, findPrice } from './prices.js';
import { findProduct } from './products.js';
import type { InvoiceItemRecord, InvoiceRecord, PriceRecord } from './records.js';
import { bool, currency, decimal, int, metadata, obj, oneOf, required, str, type InferFields } from './schema.js';

export function renderInvoiceItem(record: InvoiceItemRecord, ctx: RequestContext): unknown {
  if (record.deleted) return { id: record.id, object: 'invoiceitem', deleted: true };
  return {
    id: record.id,
    object: 'invoiceitem',
    amount: record.amount,
    currency: record.currency,
    customer: record.customer,
    customer_account: null,
    date: record.created,
    description: record.description,
    discountable: record.discountable,
    discounts: [],
    invoice: record.invoice,
    livemode: ctx.livemode,
    metadata: record.metadata,
    parent: null,
    period: record.period,
    pricing: renderPricing(record),
    proration: false,
    quantity: record.quantity,
    quantity_decimal: String(record.quantity),
    tax_rates: [],
    test_clock: null,
  };
}

function findInvoiceItem(ctx: RequestContext, id: string): InvoiceItemRecord {
  const record = ctx.data.invoiceItems.get(id);
  if (record === undefined || record.deleted) throw resourceMissing('invoiceitem', id, 'id');
  return record;
}

const period = obj({ start: required(int()), end: required(int()) });

const createFields = {
  customer: required(str()),
  amount: int(),
  currency: currency(),
  pricing: obj({ price: str() }),
  price_data: obj({
    currency: required(currency()),
    product: required(str()),
    unit_amount: int({ min: 0 }),
    unit_amount_decimal: decimal(),
    tax_behavior: oneOf(['exclusive', 'inclusive', 'unspecified']),
  }),
  unit_amount_decimal: decimal(),
  quantity: int({ min: 0 }),
  description: str({ max: 5000 }),
  discountable: bool(),
  invoice: str(),
  metadata: metadata(),
  period,
} as const;
type CreateInput = InferFields<typeof createFields>;

/**
 * The amount is given exactly one way: `amount` (+`currency`), `pricing[price]`, `price_data`,
 * or `unit_amount_decimal` (+`currency`), the last three times `quantity`.
 */
function checkCreate(input: CreateInput): void {
  const ways = [
    input.amount != null ? 'amount' : undefined,
    input.pricing != null ? 'pricing' : undefined,
    input.price_data != null ? 'price_data' : undefined,
    input.unit_amount_decimal != null ? 'unit_amount_decimal' : undefined,
  ].filter((way): way is string => way !== undefined);
  if (ways.length > 1) throw onlyOneOf(ways);
  if (ways.length === 0) {
    throw invalidRequest('You must specify one of these parameters: amount, pricing[price], price_data, unit_amount_decimal.', {
      code: 'parameter_missing',
      param: 'amount',
    });
  }
  if (input.amount != null) {
    if (input.quantity != null) throw onlyOneOf(['amount', 'quantity']);
    if (input.currency == null) throw parameterMissing('currency');
    checkMinorUnits(input.amount, input.currency, 'amount');
  }
  if (input.unit_amount_decimal != null && input.currency == null) throw parameterMissing('currency');
  if (input.pricing != null && input.pricing.price == null) throw parameterMissing('pricing[price]');
  const data = input.price_data;
  if (data != null) {
    if (data.unit_amount != null && data.unit_amount_decimal != null) {
      throw onlyOneOf(['price_data[unit_amount]', 'price_data[unit_amount_decimal]']);
    }
    if (data.unit_amount == null && data.unit_amount_decimal == null) throw parameterMissing('price_data[unit_amount]');
    if (data.unit_amount != null) checkMinorUnits(data.unit_amount, data.currency, 'price_data[unit_amount]');
    if (input.currency != null && input.currency !== data.currency) {
      throw invalidRequest(`The currency (${input.currency}) must match price_data[currency] (${data.currency}).`, { param: 'currency' });
    }
  }
  if (input.period != null && input.period.end < input.period.start) {
    throw invalidRequest('Invalid period: period[end] must be on or after period[start].', { param: 'period[end]' });
  }
}

interface Priced {
  currency: string;
  amount: number;
  quantity: number;
  unit_amount_decimal: string | null;
  /** The Price the item is for, or for `price_data` the inline Price still to be stored. */
  price: PriceRecord | { inline: Parameters<typeof createPrice>[1] } | null;
}

/**
 * Works out the item's amount and currency, reading stored data only: the inline Price that
 * `price_data` makes is stored by `storeInlinePrice`, after every check has passed, so that a
 * refused item (a full invoice, another customer's invoice) leaves no stray Price behind.
 */
function price(ctx: RequestContext, input: CreateInput): Priced {
  const quantity = input.quantity ?? 1;
  if (input.amount != null && input.currency != null) {
    return { currency: input.currency, amount: input.amount, quantity: 1, unit_amount_decimal: String(input.amount), price: null };
  }
  if (input.unit_amount_decimal != null && input.currency != null) {
    const unit = normalizeDecimal(input.unit_amount_decimal);
    return { currency: input.currency, amount: multiplyDecimal(unit, quantity), quantity, unit_amount_decimal: unit, price: null };
  }
  if (input.price_data != null) {
    const data = input.price_data;
    const product = findProduct(ctx, data.product, 'price_data[product]');
    const unit = normalizeDecimal(data.unit_amount_decimal ?? String(data.unit_amount ?? 0));
    return {
      currency: data.currency,
      amount: multiplyDecimal(unit, quantity),
      quantity,
      unit_amount_decimal: unit,
      // Stripe makes an inline Price for price_data; it is inactive so it is not offered again.
      price: {
        inline: { product: product.id, currency: data.currency, unit_amount_decimal: unit, active: false, nickname: null, metadata: {} },
      },
    };
  }
  const id = input.pricing?.price ?? '';
  const record = findPrice(ctx, id, 'pricing[price]');
  if (!record.active) {
    throw invalidRequest(`The price specified (${id}) is inactive. This field only accepts active prices.`, { param: 'pricing[price]' });
  }
  if (input.currency != null && input.currency !== record.currency) {
    throw invalidRequest(`The currency (${input.currency}) must match the price's currency (${record.currency}).`, { param: 'currency' });
  }
  return {
    currency: record.currency,
    amount: multiplyDecimal(record.unit_amount_decimal, quantity),
    quantity,
    unit_amount_decimal: record.unit_amount_decimal,
    price: record,
  };
}

function storeInlinePrice(ctx: RequestContext, priced: Priced): PriceRecord | null {
  if (priced.price === null) return null;
  return 'inline' in priced.price ? createPrice(ctx, priced.price.inline) : priced.price;
}

/**
 * The rules for `invoice=in_…`. The 250-item cap is Stripe's (API version 2016-02-22 on: "Returns
 * an error on attempts to add more than 250 invoice items to an invoice"), but Stripe publishes
 * neither the message nor a code for it; the message below is the emulator's own wording in
 * Stripe's style, and, like Stripe's other parameter errors, it names `invoice` as the param.
 */
function checkAttach(ctx: RequestContext, invoice: InvoiceRecord, customerId: string, currency: string): void {
  if (invoice.customer !== customerId) {
    throw invalidRequest(
      `The invoice item's customer (${customerId}) must be the same as the customer of invoice ${invoice.id} (${invoice.customer}).`,
      { param: 'invoice' },
    );
  }
  if (invoice.status !== 'draft') {
    throw invalidRequest(`Invoice ${invoice.id} is no longer a draft; invoice items can only be added to draft invoices.`, {
      param: 'invoice',
    });
  }
  if (invoice.currency !== currency) {
    const message = `The invoice item's currency (${currency}) must match the currency of invoice ${invoice.id} (${invoice.currency}).`;
    throw invalidRequest(message, { param: 'currency' });
  }
  // The lines the invoice shows: its attached items that are not deleted.
  const lines = invoice.items.filter((id) => ctx.data.invoiceItems.get(id)?.deleted === false).length;
  if (lines >= MAX_INVOICE_ITEMS) {
    throw invalidRequest(
      `Invoice ${invoice.id} already has the maximum of ${MAX_INVOICE_ITEMS} invoice items; add further items to another invoice.`,
      { param: 'invoice' },
    );
  }
}

export const invoiceItemRoutes: Route[] = [
  endpoint({
    method: 'POST',
    path: '/v1/invoiceitems',
    params: createFields,
    check: checkCreate,
    run(ctx, input) {
      const customer = findCustomer(ctx, input.customer, 'customer');
      const priced = price(ctx, input);
      const invoice = input.invoice == null ? undefined : findInvoice(ctx, input.invoice, 'invoice');
      if (invoice !== undefined) checkAttach(ctx, invoice, customer.id, priced.currency);
      // Every check has passed: from here on the request writes.
      const storedPrice = storeInlinePrice(ctx, priced);
      const record: InvoiceItemRecord = {
        id: newId.invoiceItem(),
        seq: ctx.data.nextSeq(),
        created: ctx.now,
        metadata: applyMetadata({}, input.metadata),
        deleted: false,
        customer: customer.id,
        currency: priced.currency,
        amount: priced.amount,
        quantity: priced.quantity,
        unit_amount_decimal: priced.unit_amount_decimal,
        price: storedPrice?.id ?? null,
        product: storedPrice?.product ?? null,
        description: input.description ?? null,
        discountable: input.discountable ?? priced.amount >= 0,
        period: input.period ?? { start: ctx.now, end: ctx.now },
        invoice: invoice?.id ?? null,
        line_id: newId.lineItem(),
      };
      ctx.data.invoiceItems.set(record.id, record);
      invoice?.items.push(record.id);
      customer.currency ??= record.currency;
      return renderInvoiceItem(record, ctx);
    },
  }),
  endpoint({
    method: 'GET',
    path: '/v1/invoiceitems/:id',
    params: {},
    run: (ctx, _input, path) => renderInvoiceItem(findInvoiceItem(ctx, pathParam(path, 'id')), ctx),
  }),
  endpoint({
    method: 'POST',
    path: '/v1/invoiceitems/:id',
    params: { description: str({ max: 5000 }), discountable: bool(), metadata: metadata(), period },
    run(ctx, input, path) {
      const record = findInvoiceItem(ctx, pathParam(path, 'id'));
      assertEditable(ctx, record);
      if (input.description !== undefined) record.description = input.description;
      if (input.discountable != null) record.discountable = input.discountable;
      if (input.period != null) record.period = input.period;
      record.metadata = applyMetadata(record.metadata, input.metadata);
      return renderInvoiceItem(record, ctx);
    },
  }),
  endpoint({
    method: 'DELETE',
    path: '/v1/invoiceitems/:id',
    params: {},
    run(ctx, _input, path) {
      const record = findInvoiceItem(ctx, pathParam(path, 'id'));
      assertEditable(ctx, record);
      if (record.invoice !== null) {
        const invoice = ctx.data.invoices.get(record.invoice);
        if (invoice !== undefined) invoice.items = invoice.items.filter((id) => id !== record.id);
      }
      record.deleted = true;
      return renderInvoiceItem(record, ctx);
    },
  }),
  endpoint({
    method: 'GET',
    path: '/v1/invoiceitems',
    params: { ...listParams, customer: str(), invoice: str(), pending: bool() },
    check: checkCursors,
    run(ctx, input) {
      return listObject({
        all: ctx.data.invoiceItems.values(),
        keep: (record) =>
          !record.deleted &&
          (input.customer == null || record.customer === input.customer) &&
          (input.invoice == null || record.invoice === input.invoice) &&
          (input.pending == null || (record.invoice === null) === input.pending),
        input,
        url: '/v1/invoiceitems',
        noun: 'invoiceitem',
        render: (record) => renderInvoiceItem(record, ctx),
      });
    },
  }),
];

/** Items on a finalized invoice are part of a legal document and no longer change. */
function assertEditable(ctx: RequestContext, record: InvoiceItemRecord): void {
  if (record.invoice === null) return;
  const invoice = ctx.data.invoices.get(record.invoice);
  if (invoice !== undefined && invoice.status !== 'draft') {
    throw invalidRequest(
      `Invoice item ${record.id} is attached to invoice ${invoice.id}, which is no longer a draft, and can no longer be changed.`,
    );
  }
}
