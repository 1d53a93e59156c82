import type Stripe from 'stripe';
import { fieldError, valueError, type FieldError } from '../../core/field-error.js';
import { integer, oneOf, stripeId, text } from './field-kit.js';

/**
 * The fields and rules that the invoice actions share (an invoice item, an invoice, an invoice from
 * rows), declared once so that their labels, limits and messages cannot drift apart.
 */

/** How a line is priced: a Price id × quantity, instead of an amount. */
export const priceFields = {
  price: stripeId('price', {
    label: 'Price',
    help: 'A Stripe Price id (price_…), instead of an amount.',
    example: 'price_1PqRsT2eZvKYlo2C',
    prefix: 'price',
    what: 'Price',
  }),
  quantity: integer('quantity', {
    label: 'Quantity',
    help: 'How many units of the price. (Default: 1)',
    example: '2',
    min: 1,
    max: 1_000_000,
  }),
};

/** How an invoice is paid. */
export const collectionFields = {
  collection_method: oneOf('collection_method', {
    label: 'Collection',
    help: 'charge_automatically charges the saved payment method; send_invoice emails the invoice for the customer to pay. (Default: charge_automatically)',
    example: 'send_invoice',
    options: ['charge_automatically', 'send_invoice'] as const,
    default: 'charge_automatically',
  }),
  days_until_due: integer('days_until_due', {
    label: 'Days until due',
    help: 'Required when the invoice is sent for payment (send_invoice).',
    example: '14',
    min: 0,
    max: 1825,
  }),
};

export const footerField = text('footer', {
  label: 'Footer',
  help: 'Shown at the bottom of the invoice.',
  example: 'Thank you!',
  max: 5000,
});

interface Priced {
  amount?: number;
  currency?: string;
  price?: string;
  quantity?: number;
}

/** The pricing of one invoice item: `pricing[price]` × `quantity`, or `amount` + `currency`. */
export function linePricing(input: Priced): Pick<Stripe.InvoiceItemCreateParams, 'pricing' | 'quantity' | 'amount' | 'currency'> {
  if (input.price !== undefined) {
    // API versions from 2025 name the price under `pricing`; the older top-level `price` is refused.
    return { pricing: { price: input.price }, ...(input.quantity !== undefined && { quantity: input.quantity }) };
  }
  return { ...(input.amount !== undefined && { amount: input.amount }), ...(input.currency !== undefined && { currency: input.currency }) };
}

/**
 * A line has an amount or a price, not both; a quantity only with a price. `currency` is refused
 * with a price where it would be the line's own currency (an invoice item), and allowed where it
 * is the invoice's (an invoice from rows).
 */
export function checkLinePricing(input: Priced, o: { currencyWithPrice: 'refuse' | 'allow' }): FieldError[] {
  const errors: FieldError[] = [];
  if (input.price === undefined && input.amount === undefined) {
    errors.push(fieldError('amount', '', 'is required unless a price is given; give an amount and a currency, or a price'));
  }
  if (input.price !== undefined && input.amount !== undefined) {
    errors.push(valueError('price', input.price, 'cannot be given together with an amount; give one of them'));
  }
  if (o.currencyWithPrice === 'refuse' && input.price !== undefined && input.currency !== undefined) {
    errors.push(valueError('currency', input.currency, 'is not used with a price, which has its own currency; leave it empty'));
  }
  if (input.price === undefined && input.quantity !== undefined) {
    errors.push(valueError('quantity', String(input.quantity), 'is only used with a price; an amount is already the line total'));
  }
  return errors;
}

/** send_invoice needs days_until_due, which nothing else takes; only an emailed invoice is sent. */
export function checkCollection(input: { collection_method?: string; days_until_due?: number; send?: boolean }): FieldError[] {
  const errors: FieldError[] = [];
  const sendInvoice = input.collection_method === 'send_invoice';
  if (sendInvoice && input.days_until_due === undefined) {
    errors.push(fieldError('days_until_due', '', 'is required when collection_method is send_invoice'));
  }
  if (!sendInvoice && input.days_until_due !== undefined) {
    errors.push(valueError('days_until_due', String(input.days_until_due), 'is only allowed when collection_method is send_invoice'));
  }
  if (input.send && !sendInvoice) {
    errors.push(
      valueError('send', 'yes', 'needs collection_method send_invoice; an automatically charged invoice is not emailed for payment'),
    );
  }
  return errors;
}
