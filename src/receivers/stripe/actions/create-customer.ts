import type Stripe from 'stripe';
import { CREATE_STEP, defineAction, post, setPath } from '../action.js';
import { country, email, list, metadataField, text, type InputOf } from '../field-kit.js';
import { findBySearch, findInList } from '../find-by-marker.js';

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
  metadata: metadataField,
};

type Input = InputOf<typeof fields>;

/** The parameters of POST /v1/customers for one row. */
function customerParams(input: Input, marker: Record<string, string>): Stripe.CustomerCreateParams {
  const params: Record<string, unknown> = {};
  for (const key of [
    'email',
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
  params.metadata = { ...input.metadata, ...marker };
  return params as Stripe.CustomerCreateParams;
}

export const createCustomer = defineAction({
  key: 'stripe.create_customer',
  title: 'Create customer',
  description: 'Creates a customer in Stripe from each row.',
  fields,
  plan: (input, marker) => [post('/v1/customers', { ...customerParams(input, marker) })],
  async run(input, ctx) {
    let object: unknown;
    const id = await ctx.step(CREATE_STEP, async (idempotencyKey) => {
      const created = await ctx.stripe.customers.create(customerParams(input, ctx.marker), { idempotencyKey });
      object = created;
      return created.id;
    });
    return { id, object };
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
