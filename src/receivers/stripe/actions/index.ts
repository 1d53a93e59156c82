import type { StripeAction } from '../action.js';
import type { Fields } from '../field-kit.js';
import { createCustomer } from './create-customer.js';
import { createInvoice } from './create-invoice.js';
import { createInvoiceItem } from './create-invoice-item.js';
import { createInvoiceFromRows } from './create-invoice-from-rows.js';

/** Every action by its stored key. */
export const actions: ReadonlyMap<string, StripeAction<Fields>> = new Map(
  [createCustomer, createInvoiceItem, createInvoice, createInvoiceFromRows].map((a) => [a.key, a as unknown as StripeAction<Fields>]),
);

export function findAction(key: string): StripeAction<Fields> | undefined {
  return actions.get(key);
}
