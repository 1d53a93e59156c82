import type Stripe from 'stripe';
import { quote } from '../../core/field-error.js';
import { fail, ok, type Result } from '../../core/result.js';
import { get, post, type PlannedRequest } from './action.js';
import type { InvoiceRowInput } from './actions/create-invoice-from-rows.js';
import { plannedFindOrCreate, type CustomerWanted } from './find-or-create-customer.js';
import { linePricing } from './invoice-fields.js';

/** Stripe puts at most this many invoice items on one invoice. */
export const MAX_INVOICE_LINES = 250;

/** What one invoice of a group is made with: the values its rows must agree on. */
export interface GroupHeader {
  customer: CustomerWanted;
  /** The currency of the amounts (lines priced by a Price carry their own). */
  currency?: string;
  collection_method: 'charge_automatically' | 'send_invoice';
  days_until_due?: number;
  memo?: string;
  footer?: string;
  finalize: boolean;
  send: boolean;
}

/** A row of a group, for the messages that name it. */
export interface GroupRow {
  input: InvoiceRowInput;
  /** How a person finds the row: `line 4` of a file or sheet, or its row key. */
  label?: string;
}

/** The invoice-level fields: every row of a group gives them, and they must agree. */
const SHARED = [
  'customer_email',
  'customer_key',
  'customer_name',
  'currency',
  'collection_method',
  'days_until_due',
  'memo',
  'footer',
  'finalize',
  'send',
] as const;

/**
 * The invoice a group of rows makes. Invoice-level values are taken from the rows that give them;
 * a row that leaves one empty agrees with the others, and two different values are an error that
 * names the field, both values and the rows (one invoice has one customer, one currency…).
 */
export function groupHeader(rows: readonly GroupRow[]): Result<GroupHeader> {
  const seen: Partial<Record<(typeof SHARED)[number], { value: unknown; label: string }>> = {};
  for (const [i, row] of rows.entries()) {
    const label = row.label ?? `row ${i + 1}`;
    for (const field of SHARED) {
      const value = row.input[field];
      if (value === undefined) continue;
      const first = seen[field];
      if (!first) seen[field] = { value, label };
      else if (first.value !== value) {
        return fail(
          `${field}: the rows of one invoice disagree: ${first.label} has ${quote(String(first.value))}, ${label} has ${quote(String(value))}; one invoice has one ${field.replace(/_/g, ' ')}`,
        );
      }
    }
  }
  const value = <K extends (typeof SHARED)[number]>(k: K) => seen[k]?.value as InvoiceRowInput[K] | undefined;
  const email = value('customer_email');
  const key = value('customer_key');
  const name = value('customer_name');
  const days = value('days_until_due');
  const currency = value('currency');
  const memo = value('memo');
  const footer = value('footer');
  return ok({
    customer: { ...(email !== undefined && { email }), ...(key !== undefined && { key }), create: name !== undefined ? { name } : {} },
    ...(currency !== undefined && { currency }),
    collection_method: value('collection_method') ?? 'charge_automatically',
    ...(days !== undefined && { days_until_due: days }),
    ...(memo !== undefined && { memo }),
    ...(footer !== undefined && { footer }),
    finalize: value('finalize') === true || value('send') === true,
    send: value('send') === true,
  });
}

/**
 * POST /v1/invoices for a group. Its lines are attached one by one (`invoice=` on each item), so
 * the customer's other pending items stay out (`exclude`). Stripe advances a draft with
 * auto_advance by itself about an hour after creation, which would finalize it before later rows
 * join it: the draft is created without, and finalizing turns it on where Stripe should collect.
 */
export function invoiceParams(
  header: GroupHeader,
  customer: string,
  marker: Record<string, string>,
  key?: string,
): Stripe.InvoiceCreateParams {
  const params: Stripe.InvoiceCreateParams = {
    customer,
    collection_method: header.collection_method,
    pending_invoice_items_behavior: 'exclude',
    auto_advance: false,
  };
  if (header.days_until_due !== undefined) params.days_until_due = header.days_until_due;
  if (header.currency !== undefined) params.currency = header.currency;
  if (header.memo !== undefined) params.description = header.memo;
  if (header.footer !== undefined) params.footer = header.footer;
  params.metadata = { ...(key !== undefined && { invoice_key: key.slice(0, 500) }), ...marker };
  return params;
}

/** POST /v1/invoices/{id}/finalize: an automatically charged invoice is left for Stripe to collect. */
export function finalizeParams(header: GroupHeader): Stripe.InvoiceFinalizeInvoiceParams {
  return { auto_advance: header.collection_method === 'charge_automatically' };
}

/** POST /v1/invoiceitems for a row's line on the group's draft. */
export function lineParams(
  input: InvoiceRowInput,
  customer: string,
  invoice: string,
  marker: Record<string, string>,
): Stripe.InvoiceItemCreateParams {
  const params: Stripe.InvoiceItemCreateParams = { customer, invoice, ...linePricing(input) };
  if (input.description !== undefined) params.description = input.description;
  params.metadata = { ...input.metadata, ...marker };
  return params;
}

/** The line total of an amount line; null for a Price line, whose amount Stripe knows. */
export const lineAmount = (input: InvoiceRowInput): number | null => (input.price === undefined ? (input.amount ?? null) : null);

/** Where the group's invoice stands, for the plan: already made (later rows join it) or not yet. */
export interface PlannedInvoice {
  /** The group's marker (metadata.sluice_row on its invoice). */
  groupMarker: Record<string, string>;
  key?: string;
  /** The customer already found or created for the group. */
  customerId?: string;
  /** The draft made by an earlier run. */
  invoiceId?: string;
}

/**
 * Every request a group sends, in order, for the preview: the customer's lookup (and creation when
 * absent), the look for an invoice an interrupted run made, the draft, one line per row, then
 * finalize and send as asked. Pure: it calls nothing.
 */
export function planGroup(
  header: GroupHeader,
  lines: readonly { input: InvoiceRowInput; marker: Record<string, string> }[],
  at: PlannedInvoice,
): PlannedRequest[] {
  const requests: PlannedRequest[] = [];
  let customer = at.customerId;
  if (customer === undefined) {
    const planned = plannedFindOrCreate(header.customer, at.groupMarker);
    requests.push(...planned.requests);
    customer = planned.id;
  }
  let invoice = at.invoiceId;
  if (invoice === undefined) {
    requests.push(
      get(
        '/v1/invoices',
        { customer, limit: 100 },
        'looks for an invoice an interrupted run made for this key, so that none is made twice',
      ),
    );
    requests.push(post('/v1/invoices', { ...invoiceParams(header, customer, at.groupMarker, at.key) }));
    invoice = '<the new invoice>';
  }
  for (const line of lines) requests.push(post('/v1/invoiceitems', { ...lineParams(line.input, customer, invoice, line.marker) }));
  if (header.finalize) requests.push(post(`/v1/invoices/${invoice}/finalize`, { ...finalizeParams(header) }));
  if (header.send) requests.push(post(`/v1/invoices/${invoice}/send`, {}));
  return requests;
}
