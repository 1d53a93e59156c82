import type Stripe from 'stripe';
import { CREATE_STEP, defineAction, post, setPath, type ActionContext, type ActionResult, type PlannedRequest } from '../action.js';
import { country, email, list, metadataField, oneOf, text, ROW_MARKER_KEY, type InputOf } from '../field-kit.js';
import { findBySearch, findInList } from '../find-by-marker.js';
import {
  customerWith,
  describeCustomer,
  lookupCustomers,
  lookupKeyOf,
  plannedLookup,
  severalMatched,
  withCustomerLock,
} from '../find-or-create-customer.js';

const fields = {
  email: email('email', {
    label: 'Email',
    help: "The customer's email address; Stripe sends invoices and receipts to it.",
    example: 'ada@example.com',
  }),
  name: text('name', { label: 'Name', help: 'Full name or business name.', example: 'Ada Lovelace', max: 256 }),
  phone: text('phone', { label: 'Phone', help: 'Phone number, as written.', example: '+380 44 123 4567', max: 20 }),
  description: text('description', {
    label: 'Description',
    help: 'A note shown in the Stripe Dashboard.',
    example: 'Signed up from the spring landing page',
    max: 350,
  }),
  'address.line1': text('address.line1', {
    label: 'Address line 1',
    help: 'Street, house number.',
    example: 'Khreshchatyk St, 1',
    max: 200,
  }),
  'address.line2': text('address.line2', { label: 'Address line 2', help: 'Apartment, suite, floor.', example: 'Apt 5', max: 200 }),
  'address.city': text('address.city', { label: 'City', help: 'City, district, town or village.', example: 'Kyiv', max: 200 }),
  'address.state': text('address.state', {
    label: 'State or region',
    help: 'State, county, province or region.',
    example: 'Kyiv',
    max: 200,
  }),
  'address.postal_code': text('address.postal_code', { label: 'Postal code', help: 'ZIP or postal code.', example: '01001', max: 20 }),
  'address.country': country('address.country', { label: 'Country', help: 'Two-letter country code (ISO 3166-1 alpha-2).', example: 'UA' }),
  preferred_locales: list('preferred_locales', {
    label: 'Preferred languages',
    help: 'Languages for emails and invoices, most preferred first, separated by commas.',
    example: 'uk, en',
    item: /^[a-z]{2}(-[A-Z]{2})?$/,
    itemHelp: 'a language tag such as uk, en or en-GB',
    max: 10,
  }),
  if_exists: oneOf('if_exists', {
    label: 'If the email exists',
    help: 'What to do when a customer with the row’s email is already in Stripe: skip records that customer’s id and creates nothing; update updates that customer with the mapped fields (other metadata keys are kept); create creates another customer with the same email, which Stripe allows. Used only when email is mapped; without an email every row creates a customer. (Default: skip)',
    example: 'update',
    options: ['skip', 'update', 'create'] as const,
    // Skip by default: a re-exported sheet, or two rows of one person, should not double the customers.
    default: 'skip',
  }),
  metadata: metadataField,
};

type Input = InputOf<typeof fields>;

/** The step that updates an existing customer (if_exists: update). Persisted: never rename. */
const UPDATE_STEP = 'update';

/** The mapped fields other than metadata, as Stripe's nested parameters. */
function mappedParams(input: Input, withEmail: boolean): Record<string, unknown> {
  const params: Record<string, unknown> = {};
  if (withEmail && input.email !== undefined) params.email = input.email;
  for (const key of [
    'name',
    'phone',
    'description',
    'address.line1',
    'address.line2',
    'address.city',
    'address.state',
    'address.postal_code',
    'address.country',
  ] as const) {
    if (input[key] !== undefined) setPath(params, key, input[key]);
  }
  if (input.preferred_locales) params.preferred_locales = input.preferred_locales;
  return params;
}

/** The parameters of POST /v1/customers for one row. */
function customerParams(input: Input, marker: Record<string, string>): Stripe.CustomerCreateParams {
  return { ...mappedParams(input, true), metadata: { ...input.metadata, ...marker } } as Stripe.CustomerCreateParams;
}

/**
 * The parameters of POST /v1/customers/:id for if_exists: update, or undefined when only the email
 * is mapped. Not the email (the customer was found by it; a lower-cased match keeps its spelling),
 * not the row's marker (the customer is not the row's own object), and only the mapped metadata
 * keys: Stripe merges metadata on update, so the customer's other keys stay.
 */
