import type Stripe from 'stripe';
import { valueError, type FieldError } from '../../../core/field-error.js';
import { CREATE_STEP, defineAction, get, post, type ActionContext, type PlannedRequest } from '../action.js';
import { boolean, currency, metadataField, ROW_MARKER_KEY, text, type InputOf } from '../field-kit.js';
import { findInList } from '../find-by-marker.js';
import { checkCollection, collectionFields, footerField } from '../invoice-fields.js';
import { checkCustomerFields, customerField, customerMissingFields, customerOf, plannedCustomerOf } from '../resolve-customer.js';
import { RowError } from '../stripe-error.js';

const fields = {
  customer: customerField,
  ...collectionFields,
  description: text('description', { label: 'Memo', help: 'Shown on the invoice.', example: 'Order {{Order #}}', max: 1500 }),
  footer: footerField,
  currency: currency('currency', {
    label: 'Currency',
    help: "Three-letter ISO code; only this currency's pending items are included. (Default: the customer's)",
    example: 'usd',
  }),
  auto_advance: boolean('auto_advance', {
    label: 'Let Stripe advance it',
    help: 'Stripe finalizes and collects the invoice automatically about an hour after creation.',
    example: 'yes',
  }),
  include_pending_items: boolean('include_pending_items', {
    label: "Include the customer's pending items",
    help: "Puts the customer's pending invoice items on the invoice. Stripe's own default leaves them out, which makes empty invoices. (Default: yes)",
    example: 'yes',
    default: 'yes',
  }),
  finalize: boolean('finalize', {
    label: 'Finalize now',
    help: 'Finalizes the draft at once, which gives it its number. (Default: no)',
    example: 'yes',
    default: 'no',
  }),
  send: boolean('send', {
    label: 'Send now',
    help: 'Emails the invoice to the customer (send_invoice only); finalizes it first. (Default: no)',
    example: 'yes',
    default: 'no',
  }),
  ...customerMissingFields,
  metadata: metadataField,
};

type Input = InputOf<typeof fields>;

function invoiceParams(input: Input, customer: string, marker: Record<string, string>): Stripe.InvoiceCreateParams {
  const params: Stripe.InvoiceCreateParams = {
    customer,
    collection_method: input.collection_method,
    pending_invoice_items_behavior: input.include_pending_items === false ? 'exclude' : 'include',
  };
  if (input.days_until_due !== undefined) params.days_until_due = input.days_until_due;
  if (input.description !== undefined) params.description = input.description;
  if (input.footer !== undefined) params.footer = input.footer;
  if (input.currency !== undefined) params.currency = input.currency;
  if (input.auto_advance !== undefined) params.auto_advance = input.auto_advance;
  params.metadata = { ...input.metadata, ...marker };
  return params;
}

const pendingQuery = (customer: string) => ({ customer, pending: true, limit: 100 });

/** Invoice items waiting for this invoice, in its currency when one is set. */
function countForInvoice(items: Stripe.InvoiceItem[], input: Input): number {
  return items.filter((i) => input.currency === undefined || i.currency === input.currency).length;
}

