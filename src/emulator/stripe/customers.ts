import type { RequestContext } from './context.js';
import { endpoint, pathParam, type Route } from './endpoint.js';
import { invalidRequest, parameterInvalidEmpty, resourceMissing } from './errors.js';
import { newId, newInvoicePrefix } from './ids.js';
import { checkCursors, listObject, listParams } from './list.js';
import { applyMetadata } from './metadata.js';
import type { Address, CustomerRecord, Shipping } from './records.js';
import { arr, email, int, metadata, obj, oneOf, required, str, type InferFields } from './schema.js';
import { parseSearchQuery, matchesQuery } from './search-query.js';
import { searchParams, searchResult } from './search.js';

const addressFields = {
  city: str({ max: 200 }),
  country: str({ max: 200 }),
  line1: str({ max: 200 }),
  line2: str({ max: 200 }),
  postal_code: str({ max: 200 }),
  state: str({ max: 200 }),
} as const;
const address = obj(addressFields);
type AddressInput = InferFields<typeof addressFields>;

const shippingFields = { address: required(address), name: required(str({ max: 5000 })), phone: str({ max: 5000 }) } as const;

/** Create and update take the same fields; only what `create` leaves unset differs. */
const customerFields = {
  address,
  balance: int(),
  description: str({ max: 5000 }),
  email: email(),
  invoice_prefix: str({ max: 12 }),
  invoice_settings: obj({ footer: str({ max: 5000 }) }),
  metadata: metadata(),
  name: str({ max: 256 }),
  next_invoice_sequence: int({ min: 1 }),
  phone: str({ max: 20 }),
  preferred_locales: arr(str({ max: 20 }), { max: 30 }),
  shipping: obj(shippingFields),
  tax_exempt: oneOf(['none', 'exempt', 'reverse']),
} as const;
type CustomerInput = InferFields<typeof customerFields>;

function checkCustomer(input: CustomerInput): void {
  if (input.invoice_prefix === null) throw parameterInvalidEmpty('invoice_prefix');
  if (input.invoice_prefix !== undefined && !/^[A-Z0-9]{3,12}$/.test(input.invoice_prefix)) {
    throw invalidRequest('Invoice prefix must be 3-12 uppercase letters or numbers.', { param: 'invoice_prefix' });
  }
}

function toAddress(input: AddressInput): Address {
  return {
    city: input.city ?? null,
    country: input.country ?? null,
    line1: input.line1 ?? null,
    line2: input.line2 ?? null,
    postal_code: input.postal_code ?? null,
    state: input.state ?? null,
  };
}

function toShipping(input: InferFields<typeof shippingFields>): Shipping {
  return { address: toAddress(input.address), name: input.name, phone: input.phone ?? null };
}

/** Writes every field the input mentions; `null` (an empty string on the wire) unsets it. */
function applyCustomerInput(record: CustomerRecord, input: CustomerInput): void {
  if (input.address !== undefined) record.address = input.address === null ? null : toAddress(input.address);
  if (input.shipping !== undefined) record.shipping = input.shipping === null ? null : toShipping(input.shipping);
  if (input.balance !== undefined) record.balance = input.balance ?? 0;
  if (input.description !== undefined) record.description = input.description;
  if (input.email !== undefined) record.email = input.email;
  if (input.name !== undefined) record.name = input.name;
  if (input.phone !== undefined) record.phone = input.phone;
  if (input.invoice_prefix != null) record.invoice_prefix = input.invoice_prefix;
  if (input.invoice_settings !== undefined) record.invoice_footer = input.invoice_settings?.footer ?? null;
  if (input.next_invoice_sequence != null) record.next_invoice_sequence = input.next_invoice_sequence;
  if (input.preferred_locales !== undefined) record.preferred_locales = input.preferred_locales ?? [];
  if (input.tax_exempt !== undefined) record.tax_exempt = input.tax_exempt ?? 'none';
  record.metadata = applyMetadata(record.metadata, input.metadata);
}