function updateParams(input: Input): Stripe.CustomerUpdateParams | undefined {
  const params = mappedParams(input, false);
  if (input.metadata && Object.keys(input.metadata).length > 0) params.metadata = { ...input.metadata };
  return Object.keys(params).length > 0 ? (params as Stripe.CustomerUpdateParams) : undefined;
}

/** The row's create step: a new customer, or the one an earlier attempt of the row already made (`own`). */
async function createStep(input: Input, ctx: ActionContext, own?: Stripe.Customer): Promise<ActionResult> {
  let object: unknown = own;
  const id = await ctx.step(CREATE_STEP, async (idempotencyKey) => {
    if (own) return own.id;
    const created = await ctx.stripe.customers.create(customerParams(input, ctx.marker), { idempotencyKey });
    object = created;
    return created.id;
  });
  return { id, object };
}

/**
 * if_exists skip or update, for a row with an email. Serialized with every other lookup of the
 * email in this process (find-or-create-customer.ts), so two rows of one email in one run make
 * one customer: the second sees the first's. The lookup runs on every attempt (a read), but the
 * steps it leads to are remembered.
 */
function createUnlessExists(input: Input & { email: string }, ifExists: 'skip' | 'update', ctx: ActionContext): Promise<ActionResult> {
  const wanted = { email: input.email, create: {} };
  return withCustomerLock(ctx.stripe, lookupKeyOf(wanted), async () => {
    const matches = await lookupCustomers(ctx, wanted);
    // A customer with this row's marker is the one this row created on an earlier attempt (whose
    // create step may not have been stored): the row's own, not an existing one to skip or update.
    const marker = ctx.marker[ROW_MARKER_KEY];
    const own = marker === undefined ? undefined : matches.find((c) => c.metadata?.[ROW_MARKER_KEY] === marker);
    const existing = matches[0];
    if (own || !existing) return createStep(input, ctx, own);
    const found = describeCustomer(wanted, { id: existing.id, found: true, matches: matches.length, object: existing });
    const params = ifExists === 'update' ? updateParams(input) : undefined;
    if (ifExists === 'skip' || params === undefined) {
      const why = ifExists === 'skip' ? 'if_exists: skip' : 'if_exists: update, but only the email is mapped';
      return { id: existing.id, object: existing, note: `${found}; not created again (${why})` };
    }
    let object: unknown = existing;
    const id = await ctx.step(UPDATE_STEP, async (idempotencyKey) => {
      const updated = await ctx.stripe.customers.update(existing.id, params, { idempotencyKey });
      object = updated;
      return updated.id;
    });
    // A resumed row reports the customer its stored step updated, even if a newer one appeared since.
    if (id !== existing.id) object = undefined;
    return {
      id,
      object,
      note: `updated ${customerWith(wanted)} (${id}) with the mapped fields instead of creating another (if_exists: update)${severalMatched(wanted, matches.length)}`,
    };
  });
}

export const createCustomer = defineAction({
  key: 'stripe.create_customer',
  title: 'Create customer',
  description: 'Creates a customer in Stripe from each row.',
  fields,
  plan(input, marker) {
    const { email } = input;
    const ifExists = input.if_exists ?? 'skip';
    if (email === undefined || ifExists === 'create') return [post('/v1/customers', { ...customerParams(input, marker) })];
    const wanted = { email };
    const requests: PlannedRequest[] = plannedLookup(wanted);
    const update = ifExists === 'update' ? updateParams(input) : undefined;
    if (update) {
      requests.push(
        post(`/v1/customers/<${customerWith(wanted)}>`, { ...update }, 'only when a customer has this email (if_exists: update)'),
      );
    }
    requests.push(post('/v1/customers', { ...customerParams(input, marker) }, 'only when no customer has this email'));
    return requests;
  },
  run(input, ctx) {
    const { email } = input;
    const ifExists = input.if_exists ?? 'skip';
    if (email === undefined || ifExists === 'create') return createStep(input, ctx);
    return createUnlessExists({ ...input, email }, ifExists, ctx);
  },
  find(marker, input, ctx) {
    const { email } = input;
    if (email !== undefined) {
      // The exact email filter is strongly consistent (and Stripe keeps the email as sent).
      return findInList(ctx, () => ctx.stripe.customers.list({ email, limit: 100 }), marker, `the customers with the email ${email}`);
    }
    // Without an email there is no list to narrow by, only search — eventually consistent, so a
    // miss leaves the row ambiguous (its key kept) rather than proving the customer was not made.
    return findBySearch(ctx, (query) => ctx.stripe.customers.search({ query, limit: 100 }), marker, 'the customers');
  },
});
