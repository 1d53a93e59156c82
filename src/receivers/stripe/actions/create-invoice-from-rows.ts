import { fieldError, type FieldError } from '../../../core/field-error.js';
import { CREATE_STEP, defineAction, type ActionContext } from '../action.js';
import { amount, boolean, currency, email, metadataField, text, type InputOf } from '../field-kit.js';
import { findOrCreateCustomer } from '../find-or-create-customer.js';
import { RowError } from '../stripe-error.js';
import { checkCollection, checkLinePricing, collectionFields, footerField, priceFields } from '../invoice-fields.js';
import { groupHeader, invoiceParams, lineParams, planGroup } from '../invoice-group.js';

/** The field whose value groups rows into one invoice. Stored in the catalog as `grouped.by`. */
export const INVOICE_KEY = 'invoice_key';

export const invoiceFromRowsFields = {
  invoice_key: text(INVOICE_KEY, {
    label: 'Invoice key',
    help: 'Rows with the same value become one invoice, each row a line: an order id, an invoice number, or the customer’s email.',
    example: '{{Order #}}',
    required: true,
    max: 500,
  }),
  customer_email: email('customer_email', {
    label: 'Customer email',
    help: 'The customer is found by this email, or created with it when no customer has it; Stripe sends the invoice to it.',
    example: '{{Email}}',
  }),
  customer_name: text('customer_name', {
    label: 'Customer name',
    help: 'Used only when the customer is created.',
    example: '{{Company}}',
    max: 256,
  }),
  customer_key: text('customer_key', {
    label: 'Customer key',
    help: 'Your own id for the customer (a CRM or account number): when mapped, the customer is found by metadata.customer_key instead of the email, and created with it.',
    example: '{{Account id}}',
    max: 500,
  }),
  amount: amount('amount', {
    label: 'Line amount',
    help: "The line's total as people write it (12.50, 12,50, 1 234,50); converted to the smallest currency unit (1250 for $12.50). Give an amount and a currency, or a price.",
    example: '{{Amount}}',
    currencyKey: 'currency',
  }),
  currency: currency('currency', {
    label: 'Currency',
    help: 'Three-letter ISO code of the amounts; one invoice has one currency.',
    example: 'usd',
  }),
  ...priceFields,
  description: text('description', {
    label: 'Line description',
    help: 'The line as the customer reads it on the invoice.',
    example: '{{Product}}',
    max: 500,
  }),
  ...collectionFields,
  memo: text('memo', { label: 'Memo', help: 'Shown on the invoice.', example: 'Order {{Order #}}', max: 1500 }),
  footer: footerField,
  finalize: boolean('finalize', {
    label: 'Finalize',
    help: 'Finalizes the invoice once all its rows are lines on it, which gives it its number; a finalized invoice takes no more lines. (Default: no — it stays a draft, and later rows with its key join it)',
    example: 'yes',
    default: 'no',
  }),
  send: boolean('send', {
    label: 'Send',
    help: 'Emails the invoice to the customer (send_invoice only); finalizes it first. (Default: no)',
    example: 'yes',
    default: 'no',
  }),
  ready: boolean('ready', {
    label: 'Ready',
    help: 'When mapped, an invoice is made only once one of its rows says yes, so that an order entered line by line is invoiced when complete. (Default: not mapped — the rows a run finds are invoiced at once)',
    example: '{{Complete}}',
  }),
  metadata: metadataField,
};

export type InvoiceRowInput = InputOf<typeof invoiceFromRowsFields>;

export const createInvoiceFromRows = defineAction({
  key: 'stripe.create_invoice_from_rows',
  title: 'Create invoices from rows',
  description:
    'Makes one invoice from all the rows that share an invoice key, each row a line; finds or creates the customer, and can finalize and send it.',
  fields: invoiceFromRowsFields,
  grouped: { by: INVOICE_KEY },
  check(input) {
    const errors: FieldError[] = [];
    if (input.customer_email === undefined && input.customer_key === undefined) {
      errors.push(
        fieldError('customer_email', '', 'is required unless customer_key is given; the invoice needs a customer to find or create'),
      );
    }
    errors.push(...checkLinePricing(input, { currencyWithPrice: 'allow' }), ...checkCollection(input));
    return errors;
  },
  /**
   * One row alone, as the test send makes it: its customer, a draft and the row as its line (the
   * test then deletes the draft). What a run sends for whole invoices, finalize and send included,
   * is the grouped preview's (engine/preview-groups.ts).
   */
  plan(input, marker) {
    const header = groupHeader([{ input }]);
    if (!header.ok) return [];
    return planGroup({ ...header.value, finalize: false, send: false }, [{ input, marker }], { groupMarker: marker });
  },
  /**
   * A run never calls this: the engine sends grouped actions a group at a time
   * (engine/send-invoice-groups.ts), because one row alone is not an invoice.
   */
  run() {
    return Promise.reject(new Error('stripe.create_invoice_from_rows is sent a group of rows at a time, by the engine'));
  },
  async test(input, ctx) {
    const made = await draftWithOneLine(input, ctx);
    await ctx.read(() => ctx.stripe.invoices.del(made.id));
    return {
      ...made,
      note: 'A draft invoice with this row as its only line was created and deleted at once; a run puts all the rows with this invoice key on one invoice, and finalizes and sends it when asked.',
    };
  },
});

/** The test send: a draft invoice with the row as its only line (deleted after, with its line). */
async function draftWithOneLine(input: InvoiceRowInput, ctx: ActionContext) {
  const header = groupHeader([{ input }]);
  if (!header.ok) throw new RowError(header.error);
  const customer = await findOrCreateCustomer(ctx, header.value.customer, { step: 'customer' });
  let object: unknown;
  const id = await ctx.step(CREATE_STEP, async (idempotencyKey) => {
    const invoice = await ctx.stripe.invoices.create(invoiceParams(header.value, customer.id, ctx.marker), { idempotencyKey });
    object = invoice;
    return invoice.id as string;
  });
  await ctx.step('line', async (idempotencyKey) => {
    const item = await ctx.stripe.invoiceItems.create(lineParams(input, customer.id, id, ctx.marker), { idempotencyKey });
    return item.id;
  });
  return { id, object };
}
