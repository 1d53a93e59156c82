import type { RequestContext } from './context.js';
import { renderCustomer } from './customers.js';
import { renderInvoiceItem } from './invoice-items.js';
import { renderInvoice } from './invoices.js';
import { newestFirst, type Listable } from './list.js';
import { renderPrice } from './prices.js';
import { renderProduct } from './products.js';
import type { ObjectKind } from './types.js';

export const OBJECT_KINDS: readonly ObjectKind[] = ['customer', 'invoiceitem', 'invoice', 'price', 'product'];

export function isObjectKind(value: string): value is ObjectKind {
  return (OBJECT_KINDS as readonly string[]).includes(value);
}

function oldestFirst<R extends Listable & { deleted?: boolean }>(records: Iterable<R>): R[] {
  return [...records].filter((record) => record.deleted !== true).sort((a, b) => newestFirst(b, a));
}

/** Every object of `kind` that exists (not deleted), oldest first, rendered as the API returns it. */
export function listObjects(kind: ObjectKind, ctx: RequestContext): unknown[] {
  const { data } = ctx;
  switch (kind) {
    case 'customer':
      return oldestFirst(data.customers.values()).map((r) => renderCustomer(r, ctx));
    case 'invoiceitem':
      return oldestFirst(data.invoiceItems.values()).map((r) => renderInvoiceItem(r, ctx));
    case 'invoice':
      return oldestFirst(data.invoices.values()).map((r) => renderInvoice(r, ctx));
    case 'price':
      return oldestFirst(data.prices.values()).map((r) => renderPrice(r, ctx));
    case 'product':
      return oldestFirst(data.products.values()).map((r) => renderProduct(r, ctx));
  }
}
