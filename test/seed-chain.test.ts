import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import type Stripe from 'stripe';
import { csv, startHarness, waitFor, type Harness } from './support/harness.js';

/**
 * The seed's chain (issue 7, part 3): customers, then their order lines as invoice items, then one
 * invoice a customer, finalized and sent — three connections, the first on an interval schedule and
 * each of the others "after" the one before. What comes out of Stripe must be one invoice a
 * customer holding exactly that customer's lines, and a second pass over the same files must make
 * nothing new.
 */

let h: Harness;
let accountId: string;
let stripe: Stripe;
before(async () => {
  h = await startHarness();
  accountId = await h.account();
  stripe = h.stripe();
});
after(() => h.close());

// Unique emails: the chain must not lean on create_customer finding an existing customer.
const run = randomUUID().slice(0, 8);
const people = [
  { email: `ada-${run}@chain.example`, name: 'Ada Lovelace', lines: ['12.50', '7.25', '100.00'] },
  { email: `alan-${run}@chain.example`, name: 'Alan Turing', lines: ['9.99', '0.01'] },
  { email: `grace-${run}@chain.example`, name: 'Grace Hopper', lines: ['45.00', '3.30', '18.75', '250.00'] },
  { email: `linus-${run}@chain.example`, name: 'Linus Torvalds', lines: ['1.00'] },
];
const cents = (amount: string) => Math.round(Number(amount) * 100);
const lineRows = people.flatMap((p) =>
  p.lines.map((amount, i) => ({ Email: p.email, Amount: amount, Currency: 'usd', Line: `${p.name}, line ${i + 1}` })),
);

type RunView = { id: string; trigger: string; status: string; finishedAt: string | null; counts: { sent: number; failed: number } };
const runsOf = async (id: string) => (await h.api<{ data: RunView[] }>('GET', `/api/connections/${id}/runs`)).body.data;
/** The `n`-th finished run of a connection started by `trigger` (oldest first), waited for. */
const nthRun = (id: string, trigger: string, n: number) =>
  waitFor(
    `run ${n} (${trigger}) of connection ${id}`,
    async () => (await runsOf(id)).filter((r) => r.trigger === trigger && r.finishedAt).reverse()[n - 1],
    20_000,
  );

/** How many live objects of each kind the emulator holds. */
const totals = () => ({
  customers: h.emulator.objects('customer').length,
  items: h.emulator.objects('invoiceitem').length,
  invoices: h.emulator.objects('invoice').length,
});

