import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import type Stripe from 'stripe';
import { rowMarker } from '../src/engine/row-keys.js';
import { csv, startHarness, type Harness, type RunBody } from './support/harness.js';

/**
 * Writes whose outcome Sluice cannot see (issue 6): the emulator makes the object, then answers
 * 500 (and replays that 500 to every retry with the key, as Stripe does) or drops the connection,
 * or never answers. Every row must end with exactly one object; a row whose write surely did not
 * happen fails, and a replay creates it once.
 */

/** The client's timeout in the timeout tests: short, so that an unanswered request is given up quickly. */
const TIMEOUT_MS = 400;

/** The harness of the running test (the timeout tests have their own, with a short client timeout). */
let h: Harness;
let accountId: string;
let stripe: Stripe;
/** The emulator's random source (faults and write faults), seeded per test. */
let random: () => number = Math.random;
const harnesses: Harness[] = [];

async function useHarness(env: Record<string, string> = {}): Promise<void> {
  // A high pace, so that 300 rows go many at a time.
  h = await startHarness({ emulator: { random: () => random() }, env: { SLUICE_STRIPE_RATE_TEST: '300', ...env } });
  harnesses.push(h);
  accountId = await h.account();
  stripe = h.stripe();
}

/** A small seeded generator (mulberry32): the same faults on every run of the test. */
function seeded(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Marked {
  id: string;
  metadata: Record<string, string>;
}
interface Invoice extends Marked {
  customer: string;
  status: string;
  total: number;
  lines: { data: unknown[] };
}

before(() => useHarness());
after(() => Promise.all(harnesses.map((x) => x.close())));
beforeEach(() => {
  h.emulator.reset();
  h.emulator.configure({ latencyMs: 0, faultRate: 0, afterWriteFaultRate: 0 });
  random = Math.random;
});

async function connection(name: string, action: string, rows: Record<string, string>[], mapping: Record<string, string>) {
  return h.connection({ name, source: { type: 'csv', content: csv(rows) }, action, accountId, mapping });
}

const run = (connectionId: string) => h.run(connectionId, 60_000);
const retryFailed = (runId: string) => h.retryFailed(runId, 60_000);

/** The objects of a kind that carry `marker`, with how many there are per marker. */
function byMarker<T extends Marked>(kind: 'customer' | 'invoiceitem' | 'invoice'): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const object of h.emulator.objects(kind) as T[]) {
    const marker = object.metadata.sluice_row;
    if (marker === undefined) continue;
    groups.set(marker, [...(groups.get(marker) ?? []), object]);
  }
  return groups;
}

/** Every row sent, with exactly one object carrying its marker, and that object is the row's. */
function assertOnePerRow(kind: 'customer' | 'invoiceitem' | 'invoice', connectionId: string, body: RunBody, rows: number): void {
  assert.equal(body.status, 'succeeded', JSON.stringify({ ...body, rows: body.rows.filter((r) => r.status !== 'sent') }));
  assert.deepEqual({ sent: body.counts.sent, failed: body.counts.failed }, { sent: rows, failed: 0 });
  const groups = byMarker(kind);
  for (const row of body.rows) {
    const objects = groups.get(rowMarker(connectionId, row.rowKey)) ?? [];
    assert.equal(objects.length, 1, `row ${row.rowKey}: ${objects.length} ${kind}s`);
    assert.equal(row.stripeId, objects[0]?.id, `row ${row.rowKey} reports the object that carries its marker`);
  }
}

/** The POSTs sent with an idempotency key, by key, in order. */
function postsByKey(path: string): Map<string, { status: number; writeFault?: string }[]> {
  const keys = new Map<string, { status: number; writeFault?: string }[]>();
  for (const r of h.emulator.requests()) {
    if (r.method !== 'POST' || r.path !== path || r.idempotencyKey === undefined) continue;
    keys.set(r.idempotencyKey, [
      ...(keys.get(r.idempotencyKey) ?? []),
      { status: r.status, ...(r.writeFault && { writeFault: r.writeFault }) },
    ]);
  }
  return keys;
}

