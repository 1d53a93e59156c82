import assert from 'node:assert/strict';
import { after, before, beforeEach, test } from 'node:test';
import { rowMarker } from '../src/engine/row-keys.js';
import { listRows } from '../src/store/rows.js';
import { csv, startHarness, type Harness } from './support/harness.js';

/**
 * A row whose create stayed ambiguous and failed with its idempotency key kept, replayed later:
 * Stripe keeps keys only 24 hours, so past them the row's object is looked for before anything is
 * sent (engine/settle-ambiguous.ts, lookBeforeReplay). Sluice and the emulator share one clock,
 * moved forward by the tests: a day later the emulator has forgotten the key too, as Stripe has.
 */

/** The client's timeout: short, so that a write the emulator answers too late is given up quickly. */
const TIMEOUT_MS = 400;
const HOUR = 60 * 60 * 1000;

let h: Harness;
let accountId: string;
/** How far the shared clock is ahead of the system's. */
let aheadMs = 0;
/** The emulator's random source for `faultRate`. */
let random: () => number = Math.random;
const clock = () => Date.now() + aheadMs;

before(async () => {
  h = await startHarness({
    emulator: { random: () => random(), now: clock },
    now: () => new Date(clock()),
    env: { SLUICE_STRIPE_TIMEOUT_MS: String(TIMEOUT_MS) },
  });
  accountId = await h.account();
});
after(() => h.close());
beforeEach(() => {
  h.emulator.reset();
  h.emulator.configure({ latencyMs: 0, faultRate: 0, afterWriteFaultRate: 0 });
  aheadMs = 0;
  random = Math.random;
});

async function customers(name: string, rows: Record<string, string>[], mapping: Record<string, string>) {
  // These rows test the create step: with if_exists skip (the default) an email lookup would go
  // first, and the faults would strike it instead.
  return h.connection({
    name,
    source: { type: 'csv', content: csv(rows) },
    action: 'stripe.create_customer',
    accountId,
    mapping: { if_exists: 'create', ...mapping },
  });
}

const run = (connectionId: string) => h.run(connectionId, 60_000);
const retryFailed = (runId: string) => h.retryFailed(runId, 60_000);

/** The customers that carry the row's marker. */
function customersOf(connectionId: string, rowKey: string): { id: string }[] {
  const marker = rowMarker(connectionId, rowKey);
  return (h.emulator.objects('customer') as { id: string; metadata: Record<string, string> }[]).filter(
    (c) => c.metadata.sluice_row === marker,
  );
}

/** The create requests sent (POST /v1/customers), in order. */
const creates = () => h.emulator.requests().filter((r) => r.method === 'POST' && r.path === '/v1/customers');

/** The ledger's ambiguous_since of the connection's only row. */
async function ambiguousSince(connectionId: string): Promise<string | null | undefined> {
  const [row] = await listRows(h.sluice.engine.db, connectionId, { limit: 1, offset: 0 });
  return row?.ambiguous_since;
}

/** A first run in which Stripe makes the customer but answers every call too late: failed, key kept. */
async function madeButUnanswered(email: string) {
  h.emulator.configure({ latencyMs: TIMEOUT_MS + 300 });
  const c = await customers('Slow', [{ Email: email }], { email: '{{Email}}' });
  const failed = await run(c.id);
  assert.equal(failed.status, 'failed');
  assert.match(failed.rows[0]?.error ?? '', /A retry reuses the same idempotency key/);
  const rowKey = failed.rows[0]?.rowKey ?? '';
  const [made] = customersOf(c.id, rowKey);
  assert.ok(made, 'Stripe made the customer: only its answer was late');
  h.emulator.configure({ latencyMs: 0 });
  return { c, failed, rowKey, made };
}

/** A first run in which every request fails before Stripe does anything: failed, key kept, nothing made. */
async function neverMade(row: Record<string, string>, mapping: Record<string, string>) {
  random = () => 0.1; // every request answered 500, before anything is written
  h.emulator.configure({ faultRate: 1 });
  const c = await customers('Down', [row], mapping);
  const failed = await run(c.id);
  assert.equal(failed.status, 'failed');
  assert.match(failed.rows[0]?.error ?? '', /A retry reuses the same idempotency key/);
  assert.equal(h.emulator.objects('customer').length, 0);
  h.emulator.configure({ faultRate: 0 });
  return { c, failed, rowKey: failed.rows[0]?.rowKey ?? '' };
}

test('a create made but never answered, retried 25 hours later: found by its marker, nothing sent again', async () => {
  const started = new Date(clock()).toISOString();
  const { c, failed, rowKey, made } = await madeButUnanswered('late@example.com');
  const since = await ambiguousSince(c.id);
  assert.ok(since !== null && since !== undefined && since >= started, `ambiguous_since ${since} is the first create's time`);
  const sentBefore = creates().length;

  aheadMs = 25 * HOUR;
  const retried = await retryFailed(failed.id);
  assert.equal(retried.status, 'succeeded', JSON.stringify(retried.rows));
  assert.equal(retried.rows[0]?.stripeId, made.id);
  assert.equal(creates().length, sentBefore, 'the retry sent no create: the emulator has forgotten the key, so one would duplicate');
  assert.equal(customersOf(c.id, rowKey).length, 1);
  assert.equal(h.emulator.objects('customer').length, 1);
  assert.equal(await ambiguousSince(c.id), null, 'cleared once sent');
});

