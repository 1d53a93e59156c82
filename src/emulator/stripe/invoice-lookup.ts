import type { RequestContext } from './context.js';
import { resourceMissing } from './errors.js';
import type { InvoiceRecord } from './records.js';

/** Stripe's cap on items per invoice. */
export const MAX_INVOICE_ITEMS = 250;

export function findInvoice(ctx: RequestContext, id: string, param: string): InvoiceRecord {
  const record = ctx.data.invoices.get(id);
  if (record === undefined || record.deleted) throw resourceMissing('invoice', id, param);
  return record;
}