test('300 customers with a fifth of the writes made but answered 500 or dropped: every row sent, one customer each', async () => {
  random = seeded(6);
  h.emulator.configure({ afterWriteFaultRate: 0.2 });
  const rows = Array.from({ length: 300 }, (_, i) => ({ Email: `fault${i}@example.com`, Name: `Fault ${i}` }));
  // if_exists create: the lookups counted below are only those that settle a create.
  const c = await connection('Faults', 'stripe.create_customer', rows, { email: '{{Email}}', name: '{{Name}}', if_exists: 'create' });
  const body = await run(c.id);
  assertOnePerRow('customer', c.id, body, rows.length);
  assert.equal(h.emulator.objects('customer').length, rows.length);

  const struck = h.emulator.requests().filter((r) => r.writeFault !== undefined);
  const replayed500 = struck.filter((r) => r.writeFault === '500').length;
  const dropped = struck.filter((r) => r.writeFault === 'drop').length;
  assert.ok(replayed500 > 20 && dropped > 20, `faults struck: ${replayed500} 500s, ${dropped} drops`);
  // A stored 500 is only ever settled by a lookup: one exact list by email per such row.
  const lookups = h.emulator.requests().filter((r) => r.method === 'GET' && r.path === '/v1/customers' && r.query.includes('email='));
  assert.equal(lookups.length, replayed500);
});

test('a 500 Stripe replays for the key: the customer is found by its marker and the row is sent, once', async () => {
  h.emulator.failNextWrites({ kind: '500', path: '/v1/customers' });
  const rows = [{ Email: 'replayed@example.com' }, { Email: 'calm@example.com' }];
  const c = await connection('Replayed 500', 'stripe.create_customer', rows, { email: '{{Email}}' });
  const body = await run(c.id);
  assertOnePerRow('customer', c.id, body, 2);

  const attempts = [...postsByKey('/v1/customers').values()].find((list) => list[0]?.writeFault === '500');
  assert.deepEqual(
    attempts?.map((a) => a.status),
    [500, 500, 500],
    'the SDK retried with the same key and got the stored 500 back',
  );
});

test('a customer without an email is found through search when its write is answered 500', async () => {
  h.emulator.failNextWrites({ kind: '500', path: '/v1/customers' });
  const c = await connection('No email', 'stripe.create_customer', [{ Name: 'Nameless' }], { name: '{{Name}}' });
  const body = await run(c.id);
  assertOnePerRow('customer', c.id, body, 1);
  assert.equal(h.emulator.requests().filter((r) => r.path === '/v1/customers/search').length, 1);
});

test('an invoice item whose write is answered 500 and replayed is found among the customer’s items, once', async () => {
  const customer = await stripe.customers.create({ email: 'items@example.com' });
  h.emulator.failNextWrites({ kind: '500', path: '/v1/invoiceitems' });
  const rows = [
    { Email: 'items@example.com', Amount: '10.00' },
    { Email: 'items@example.com', Amount: '2.50' },
  ];
  const c = await connection('Items', 'stripe.create_invoice_item', rows, { customer: '{{Email}}', amount: '{{Amount}}', currency: 'usd' });
  const body = await run(c.id);
  assertOnePerRow('invoiceitem', c.id, body, 2);
  const items = h.emulator.objects('invoiceitem') as { customer: string; amount: number }[];
  assert.deepEqual(
    items.map((i) => i.amount).sort((a, b) => a - b),
    [250, 1000],
  );
  assert.ok(items.every((i) => i.customer === customer.id));
});

test('an invoice whose write is answered 500 and replayed is found, then finalized: one invoice with its items, never an empty one', async () => {
  const customer = await stripe.customers.create({ email: 'invoice@example.com' });
  await stripe.invoiceItems.create({ customer: customer.id, amount: 1500, currency: 'usd' });
  await stripe.invoiceItems.create({ customer: customer.id, amount: 250, currency: 'usd' });
  h.emulator.failNextWrites({ kind: '500', path: '/v1/invoices' });
  const c = await connection('Invoice', 'stripe.create_invoice', [{ Email: 'invoice@example.com' }], {
    customer: '{{Email}}',
    finalize: 'yes',
  });
  const body = await run(c.id);
  assertOnePerRow('invoice', c.id, body, 1);
  const invoices = h.emulator.objects('invoice') as Invoice[];
  assert.equal(invoices.length, 1, 'never two invoices');
  assert.equal(invoices[0]?.status, 'open', 'the found draft went on to be finalized');
  assert.equal(invoices[0]?.total, 1750, 'the invoice has both items');
  assert.equal(invoices[0]?.lines.data.length, 2);
});