test('a create Stripe never ran, retried 25 hours later: the email list proves it absent, and it is created once with the kept key', async () => {
  const { c, failed, rowKey } = await neverMade({ Email: 'absent@example.com' }, { email: '{{Email}}' });
  assert.notEqual(await ambiguousSince(c.id), null);
  const firstKeys = new Set(creates().map((r) => r.idempotencyKey));
  assert.equal(firstKeys.size, 1);

  aheadMs = 25 * HOUR;
  const before = h.emulator.requests().length;
  const retried = await retryFailed(failed.id);
  assert.equal(retried.status, 'succeeded', JSON.stringify(retried.rows));
  const [made] = customersOf(c.id, rowKey);
  assert.equal(customersOf(c.id, rowKey).length, 1);
  assert.equal(retried.rows[0]?.stripeId, made?.id);
  const requests = h.emulator.requests().slice(before);
  assert.deepEqual(
    requests.map((r) => `${r.method} ${r.path} ${r.status}`),
    ['GET /v1/customers 200', 'POST /v1/customers 200'],
    'looked up first, then one create',
  );
  assert.deepEqual(new Set(creates().map((r) => r.idempotencyKey)), firstKeys, 'the kept key');
  assert.equal(await ambiguousSince(c.id), null);
});

test('a customer without an email, retried 25 hours later: search, long past its lag, proves it absent, and it is created once', async () => {
  const { c, failed, rowKey } = await neverMade({ Name: 'Nameless' }, { name: '{{Name}}' });
  const [firstKey] = new Set(creates().map((r) => r.idempotencyKey));

  aheadMs = 25 * HOUR;
  const before = h.emulator.requests().length;
  const retried = await retryFailed(failed.id);
  assert.equal(retried.status, 'succeeded', JSON.stringify(retried.rows));
  assert.deepEqual(
    h.emulator
      .requests()
      .slice(before)
      .map((r) => `${r.method} ${r.path} ${r.idempotencyKey ?? ''}`.trim()),
    ['GET /v1/customers/search', `POST /v1/customers ${firstKey}`],
    'a lookup, then the kept key',
  );
  assert.equal(customersOf(c.id, rowKey).length, 1);
  assert.equal(await ambiguousSince(c.id), null, 'cleared once sent');
});

test('25 hours later, a lookup that stops at its cap with more candidates left cannot prove it absent: the row fails and nothing is sent', async () => {
  const { c, failed, rowKey } = await neverMade({ Email: 'many@example.com' }, { email: '{{Email}}' });
  const since = await ambiguousSince(c.id);
  assert.ok(since);
  // 1050 other customers with the same email: the lookup stops at its cap of 1000 with more left.
  aheadMs = 60_000;
  const stripe = h.stripe();
  for (let i = 0; i < 1050; i += 50) {
    await Promise.all(Array.from({ length: 50 }, () => stripe.customers.create({ email: 'many@example.com' })));
  }

  aheadMs = 25 * HOUR;
  const before = h.emulator.requests().length;
  const retried = await retryFailed(failed.id);
  assert.equal(retried.status, 'failed');
  const marker = rowMarker(c.id, rowKey);
  assert.match(
    retried.rows[0]?.error ?? '',
    new RegExp(
      `^Not sent: Stripe gave no clear answer to this row's create, first sent at ${since}, and it keeps idempotency keys only 24 hours, .*Sluice cannot be sure the object does not exist: look in the Stripe Dashboard for an object whose metadata sluice_row is ${marker.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`,
    ),
  );
  const sent = h.emulator
    .requests()
    .slice(before)
    .filter((r) => r.method === 'POST');
  assert.deepEqual(sent, [], 'nothing sent');
  assert.equal(customersOf(c.id, rowKey).length, 0);
  assert.equal(await ambiguousSince(c.id), since, 'the first time stays');
});

test('within 24 hours a lookup that cannot settle it sends the kept key again, and Stripe replays its answer: one customer', async () => {
  const { c, failed, rowKey, made } = await madeButUnanswered('crowded@example.com');
  const [firstKey] = new Set(creates().map((r) => r.idempotencyKey));
  // 1000 newer customers with the same email: the lookup stops at its cap without reaching the row's.
  aheadMs = 60_000;
  const stripe = h.stripe();
  for (let i = 0; i < 1000; i += 50) {
    await Promise.all(Array.from({ length: 50 }, () => stripe.customers.create({ email: 'crowded@example.com' })));
  }

  aheadMs = 2 * HOUR;
  const before = h.emulator.requests().length;
  const retried = await retryFailed(failed.id);
  assert.equal(retried.status, 'succeeded', JSON.stringify(retried.rows));
  assert.equal(retried.rows[0]?.stripeId, made.id, "Stripe's stored answer for the key");
  assert.equal(customersOf(c.id, rowKey).length, 1);
  const sent = h.emulator
    .requests()
    .slice(before)
    .filter((r) => r.method === 'POST');
  assert.deepEqual(
    sent.map((r) => [r.idempotencyKey, r.status]),
    [[firstKey, 200]],
  );
});
