import type Stripe from 'stripe';
import type { FieldError } from '../../../core/field-error.js';
import { CREATE_STEP, defineAction, post } from '../action.js';
import { amount, currency, metadataField, stripeId, text, type InputOf } from '../field-kit.js';
import { findInList } from '../find-by-marker.js';
import { checkLinePricing, linePricing, priceFields } from '../invoice-fields.js';
import { checkCustomerFields, customerField, customerMissingFields, customerOf, plannedCustomerOf } from '../resolve-customer.js';

const fields = {
  customer: customerField,
  amount: amount('amount', {
    label: 'Amount',
    help: 'The line total as people write it (12.50, 12,50, 1 234,50, $12.50); converted to the smallest currency unit for Stripe (1250 for $12.50). Give an amount and a currency, or a price.',
    example: '{{Amount}}',
    currencyKey: 'currency',
  }),
  currency: currency('currency', { label: 'Currency', help: 'Three-letter ISO code, with an amount.', example: 'usd' }),
  ...priceFields,
  description: text('description', {
    label: 'Description',
    help: 'The line as the customer sees it on the invoice.',
    example: 'Consulting, May',
    max: 500,
  }),
  invoice: stripeId('invoice', {
    label: 'Draft invoice',
    help: 'Attach to this draft invoice (in_…); without it the item waits for the customer’s next invoice.',
    example: 'in_1PqRsT2eZvKYlo2C',
    prefix: 'in',
    what: 'invoice',
  }),
  ...customerMissingFields,
  metadata: metadataField,
};

type Input = InputOf<typeof fields>;

function itemParams(input: Input, customer: string, marker: Record<string, string>): Stripe.InvoiceItemCreateParams {
  const params: Stripe.InvoiceItemCreateParams = { customer, ...linePricing(input) };
  if (input.description !== undefined) params.description = input.description;
  if (input.invoice !== undefined) params.invoice = input.invoice;
  params.metadata = { ...input.metadata, ...marker };
  return params;
}

export const createInvoiceItem = defineAction({
  key: 'stripe.create_invoice_item',
  title: 'Add invoice item',
  description: "Adds a line to a customer's next invoice, or to a draft invoice, from each row.",
  fields,
  check(input) {
    const errors: FieldError[] = [...checkCustomerFields(input), ...checkLinePricing(input, { currencyWithPrice: 'refuse' })];
    return errors;
  },
  plan(input, marker) {
    const customer = plannedCustomerOf(input, marker);
    return [...customer.requests, post('/v1/invoiceitems', { ...itemParams(input, customer.id, marker) })];
  },
  async run(input, ctx) {
    const customer = await customerOf(input, ctx);
    let object: unknown;
    const id = await ctx.step(CREATE_STEP, async (idempotencyKey) => {
      const item = await ctx.stripe.invoiceItems.create(itemParams(input, customer.id, ctx.marker), { idempotencyKey });
      object = item;
      return item.id;
    });
    return { id, object, ...(customer.note && { note: customer.note }) };
  },
  async find(marker, input, ctx) {
    // With if_customer_missing: create, the row's customer step is stored before its create step,
    // so this reads the customer from the ledger (no request, no write): exactly the one the item
    // was sent for, where a new lookup might pick a newer customer with the same email.
    const { id: customer } = await customerOf(input, ctx);
    // Every item of the customer, pending or on an invoice: the list is strongly consistent.
    return findInList(ctx, () => ctx.stripe.invoiceItems.list({ customer, limit: 100 }), marker, `the invoice items of ${customer}`);
  },
  async test(input, ctx) {
    const result = await this.run(input, ctx);
    await ctx.read(() => ctx.stripe.invoiceItems.del(result.id));
    // A customer the test created stays: it is the customer a run would create, and the run finds it.
    const customer = result.note ? ` It ${result.note}, which stays.` : '';
    return { ...result, note: `The invoice item was created, then deleted at once, so that it is never billed.${customer}` };
  },
});
