import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { sdkFor, stripeFailure } from './test-sdk.js';
import { errorOf, startHarness, type Harness } from './test-support.js';

describe('customers', () => {
  let h: Harness;
  let client: ReturnType<typeof sdkFor>;
  before(async () => {
    h = await startHarness();
    client = sdkFor(h.emulator);
  });
  after(() => h.emulator.close());
  beforeEach(() => h.emulator.reset());

  it('creates, retrieves, updates and deletes a customer with Stripe’s shape', async () => {
    const stripe = client();
    const created = await stripe.customers.create({
      email: 'ann@example.com',
      name: 'Ann',
      phone: '+380441234567',
      description: 'VIP',
      tax_exempt: 'exempt',
      invoice_prefix: 'ANN1',
    });
    assert.match(created.id, /^cus_[A-Za-z0-9]{14}$/);
    assert.equal(created.object, 'customer');
    assert.equal(created.livemode, false);
    assert.equal(typeof created.created, 'number');
    assert.ok(Math.abs(created.created - Date.now() / 1000) < 5);
    assert.deepEqual(created.metadata, {});
    assert.equal(created.tax_exempt, 'exempt');
    assert.equal(created.invoice_prefix, 'ANN1');

    const fetched = await stripe.customers.retrieve(created.id);
    assert.equal(fetched.id, created.id);

    const updated = await stripe.customers.update(created.id, { name: 'Ann B', description: '', metadata: { a: '1', b: '2' } });
    assert.equal(updated.name, 'Ann B');
    assert.equal(updated.description, null, 'an empty string unsets');
    const unsetOne = await stripe.customers.update(created.id, { metadata: { a: '' } });
    assert.deepEqual(unsetOne.metadata, { b: '2' });

    const deleted = await stripe.customers.del(created.id);
    assert.deepEqual({ ...deleted }, { id: created.id, object: 'customer', deleted: true });
    const afterDelete = await stripe.customers.retrieve(created.id);
    assert.equal(afterDelete.deleted, true);
    const listed = await stripe.customers.list();
    assert.equal(listed.data.length, 0);
  });

  it('round-trips bracket-nested form fields: metadata, address, shipping, preferred_locales', async () => {
    const response = await h.raw('POST', '/v1/customers', {
      body: 'metadata[order]=A-17&address[city]=Kyiv&address[line1]=Khreshchatyk+1&preferred_locales[0]=uk&preferred_locales[1]=en&shipping[name]=Ann&shipping[address][country]=UA',
    });
    assert.equal(response.status, 200);
    const customer = response.json as Record<string, unknown>;
    assert.deepEqual(customer.metadata, { order: 'A-17' });
    assert.deepEqual(customer.address, {
      city: 'Kyiv',
      country: null,
      line1: 'Khreshchatyk 1',
      line2: null,
      postal_code: null,
      state: null,
    });
    assert.deepEqual(customer.preferred_locales, ['uk', 'en']);
    assert.deepEqual(customer.shipping, {
      address: { city: null, country: 'UA', line1: null, line2: null, postal_code: null, state: null },
      name: 'Ann',
      phone: null,
    });
  });

  it('lists newest first with limit, starting_after and ending_before', async () => {
    const stripe = client();
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await stripe.customers.create({ name: `c${i}` })).id);
    const first = await stripe.customers.list({ limit: 2 });
    assert.deepEqual(
      first.data.map((c) => c.id),
      [ids[4], ids[3]],
    );
    assert.equal(first.has_more, true);
    assert.equal(first.url, '/v1/customers');
    const second = await stripe.customers.list({ limit: 2, starting_after: ids[3] });
    assert.deepEqual(
      second.data.map((c) => c.id),
      [ids[2], ids[1]],
    );
    const last = await stripe.customers.list({ limit: 2, starting_after: ids[1] });
    assert.deepEqual(
      last.data.map((c) => c.id),
      [ids[0]],
    );
    assert.equal(last.has_more, false);
    const back = await stripe.customers.list({ limit: 2, ending_before: ids[1] });
    assert.deepEqual(
      back.data.map((c) => c.id),
      [ids[3], ids[2]],
    );
    assert.equal(back.has_more, true);
    const all: string[] = [];
    for await (const customer of stripe.customers.list({ limit: 2 })) all.push(customer.id);
    assert.deepEqual(all, [...ids].reverse());
  });

  it('filters the list by exact email', async () => {
    const stripe = client();
    const ann = await stripe.customers.create({ email: 'ann@example.com' });
    await stripe.customers.create({ email: 'bob@example.com' });
    await stripe.customers.create({ email: 'ANN@example.com' });
    const found = await stripe.customers.list({ email: 'ann@example.com' });
    assert.deepEqual(
      found.data.map((c) => c.id),
      [ann.id],
      'the email filter is exact and case-sensitive',
    );
  });

  it('searches by email, name and metadata, joined with AND', async () => {
    const stripe = client();
    const ann = await stripe.customers.create({ email: 'a@b.com', name: 'Ann Lee', metadata: { order: 'A-17' } });
    const bob = await stripe.customers.create({ email: 'bob@b.com', name: 'Bob', metadata: { order: 'A-18' } });
    const byEmail = await stripe.customers.search({ query: "email:'a@b.com'" });
    assert.equal(byEmail.object, 'search_result');
    assert.deepEqual(
      byEmail.data.map((c) => c.id),
      [ann.id],
    );
    assert.equal(byEmail.has_more, false);
    assert.equal(byEmail.next_page, null);
    assert.equal(byEmail.url, '/v1/customers/search');
    const byMetadata = await stripe.customers.search({ query: `metadata['order']:'A-18'` });
    assert.deepEqual(
      byMetadata.data.map((c) => c.id),
      [bob.id],
    );
    const both = await stripe.customers.search({ query: `name:"Ann Lee" AND metadata["order"]:"A-17"` });
    assert.deepEqual(
      both.data.map((c) => c.id),
      [ann.id],
    );
    const none = await stripe.customers.search({ query: `name:'Ann Lee' AND email:'bob@b.com'` });
    assert.equal(none.data.length, 0);
    const either = await stripe.customers.search({ query: `email:'a@b.com' OR email:'bob@b.com'` });
    assert.equal(either.data.length, 2);
    const paged = await stripe.customers.search({ query: `email~'b.com'`, limit: 1 });
    assert.equal(paged.has_more, true);
    assert.equal(typeof paged.next_page, 'string');
    const next = await stripe.customers.search({ query: `email~'b.com'`, limit: 1, page: paged.next_page ?? '' });
    assert.notEqual(next.data[0]?.id, paged.data[0]?.id);
  });

  it('rejects a bad search query and an unsupported field', async () => {
    const stripe = client();
    const bad = await stripeFailure(() => stripe.customers.search({ query: "email:'unterminated" }));
    assert.equal(bad.statusCode, 400);
    assert.equal(bad.param, 'query');
    const field = await stripeFailure(() => stripe.customers.search({ query: "color:'red'" }));
    assert.match(field.message, /^Field 'color' is an unsupported search field for resource customers/);
  });

  it('rejects an unknown parameter with Stripe’s message, code and param', async () => {
    const top = await h.raw('POST', '/v1/customers', { body: 'foo=bar' });
    assert.equal(top.status, 400);
    assert.deepEqual(errorOf(top), {
      type: 'invalid_request_error',
      code: 'parameter_unknown',
      param: 'foo',
      message: 'Received unknown parameter: foo',
      doc_url: 'https://stripe.com/docs/error-codes/parameter-unknown',
    });
    const nested = await h.raw('POST', '/v1/customers', { body: 'address[planet]=Mars' });
    assert.equal(errorOf(nested).message, 'Received unknown parameter: address[planet]');
    assert.equal(errorOf(nested).param, 'address[planet]');
    assert.equal(h.emulator.objects('customer').length, 0);
  });

  it('rejects invalid values: email, enum, integer, required shipping fields', async () => {
    const email = await h.raw('POST', '/v1/customers', { body: 'email=x' });
    assert.equal(email.status, 400);
    assert.equal(errorOf(email).message, 'Invalid email address: x');
    assert.equal(errorOf(email).code, 'email_invalid');
    assert.equal(errorOf(email).param, 'email');
    const taxExempt = await h.raw('POST', '/v1/customers', { body: 'tax_exempt=sometimes' });
    assert.equal(errorOf(taxExempt).message, 'Invalid tax_exempt: must be one of none, exempt, or reverse');
    const integer = await h.raw('GET', '/v1/customers?limit=abc');
    assert.equal(errorOf(integer).message, 'Invalid integer: abc');
    assert.equal(errorOf(integer).param, 'limit');
    const limit = await h.raw('GET', '/v1/customers?limit=101');
    assert.equal(errorOf(limit).message, 'Invalid limit: must be between 1 and 100');
    const shipping = await h.raw('POST', '/v1/customers', { body: 'shipping[address][city]=Kyiv' });
    assert.equal(errorOf(shipping).message, 'Missing required param: shipping[name].');
    assert.equal(errorOf(shipping).code, 'parameter_missing');
    const prefix = await h.raw('POST', '/v1/customers', { body: 'invoice_prefix=ab' });
    assert.equal(errorOf(prefix).param, 'invoice_prefix');
  });

  it('answers 404 resource_missing for an unknown customer, with the param', async () => {
    const stripe = client();
    const error = await stripeFailure(() => stripe.customers.retrieve('cus_x'));
    assert.equal(error.statusCode, 404);
    assert.equal(error.code, 'resource_missing');
    assert.equal(error.param, 'id');
    assert.equal(error.message, "No such customer: 'cus_x'");
    const cursor = await stripeFailure(() => stripe.customers.list({ starting_after: 'cus_gone' }));
    assert.equal(cursor.statusCode, 404);
    assert.equal(cursor.param, 'starting_after');
  });
});
