import { valueError, type FieldError } from '../../core/field-error.js';
import { get, type ActionContext, type PlannedRequest } from './action.js';
import { customerRef, oneOf, text, type CustomerRef } from './field-kit.js';
import { describeCustomer, findOrCreateCustomer, plannedFindOrCreate, type CustomerWanted } from './find-or-create-customer.js';
import { RowError } from './stripe-error.js';

export const customerField = customerRef('customer', {
  label: 'Customer',
  help: 'The Stripe customer id (cus_…), or the email of a customer in Stripe (see if_customer_missing).',
  example: '{{Email}}',
  required: true,
});

/** What an action that names a customer does when it is missing (invoice items, invoices); listed after the action's own fields. */
export const customerMissingFields = {
  if_customer_missing: oneOf('if_customer_missing', {
    label: 'If the customer does not exist',
    help: 'For a customer given by email: fail fails the row when no customer has the email; create creates the customer (with the email and customer_name) and uses it, and later rows with the same email use that customer. A customer given by id (cus_…) must exist either way. (Default: fail)',
    example: 'create',
    options: ['fail', 'create'] as const,
    // Failing is the default: a typo in an email should not quietly make a new customer to bill.
    default: 'fail',
  }),
  customer_name: text('customer_name', {
    label: 'Name of a new customer',
    help: 'The name given to a customer Sluice creates (if_customer_missing: create); a customer that exists keeps its name.',
    example: '{{Name}}',
    max: 256,
  }),
};

/** The step that finds or creates the row's customer (if_customer_missing: create). Persisted: never rename. */
export const CUSTOMER_STEP = 'customer';

/** The part of an action's input that says which customer, and what to do when it is missing. */
export interface CustomerInput {
  customer: CustomerRef;
  if_customer_missing?: 'fail' | 'create';
  customer_name?: string;
}

/** The customer to find or create, when the row asks for it; undefined when it must exist. */
function wantedCustomer(input: CustomerInput): CustomerWanted | undefined {
  if (input.customer.kind !== 'email' || input.if_customer_missing !== 'create') return undefined;
  return { email: input.customer.email, create: { ...(input.customer_name !== undefined && { name: input.customer_name }) } };
}

/** Cross-field rules of the customer fields. */
export function checkCustomerFields(input: CustomerInput): FieldError[] {
  if (input.customer_name === undefined || input.if_customer_missing === 'create') return [];
  return [
    valueError(
      'customer_name',
      input.customer_name,
      `is only used when Sluice creates a missing customer, and if_customer_missing is ${input.if_customer_missing ?? 'fail'}; set if_customer_missing to create, or leave customer_name empty`,
    ),
  ];
}

/** What the preview shows for a customer found by email at send time. */
export function plannedCustomer(ref: CustomerRef): { requests: PlannedRequest[]; id: string } {
  if (ref.kind === 'id') return { requests: [], id: ref.id };
  return {
    requests: [get('/v1/customers', { email: ref.email, limit: 2 }, `finds the customer with the email ${ref.email}`)],
    id: `<the customer with the email ${ref.email}>`,
  };
}

/** The same, for an input that may ask to create the customer: then the find-or-create requests. */
export function plannedCustomerOf(input: CustomerInput, marker: Record<string, string>): { requests: PlannedRequest[]; id: string } {
  const wanted = wantedCustomer(input);
  return wanted ? plannedFindOrCreate(wanted, marker) : plannedCustomer(input.customer);
}

/**
 * The customer's id. By email it is looked up with the exact list filter (GET /v1/customers?email=),
 * not search, because search is eventually consistent and misses customers created a moment ago.
 * Stripe's email filter is case-sensitive; when several customers share the email, the newest is
 * used.
 */
export async function resolveCustomer(ref: CustomerRef, ctx: ActionContext): Promise<string> {
  if (ref.kind === 'id') return ref.id;
  const found = await ctx.read(() => ctx.stripe.customers.list({ email: ref.email, limit: 2 }));
  const customer = found.data[0];
  if (!customer) {
    throw new RowError(
      `customer: no Stripe customer has the email ${ref.email}; create the customer first, or set if_customer_missing to create`,
    );
  }
  return customer.id;
}

/**
 * The row's customer: resolved (it must exist), or — with if_customer_missing: create and an
 * email — found or created in the row's `customer` step, which also makes `note` say so when it
 * was created. Once that step is stored, this returns its result without asking Stripe: that is
 * why an action's `find` may call it too (the step always precedes the create step it settles).
 */
export async function customerOf(input: CustomerInput, ctx: ActionContext): Promise<{ id: string; note?: string }> {
  const wanted = wantedCustomer(input);
  if (!wanted) return { id: await resolveCustomer(input.customer, ctx) };
  const found = await findOrCreateCustomer(ctx, wanted, { step: CUSTOMER_STEP });
  return { id: found.id, ...(!found.found && { note: describeCustomer(wanted, found) }) };
}