export function renderCustomer(record: CustomerRecord, ctx: RequestContext): unknown {
  if (record.deleted) return { id: record.id, object: 'customer', deleted: true };
  return {
    id: record.id,
    object: 'customer',
    address: record.address,
    balance: record.balance,
    created: record.created,
    currency: record.currency,
    customer_account: null,
    default_source: null,
    delinquent: false,
    description: record.description,
    discount: null,
    email: record.email,
    invoice_prefix: record.invoice_prefix,
    invoice_settings: {
      custom_fields: null,
      default_payment_method: null,
      footer: record.invoice_footer,
      rendering_options: null,
    },
    livemode: ctx.livemode,
    metadata: record.metadata,
    name: record.name,
    next_invoice_sequence: record.next_invoice_sequence,
    phone: record.phone,
    preferred_locales: record.preferred_locales,
    shipping: record.shipping,
    tax_exempt: record.tax_exempt,
    test_clock: null,
  };
}

/** A customer other objects may refer to: deleted customers are "No such customer" too. */
export function findCustomer(ctx: RequestContext, id: string, param: string): CustomerRecord {
  const record = ctx.data.customers.get(id);
  if (record === undefined || record.deleted) throw resourceMissing('customer', id, param);
  return record;
}

const searchFields = { email: 'string', name: 'string', phone: 'string', created: 'number', metadata: 'metadata' } as const;

export const customerRoutes: Route[] = [
  endpoint({
    method: 'POST',
    path: '/v1/customers',
    params: customerFields,
    check: checkCustomer,
    run(ctx, input) {
      const record: CustomerRecord = {
        id: newId.customer(),
        seq: ctx.data.nextSeq(),
        created: ctx.now,
        metadata: {},
        deleted: false,
        email: null,
        name: null,
        phone: null,
        description: null,
        address: null,
        shipping: null,
        preferred_locales: [],
        invoice_prefix: newInvoicePrefix(),
        next_invoice_sequence: 1,
        invoice_footer: null,
        tax_exempt: 'none',
        currency: null,
        balance: 0,
      };
      applyCustomerInput(record, input);
      ctx.data.customers.set(record.id, record);
      return renderCustomer(record, ctx);
    },
  }),
  endpoint({
    method: 'GET',
    path: '/v1/customers/search',
    params: searchParams,
    run(ctx, input) {
      const query = parseSearchQuery(input.query, 'customers', searchFields);
      const matches = [...ctx.data.customers.values()].filter(
        (record) =>
          !record.deleted &&
          matchesQuery(query, (field, key) => {
            switch (field) {
              case 'email':
                return record.email;
              case 'name':
                return record.name;
              case 'phone':
                return record.phone;
              case 'created':
                return record.created;
              default:
                return key === undefined ? undefined : record.metadata[key];
            }
          }),
      );
      return searchResult({
        matches,
        limit: input.limit,
        page: input.page,
        url: '/v1/customers/search',
        render: (r) => renderCustomer(r, ctx),
      });
    },
  }),
  endpoint({
    method: 'GET',
    path: '/v1/customers/:id',
    params: {},
    run(ctx, _input, path) {
      const id = pathParam(path, 'id');
      const record = ctx.data.customers.get(id);
      if (record === undefined) throw resourceMissing('customer', id, 'id');
      return renderCustomer(record, ctx);
    },
  }),
  endpoint({
    method: 'POST',
    path: '/v1/customers/:id',
    params: customerFields,
    check: checkCustomer,
    run(ctx, input, path) {
      const record = findCustomer(ctx, pathParam(path, 'id'), 'id');
      applyCustomerInput(record, input);
      return renderCustomer(record, ctx);
    },
  }),
  endpoint({
    method: 'DELETE',
    path: '/v1/customers/:id',
    params: {},
    run(ctx, _input, path) {
      const record = findCustomer(ctx, pathParam(path, 'id'), 'id');
      record.deleted = true;
      return renderCustomer(record, ctx);
    },
  }),
  endpoint({
    method: 'GET',
    path: '/v1/customers',
    params: { ...listParams, email: str({ max: 512 }) },
    check: checkCursors,
    run(ctx, input) {
      return listObject({
        all: ctx.data.customers.values(),
        keep: (record) => !record.deleted && (input.email == null || record.email === input.email),
        input,
        url: '/v1/customers',
        noun: 'customer',
        render: (record) => renderCustomer(record, ctx),
      });
    },
  }),
];