test('a 500 stored for the key with nothing written: the row fails saying a retry uses a new key, and the retry creates it once', async () => {
  h.emulator.failNextWrites({ kind: '500-not-written', path: '/v1/customers' });
  const c = await connection('Not written', 'stripe.create_customer', [{ Email: 'unwritten@example.com' }], { email: '{{Email}}' });
  const failed = await run(c.id);
  assert.equal(failed.status, 'failed');
  assert.equal(h.emulator.objects('customer').length, 0);
  const error = failed.rows[0]?.error ?? '';
  assert.match(error, /^An unknown error occurred \(Stripe 500 req_\w+ replayed\)/);
  assert.match(
    error,
    /Stripe replays that answer for the row's idempotency key, and none of the customers with the email unwritten@example\.com has metadata\.sluice_row=con_\w+\/[\w-]+, so Stripe made nothing: a retry will use a new idempotency key$/,
  );

  const retried = await retryFailed(failed.id);
  assertOnePerRow('customer', c.id, retried, 1);
  const keys = [...postsByKey('/v1/customers').keys()];
  assert.equal(keys.length, 2, 'one key per attempt');
  assert.match(keys[0] ?? '', /_v0_create$/);
  assert.match(keys[1] ?? '', /_v1_create$/);
});

test('retries exhausted with nothing written: the row fails with its last reason, keeps its key, and a replay sends it once', async () => {
  let n = 0;
  random = () => (n++ % 2 === 0 ? 0.1 : 0.9); // 500s and dropped connections, in turn
  h.emulator.configure({ faultRate: 1 });
  const rows = [{ Email: 'down1@example.com' }, { Email: 'down2@example.com' }];
  // if_exists create: with the default skip, the email lookup would fail first and the create never be sent.
  const c = await connection('Down', 'stripe.create_customer', rows, { email: '{{Email}}', if_exists: 'create' });
  const failed = await run(c.id);
  assert.equal(failed.status, 'failed');
  assert.deepEqual({ sent: failed.counts.sent, failed: failed.counts.failed }, { sent: 0, failed: 2 });
  for (const row of failed.rows) {
    assert.match(row.error ?? '', /— Stripe may or may not have acted; looking for the object with metadata\.sluice_row=\S+ failed too \(/);
    assert.match(row.error ?? '', /A retry reuses the same idempotency key, so it cannot create a duplicate within 24 hours$/);
  }
  assert.equal(h.emulator.objects('customer').length, 0);
  const firstKeys = new Set(postsByKey('/v1/customers').keys());

  h.emulator.configure({ faultRate: 0 });
  const retried = await retryFailed(failed.id);
  assertOnePerRow('customer', c.id, retried, 2);
  assert.deepEqual(new Set(postsByKey('/v1/customers').keys()), firstKeys, 'the replay used the same keys');
});

describe('timeouts, with a client that gives up after 400 ms', () => {
  before(async () => {
    await useHarness({ SLUICE_STRIPE_TIMEOUT_MS: String(TIMEOUT_MS) });
    h.emulator.reset();
  });

  test('a write made but never answered (the client times out) is settled by the same-key retry: one customer', async () => {
    h.emulator.failNextWrites({ kind: 'timeout', path: '/v1/customers' });
    const c = await connection('Timeout', 'stripe.create_customer', [{ Email: 'slow@example.com' }], { email: '{{Email}}' });
    const body = await run(c.id);
    assertOnePerRow('customer', c.id, body, 1);
    const [attempts] = [...postsByKey('/v1/customers').values()];
    assert.deepEqual(attempts, [{ status: 0, writeFault: 'timeout' }, { status: 200 }]);
  });

  test('Stripe slower than the client’s timeout on every call: the row fails with its key kept, and a replay sends the customer made by the first attempt', async () => {
    h.emulator.configure({ latencyMs: TIMEOUT_MS + 300 });
    // if_exists create: with the default skip, the email lookup would time out first and the create never be sent.
    const c = await connection('Slow', 'stripe.create_customer', [{ Email: 'slower@example.com' }], {
      email: '{{Email}}',
      if_exists: 'create',
    });
    const failed = await run(c.id);
    assert.equal(failed.status, 'failed');
    assert.match(
      failed.rows[0]?.error ?? '',
      new RegExp(`^could not reach Stripe: Request aborted due to timeout being reached \\(${TIMEOUT_MS}ms\\)`),
    );
    assert.match(failed.rows[0]?.error ?? '', /A retry reuses the same idempotency key/);
    // Stripe did make it: the first request ran, only its answer was too late.
    const [made] = h.emulator.objects('customer') as Marked[];
    assert.ok(made);

    h.emulator.configure({ latencyMs: 0 });
    const retried = await retryFailed(failed.id);
    assertOnePerRow('customer', c.id, retried, 1);
    assert.equal(retried.rows[0]?.stripeId, made.id);
    assert.equal(postsByKey('/v1/customers').size, 1, 'one key throughout');
  });
});