export const createInvoice = defineAction({
  key: 'stripe.create_invoice',
  title: 'Create invoice',
  description: "Creates an invoice with the customer's pending items, and can finalize and send it.",
  fields,
  check(input) {
    const errors: FieldError[] = [...checkCustomerFields(input), ...checkCollection(input)];
    if (input.include_pending_items === false && (input.finalize || input.send)) {
      errors.push(valueError('finalize', 'yes', 'would finalize an empty invoice, since include_pending_items is no'));
    }
    return errors;
  },
  plan(input, marker) {
    const customer = plannedCustomerOf(input, marker);
    const invoice = '<the new invoice>';
    const requests: PlannedRequest[] = [...customer.requests];
    if (input.include_pending_items !== false) {
      requests.push(get('/v1/invoiceitems', pendingQuery(customer.id), 'checks that the invoice will not be empty'));
    }
    requests.push(post('/v1/invoices', { ...invoiceParams(input, customer.id, marker) }));
    if (input.finalize || input.send) requests.push(post(`/v1/invoices/${invoice}/finalize`, {}));
    if (input.send) requests.push(post(`/v1/invoices/${invoice}/send`, {}));
    return requests;
  },
  async run(input, ctx) {
    const { id: customer, note } = await customerOf(input, ctx);
    let object: unknown;
    const id = await ctx.step(CREATE_STEP, async (idempotencyKey) => {
      if (input.include_pending_items !== false) await refuseEmpty(customer, input, ctx);
      const invoice = await ctx.stripe.invoices.create(invoiceParams(input, customer, ctx.marker), { idempotencyKey });
      object = invoice;
      return invoice.id as string;
    });
    if (input.finalize || input.send) {
      await ctx.step('finalize', async (idempotencyKey) => {
        object = await ctx.stripe.invoices.finalizeInvoice(id, {}, { idempotencyKey });
        return true;
      });
    }
    if (input.send) {
      await ctx.step('send', async (idempotencyKey) => {
        object = await ctx.stripe.invoices.sendInvoice(id, {}, { idempotencyKey });
        return true;
      });
    }
    return { id, object, ...(note && { note }) };
  },
  async find(marker, input, ctx) {
    // With if_customer_missing: create, the row's customer step is stored before its create step,
    // so this reads the customer from the ledger (no request, no write): exactly the one the invoice
    // was made for, where a new lookup might pick a newer customer with the same email.
    const { id: customer } = await customerOf(input, ctx);
    // Drafts included: an invoice found here is the row's, with the items it took when made.
    return findInList(ctx, () => ctx.stripe.invoices.list({ customer, limit: 100 }), marker, `the invoices of ${customer}`);
  },
  test: testInvoice,
});

/**
 * A test invoice must not take the customer's real pending items (the run would then find none),
 * nor reach the customer: it is created as an empty draft, with the row's parameters, and deleted.
 */
async function testInvoice(input: Input, ctx: ActionContext) {
  const { id: customer, note } = await customerOf(input, ctx);
  const params = { ...invoiceParams(input, customer, ctx.marker), pending_invoice_items_behavior: 'exclude' as const };
  let object: unknown;
  const id = await ctx.step(CREATE_STEP, async (idempotencyKey) => {
    const invoice = await ctx.stripe.invoices.create(params, { idempotencyKey });
    object = invoice;
    return invoice.id as string;
  });
  await ctx.read(() => ctx.stripe.invoices.del(id));
  return {
    id,
    object,
    // A customer the test created stays: it is the customer a run would create, and the run finds it.
    note: `A draft invoice was created without the pending items and deleted at once; a run includes the pending items, and finalizes and sends when asked.${note ? ` It ${note}, which stays.` : ''}`,
  };
}

/**
 * Invoices are never empty: refuses before creating one rather than leave an empty draft. An
 * earlier attempt of the same row may have created the invoice without Sluice hearing back (a
 * crash, a timeout) — then the items are on that invoice, not pending, and the create that
 * follows replays it under the same idempotency key; the row's marker tells that case apart.
 */
async function refuseEmpty(customer: string, input: Input, ctx: ActionContext): Promise<void> {
  const items = await ctx.read(() => ctx.stripe.invoiceItems.list(pendingQuery(customer)));
  if (countForInvoice(items.data, input) > 0) return;
  const marker = ctx.marker[ROW_MARKER_KEY];
  const recent = await ctx.read(() => ctx.stripe.invoices.list({ customer, limit: 20 }));
  if (marker && recent.data.some((i) => i.metadata?.[ROW_MARKER_KEY] === marker)) return;
  const of = input.currency ? ` in ${input.currency.toUpperCase()}` : '';
  throw new RowError(`customer: ${customer} has no pending invoice items${of}, so the invoice would be empty; add invoice items first`);
}
