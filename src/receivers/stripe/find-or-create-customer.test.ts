import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import type Stripe from 'stripe';
import { sdkFor } from '../../emulator/stripe/test-sdk.js';
import { startHarness, type Harness } from '../../emulator/stripe/test-support.js';
import type { ActionContext, StepResult } from './action.js';
import {
  customerKeyQuery,
  describeCustomer,
  findOrCreateCustomer,
  plannedFindOrCreate,
  type CustomerWanted,
} from './find-or-create-customer.js';

describe('findOrCreateCustomer', () => {
  let h: Harness;
  let client: ReturnType<typeof sdkFor>;
  /** A fresh Stripe client per test, so that no lock or remembered key carries over from another test. */
  let stripe: Stripe;
  before(async () => {
    h = await startHarness();
    client = sdkFor(h.emulator);
  });
  after(() => h.emulator.close());
  let n = 0;
  beforeEach(() => {
    h.emulator.reset();
    // sdkFor keeps one client per key; any well-formed test key is accepted by the emulator.
    stripe = client(`sk_test_findorcreate${String(++n).padStart(4, '0')}`);
  });

  /** A row's context as the engine gives it: steps remembered in `progress`, keys derived from the row and step. */
  function rowCtx(row: string, progress = new Map<string, StepResult>(), on: Stripe = stripe): ActionContext {
    return {
      stripe: on,
      marker: { sluice_row: `con_1/${row}` },
      async step<T extends StepResult>(name: string, fn: (key: string) => Promise<T>): Promise<T> {
        if (progress.has(name)) return progress.get(name) as T;
        const value = await fn(`sluice_con_1_${row}_v1_${name}`);
        progress.set(name, value);
        return value;
      },
      read: (fn) => fn(),
    };
  }
  const customers = () => h.emulator.objects('customer') as Stripe.Customer[];
  const requests = () => h.emulator.requests().map((r) => `${r.method} ${r.path}`);

  it('five rows of one email at once make one customer; the others find it', async () => {
    const wanted: CustomerWanted = { email: 'ada@example.com', create: { name: 'Ada' } };
    const results = await Promise.all([1, 2, 3, 4, 5].map((i) => findOrCreateCustomer(rowCtx(`r${i}`), wanted, { step: 'customer' })));
    assert.equal(customers().length, 1);
    const [only] = customers();
    assert.deepEqual(
      results.map((r) => [r.id, r.found, r.matches]),
      [
        [only?.id, false, 0],
        [only?.id, true, 1],
        [only?.id, true, 1],
        [only?.id, true, 1],
        [only?.id, true, 1],
      ],
    );
    assert.equal(only?.name, 'Ada');
    assert.deepEqual(only?.metadata, { sluice_row: 'con_1/r1' });
    assert.equal(h.emulator.requests().find((r) => r.method === 'POST')?.idempotencyKey, 'sluice_con_1_r1_v1_customer');
  });

  it('an email with upper-case letters that matches nothing is looked up lower-cased; the create keeps it as given', async () => {
    const ada = await stripe.customers.create({ email: 'ada@example.com' });
    const wanted: CustomerWanted = { email: 'Ada@Example.com', create: {} };
    const found = await findOrCreateCustomer(rowCtx('r1'), wanted, { step: 'customer' });
    assert.deepEqual([found.id, found.found, found.matches], [ada.id, true, 1]);
    assert.equal(describeCustomer(wanted, found), `found the customer with the email Ada@Example.com as ada@example.com (${ada.id})`);
    assert.deepEqual(
      h.emulator
        .requests()
        .filter((r) => r.method === 'GET')
        .map((r) => r.query),
      ['email=Ada%40Example.com&limit=10', 'email=ada%40example.com&limit=10'],
    );

    const bob = await findOrCreateCustomer(rowCtx('r2'), { email: 'Bob@Example.com', create: {} }, { step: 'customer' });
    assert.equal(bob.found, false);
    assert.equal(bob.object?.email, 'Bob@Example.com');
  });

  it('several customers with the email: the newest is used, and the sentence says so', async () => {
    await stripe.customers.create({ email: 'ada@example.com' });
    await stripe.customers.create({ email: 'ada@example.com' });
    const newest = await stripe.customers.create({ email: 'ada@example.com' });
    const wanted: CustomerWanted = { email: 'ada@example.com', create: {} };
    const found = await findOrCreateCustomer(rowCtx('r1'), wanted, { step: 'customer' });
    assert.deepEqual([found.id, found.found, found.matches], [newest.id, true, 3]);
    assert.equal(
      describeCustomer(wanted, found),
      `found the customer with the email ada@example.com (${newest.id}); 3 customers have the email ada@example.com, the newest was used`,
    );
  });

  it('by key: an old customer is found by search; one made in this process is read by its id, not searched for', async () => {
    const old = await stripe.customers.create({ email: 'ada@example.com', metadata: { customer_key: 'CRM-1' } });
    const found = await findOrCreateCustomer(rowCtx('r1'), { key: 'CRM-1', create: {} }, { step: 'customer' });
    assert.deepEqual([found.id, found.found], [old.id, true]);
    assert.deepEqual(requests(), ['POST /v1/customers', 'GET /v1/customers/search']);

    const before = h.emulator.requests().length;
    const made = await findOrCreateCustomer(
      rowCtx('r2'),
      { key: "O'Brien\\2", email: 'ob@example.com', create: { name: 'OB' } },
      { step: 'customer' },
    );
    assert.equal(made.found, false);
    assert.deepEqual(made.object?.metadata, { customer_key: "O'Brien\\2", sluice_row: 'con_1/r2' });
    assert.equal(made.object?.email, 'ob@example.com', 'the email is set on create even when the key is what is looked up');
    // Search would lag this customer in Stripe: the next row reads it by id.
    const again = await findOrCreateCustomer(rowCtx('r3'), { key: "O'Brien\\2", create: {} }, { step: 'customer' });
    assert.deepEqual([again.id, again.found, again.matches], [made.id, true, 1]);
    assert.deepEqual(requests().slice(before), ['GET /v1/customers/search', 'POST /v1/customers', `GET /v1/customers/${made.id}`]);
    // The same again from a "new process" (another client, nothing remembered): search, with the key escaped.
    const fresh = await findOrCreateCustomer(
      rowCtx('r4', new Map(), client('sk_test_findorcreateFRESH')),
      { key: "O'Brien\\2", create: {} },
      { step: 'customer' },
    );
    assert.equal(fresh.id, made.id);
  });

  it('a remembered key whose customer was deleted is searched for again', async () => {
    const first = await findOrCreateCustomer(rowCtx('r1'), { key: 'CRM-9', create: {} }, { step: 'customer' });
    await stripe.customers.del(first.id);
    const second = await findOrCreateCustomer(rowCtx('r2'), { key: 'CRM-9', create: {} }, { step: 'customer' });
    assert.equal(second.found, false);
    assert.notEqual(second.id, first.id);
  });

  it('escapes quotes and backslashes in the key for Stripe’s search syntax', () => {
    assert.equal(customerKeyQuery('CRM-1'), "metadata['customer_key']:'CRM-1'");
    assert.equal(customerKeyQuery("O'Brien\\2"), "metadata['customer_key']:'O\\'Brien\\\\2'");
  });

  it('a stored step is returned without looking up or creating again', async () => {
    const progress = new Map<string, StepResult>();
    const wanted: CustomerWanted = { email: 'ada@example.com', create: {} };
    const first = await findOrCreateCustomer(rowCtx('r1', progress), wanted, { step: 'customer' });
    const sent = h.emulator.requests().length;
    const resumed = await findOrCreateCustomer(rowCtx('r1', progress), wanted, { step: 'customer' });
    assert.equal(h.emulator.requests().length, sent, 'no request at all');
    assert.deepEqual([resumed.id, resumed.found, resumed.matches], [first.id, false, 0]);
    assert.equal(resumed.object, undefined);
    assert.deepEqual(progress.get('customer'), { id: first.id, found: false, matches: 0, by: 'email:ada@example.com' });
  });

  it('a customer an earlier attempt of the row made (its answer lost) is the row’s own: made, not found, and not made again', async () => {
    const lost = await stripe.customers.create({ email: 'ada@example.com', metadata: { sluice_row: 'con_1/r1' } });
    const newer = await stripe.customers.create({ email: 'ada@example.com' });
    const found = await findOrCreateCustomer(rowCtx('r1'), { email: 'ada@example.com', create: {} }, { step: 'customer' });
    assert.deepEqual([found.id, found.found], [lost.id, false]);
    assert.notEqual(found.id, newer.id);
    assert.equal(customers().length, 2);
  });

  it('a row whose email was edited after its step was stored finds or creates the customer now named', async () => {
    const progress = new Map<string, StepResult>();
    const typo = await findOrCreateCustomer(rowCtx('r1', progress), { email: 'ada@exmaple.com', create: {} }, { step: 'customer' });
    const fixed = await findOrCreateCustomer(rowCtx('r1', progress), { email: 'ada@example.com', create: {} }, { step: 'customer' });
    assert.notEqual(fixed.id, typo.id);
    assert.equal(fixed.object?.email, 'ada@example.com');
    assert.equal(progress.size, 2);
    const back = await findOrCreateCustomer(rowCtx('r1', progress), { email: 'ada@exmaple.com', create: {} }, { step: 'customer' });
    assert.equal(back.id, typo.id);
    assert.equal(customers().length, 2);
  });

  it('plans the lookup, then the create only when none is found', () => {
    const plan = plannedFindOrCreate({ email: 'Ada@example.com', create: { name: 'Ada' } }, { sluice_row: 'con_1/r1' });
    assert.equal(plan.id, '<the customer with the email Ada@example.com>');
    assert.deepEqual(
      plan.requests.map((r) => [r.method, r.path, r.body, r.note]),
      [
        [
          'GET',
          '/v1/customers?email=Ada%40example.com&limit=10',
          undefined,
          "finds the customer with the email Ada@example.com; if none has it, looks for ada@example.com too (Stripe's email filter is case-sensitive)",
        ],
        [
          'POST',
          '/v1/customers',
          'name=Ada&email=Ada%40example.com&metadata[sluice_row]=con_1%2Fr1',
          'only when no customer has the email Ada@example.com',
        ],
      ],
    );
    const byKey = plannedFindOrCreate({ key: 'CRM-1', email: 'ada@example.com', create: {} }, { sluice_row: 'con_1/r1' });
    assert.deepEqual(
      byKey.requests.map((r) => `${r.method} ${r.path}`),
      ['GET /v1/customers/search?query=metadata[%27customer_key%27]%3A%27CRM-1%27&limit=10', 'POST /v1/customers'],
    );
    assert.equal(byKey.requests[1]?.body, 'email=ada%40example.com&metadata[customer_key]=CRM-1&metadata[sluice_row]=con_1%2Fr1');
    assert.equal(byKey.requests[1]?.note, 'only when no customer has the customer_key CRM-1');
  });

  it('describes what it did', () => {
    const wanted: CustomerWanted = { email: 'ada@example.com', create: {} };
    assert.equal(
      describeCustomer(wanted, { id: 'cus_1', found: false, matches: 0 }),
      'created the customer cus_1 with the email ada@example.com',
    );
    assert.equal(
      describeCustomer({ key: 'CRM-1', create: {} }, { id: 'cus_1', found: true, matches: 10 }),
      'found the customer with the customer_key CRM-1 (cus_1); 10 or more customers have the customer_key CRM-1, the newest was used',
    );
  });
});