test('customers → order lines → invoices: a scheduled chain gives one sent invoice a customer with exactly its lines', async () => {
  const a = await h.connection({
    name: 'Seed: customers',
    source: { type: 'csv', content: csv(people.map((p) => ({ Email: p.email, Name: p.name }))) },
    action: 'stripe.create_customer',
    accountId,
    mapping: { email: '{{Email}}', name: '{{Name}}' },
    enabled: true,
    schedule: { kind: 'interval', minutes: 60 },
  });
  const b = await h.connection({
    name: 'Seed: order lines',
    source: { type: 'csv', content: csv(lineRows) },
    action: 'stripe.create_invoice_item',
    accountId,
    mapping: { customer: '{{Email}}', amount: '{{Amount}}', currency: '{{Currency}}', description: '{{Line}}' },
    enabled: true,
    schedule: { kind: 'after', connectionId: a.id },
  });
  const c = await h.connection({
    name: 'Seed: invoices',
    source: { type: 'csv', content: csv(people.map((p) => ({ Email: p.email }))) },
    action: 'stripe.create_invoice',
    accountId,
    mapping: { customer: '{{Email}}', collection_method: 'send_invoice', days_until_due: '14', finalize: 'yes', send: 'yes' },
    enabled: true,
    schedule: { kind: 'after', connectionId: b.id },
  });

  // A's slot is an hour away; move it into the past and let the running scheduler fire it.
  await h.sluice.engine.db
    .updateTable('connections')
    .set({ next_run_at: new Date(Date.now() - 1000).toISOString() })
    .where('id', '=', a.id)
    .execute();

  const aRun = await nthRun(a.id, 'schedule', 1);
  assert.equal(aRun.status, 'succeeded', JSON.stringify(aRun));
  assert.equal(aRun.counts.sent, people.length);
  const bRun = await nthRun(b.id, 'chain', 1);
  assert.equal(bRun.status, 'succeeded', JSON.stringify(bRun));
  assert.equal(bRun.counts.sent, lineRows.length);
  const cRun = await nthRun(c.id, 'chain', 1);
  assert.equal(cRun.status, 'succeeded', JSON.stringify(cRun));
  assert.equal(cRun.counts.sent, people.length);

  const sends = (invoiceId: string) =>
    h.emulator.requests().filter((r) => r.method === 'POST' && r.path === `/v1/invoices/${invoiceId}/send` && r.status === 200).length;
  for (const p of people) {
    const customers = await stripe.customers.list({ email: p.email, limit: 10 });
    assert.equal(customers.data.length, 1, `customers with the email ${p.email}`);
    const customer = customers.data[0]!;
    assert.equal(customer.name, p.name);

    const invoices = await stripe.invoices.list({ customer: customer.id, limit: 10 });
    assert.equal(invoices.data.length, 1, `invoices of ${p.email}`);
    const invoice = invoices.data[0]!;
    assert.equal(invoice.status, 'open', `${invoice.id} of ${p.email}`);
    assert.equal(invoice.collection_method, 'send_invoice');
    assert.match(String(invoice.number), /\S/);
    assert.ok(invoice.due_date !== null && invoice.due_date >= invoice.created + 13 * 86400, `due ${invoice.due_date}`);
    assert.equal(sends(invoice.id), 1, `sends of ${invoice.id}`);

    const lines = await stripe.invoices.listLineItems(invoice.id, { limit: 100 });
    assert.equal(lines.has_more, false);
    assert.equal(lines.data.length, p.lines.length, `lines of ${invoice.id} (${p.email})`);
    assert.deepEqual(
      lines.data.map((l) => [l.description, l.amount]).sort(),
      p.lines.map((amount, i) => [`${p.name}, line ${i + 1}`, cents(amount)]).sort(),
    );
    const sum = p.lines.reduce((s, amount) => s + cents(amount), 0);
    assert.equal(invoice.total, sum);
    assert.equal(invoice.amount_due, sum);
  }

  // Nothing else was made: no empty invoice, no invoice of anyone else, no item left pending.
  const all = h.emulator.objects('invoice') as { id: string; lines: { total_count: number } }[];
  assert.equal(all.length, people.length);
  assert.deepEqual(
    all.filter((i) => i.lines.total_count === 0).map((i) => i.id),
    [],
  );
  assert.equal((await stripe.invoiceItems.list({ pending: true, limit: 100 })).data.length, 0);
  assert.equal(h.emulator.objects('invoiceitem').length, lineRows.length);
  assert.equal(h.emulator.objects('customer').length, people.length);

  // The whole chain again over the same files: every row is already sent, so nothing is made.
  const before = totals();
  const again = await h.run(a.id);
  assert.equal(again.status, 'succeeded', JSON.stringify(again));
  assert.equal(again.counts.sent, 0);
  const bAgain = await nthRun(b.id, 'chain', 2);
  assert.equal(bAgain.status, 'succeeded', JSON.stringify(bAgain));
  assert.equal(bAgain.counts.sent, 0);
  const cAgain = await nthRun(c.id, 'chain', 2);
  assert.equal(cAgain.status, 'succeeded', JSON.stringify(cAgain));
  assert.equal(cAgain.counts.sent, 0);
  assert.deepEqual(totals(), before);
  for (const invoice of all) assert.equal(sends(invoice.id), 1, `${invoice.id} was sent again`);
});
