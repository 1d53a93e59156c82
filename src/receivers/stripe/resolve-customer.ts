import { get, type ActionContext, type PlannedRequest } from './action.js';
import { customerRef, type CustomerRef } from './field-kit.js';
import { RowError } from './stripe-error.js';

export const customerField = customerRef('customer', {
  label: 'Customer',
  help: 'The Stripe customer id (cus_…), or the email of a customer that exists in Stripe.',
  example: '{{Email}}',
  required: true,
});

/** What the preview shows for a customer found by email at send time. */
export function plannedCustomer(ref: CustomerRef): { requests: PlannedRequest[]; id: string } {
  if (ref.kind === 'id') return { requests: [], id: ref.id };
  return {
    requests: [get('/v1/customers', { email: ref.email, limit: 2 }, `finds the customer with the email ${ref.email}`)],
    id: `<the customer with the email ${ref.email}>`,
  };
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
  if (!customer) throw new RowError(`customer: no Stripe customer has the email ${ref.email}; create the customer first`);
  return customer.id;
}
