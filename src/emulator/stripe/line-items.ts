import type { RequestContext } from './context.js';
import type { InvoiceItemRecord } from './records.js';

/** How an item was priced, in the shape both invoice items and lines use. Null without a Price. */
export function renderPricing(item: InvoiceItemRecord): unknown {
  if (item.price === null) return null;
  return {
    price_details: { price: item.price, product: item.product },
    type: 'price_details',
    unit_amount_decimal: item.unit_amount_decimal,
  };
}

/** An invoice item as a line of the invoice it is attached to. */
export function renderLineItem(item: InvoiceItemRecord, invoiceId: string, ctx: RequestContext): unknown {
  return {
    id: item.line_id,
    object: 'line_item',
    amount: item.amount,
    currency: item.currency,
    description: item.description,
    discount_amounts: [],
    discountable: item.discountable,
    discounts: [],
    invoice: invoiceId,
    livemode: ctx.livemode,
    metadata: item.metadata,
    parent: {
      invoice_item_details: {
        invoice_item: item.id,
        proration: false,
        proration_details: { credited_items: null },
        subscription: null,
      },
      subscription_item_details: null,
      type: 'invoice_item_details',
    },
    period: item.period,
    pretax_credit_amounts: [],
    pricing: renderPricing(item),
    quantity: item.quantity,
    quantity_decimal: String(item.quantity),
    subscription: null,
    subtotal: item.amount,
    taxes: [],
  };
}
