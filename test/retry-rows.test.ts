import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { csv, startHarness, waitFor, type Harness, type RunBody } from './support/harness.js';

// POST /api/runs/:id/rows/retry: some of a run's failed rows, chosen by key, sent again in a new
// run. Only rows that failed in that run and are failed still; a sent row is never sent again.

let h: Harness;
let accountId: string;
before(async () => {
  h = await startHarness();
  accountId = await h.account();
});
after(() => h.close());

interface ErrorBody {
  error: { message: string; errors: { field: string; value?: string; message: string }[] };
}

/** How many invoice item requests reached the emulator for a row (its description is its key). */
const sendsOf = (key: string) =>
  h.emulator.requests().filter((r) => r.method === 'POST' && r.path === '/v1/invoiceitems' && r.body.includes(`description=line-${key}&`))
    .length;

/**
 * Invoice items for four customers, two of whom do not exist in Stripe yet: rows r2 and r4 fail
 * ("no Stripe customer has the email"), r1 and r3 are sent.
 */
async function partlyFailedRun(name: string): Promise<{ connectionId: string; run: RunBody }> {
  const stripe = h.stripe();
  for (const key of ['r1', 'r3']) await stripe.customers.create({ email: `${name}-${key}@retry.example` });
  const rows = ['r1', 'r2', 'r3', 'r4'].map((key) => ({ Ref: key, Email: `${name}-${key}@retry.example`, What: `line-${name}-${key}` }));
  const c = await h.connection({
    name,
    source: { type: 'csv', content: csv(rows), keyColumn: 'Ref' },
    action: 'stripe.create_invoice_item',
    accountId,
    mapping: { customer: '{{Email}}', amount: '10', currency: 'usd', description: '{{What}}' },
  });
  const run = await h.run(c.id);
  assert.equal(run.status, 'partial', JSON.stringify(run));
  assert.deepEqual(
    run.rows.filter((r) => r.status === 'failed').map((r) => r.rowKey),
    ['r2', 'r4'],
  );
  assert.match(run.rows.find((r) => r.rowKey === 'r2')?.error ?? '', /no Stripe customer has the email/);
  return { connectionId: c.id, run };
}

test('one failed row is sent again in a new run; the other failed row and the sent rows stay as they are', async () => {
  const { run } = await partlyFailedRun('one');
  await h.stripe().customers.create({ email: 'one-r2@retry.example' });

  const res = await h.api<{ runId: string; rows: number }>('POST', `/api/runs/${run.id}/rows/retry`, { rowKeys: ['r2'] });
  assert.equal(res.status, 202, JSON.stringify(res.body));
  assert.equal(res.body.rows, 1);
  assert.notEqual(res.body.runId, run.id);
  const retried = await h.waitForRun(res.body.runId);
  assert.equal((retried as RunBody & { trigger: string }).trigger, 'retry');
  assert.equal(retried.status, 'succeeded', JSON.stringify(retried));
  assert.deepEqual(
    retried.rows.map((r) => [r.rowKey, r.status]),
    [['r2', 'sent']],
  );
  assert.equal(sendsOf('one-r2'), 1, 'r2 went out once, in the retry');
  assert.equal(sendsOf('one-r1'), 1, 'r1 was not sent again');
  assert.equal(sendsOf('one-r3'), 1, 'r3 was not sent again');
  assert.equal(sendsOf('one-r4'), 0, 'r4 (no customer) never reached the invoice items endpoint');

  // The first run's table says what became of its rows since.
  const first = await h.api<{ rows: { rowKey: string; status: string; currentStatus: string }[] }>('GET', `/api/runs/${run.id}`);
  assert.deepEqual(
    first.body.rows.map((r) => [r.rowKey, r.status, r.currentStatus]),
    [
      ['r1', 'sent', 'sent'],
      ['r2', 'failed', 'sent'],
      ['r3', 'sent', 'sent'],
      ['r4', 'failed', 'failed'],
    ],
  );
});

test('a sent row is refused with 409 and never sent again, even when it failed in the run named', async () => {
  const { run } = await partlyFailedRun('sent');
  await h.stripe().customers.create({ email: 'sent-r2@retry.example' });
  const first = await h.api<{ runId: string }>('POST', `/api/runs/${run.id}/rows/retry`, { rowKeys: ['r2'] });
  await h.waitForRun(first.body.runId);
  assert.equal(sendsOf('sent-r2'), 1);

  // r1 was sent by the run; r2 failed in it but was sent by the retry since.
  const res = await h.api<ErrorBody>('POST', `/api/runs/${run.id}/rows/retry`, { rowKeys: ['r4', 'r1', 'r2'] });
  assert.equal(res.status, 409);
  const [r1, r2] = res.body.error.errors;
  assert.equal(res.body.error.errors.length, 2);
  assert.equal(r1?.field, 'rowKeys.1');
  assert.equal(r1?.value, 'r1');
  assert.match(r1?.message ?? '', /^rowKeys\.1: row "r1" was sent \(ii_\w+\); a sent row is never sent again$/);
  assert.match(r2?.message ?? '', /^rowKeys\.2: row "r2" was sent \(ii_\w+\); a sent row is never sent again$/);
  assert.equal(res.body.error.message, `${r1?.message}; ${r2?.message}`);

  // Nothing moved: not even r4, which could have been retried on its own.
  await new Promise((resolve) => setTimeout(resolve, 300));
  assert.equal(sendsOf('sent-r1'), 1);
  assert.equal(sendsOf('sent-r2'), 1);
  const again = await h.api<RunBody>('GET', `/api/runs/${run.id}?status=failed`);
  assert.equal(again.body.status, 'partial');
  const r4 = await h.api<{ data: { rowKey: string; status: string }[] }>('GET', `/api/connections/${run.connectionId}/rows?status=failed`);
  assert.deepEqual(
    r4.body.data.map((r) => r.rowKey),
    ['r4'],
  );
});

test('a row waiting for its retry run is refused as pending', async () => {
  const { run } = await partlyFailedRun('pending');
  // Slow answers keep r4 pending in the ledger while its retry run sends it.
  h.emulator.configure({ latencyMs: 1500 });
  try {
    const first = await h.api<{ runId: string }>('POST', `/api/runs/${run.id}/rows/retry`, { rowKeys: ['r4'] });
    assert.equal(first.status, 202);
    const res = await h.api<ErrorBody>('POST', `/api/runs/${run.id}/rows/retry`, { rowKeys: ['r4'] });
    assert.equal(res.status, 409);
    assert.equal(res.body.error.message, 'rowKeys.0: row "r4" is pending: a run will send it already');
    await h.waitForRun(first.body.runId);
  } finally {
    h.emulator.configure({ latencyMs: 0 });
  }
});

test('unknown rows and runs are 404 naming them, and a body without row keys is 400', async () => {
  const { run } = await partlyFailedRun('unknown');
  const missing = await h.api<ErrorBody>('POST', `/api/runs/${run.id}/rows/retry`, { rowKeys: ['r2', 'nope', 'r9'] });
  assert.equal(missing.status, 404);
  assert.equal(
    missing.body.error.message,
    `rowKeys.1: "nope" is not a row of run ${run.id}; rowKeys.2: "r9" is not a row of run ${run.id}`,
  );
  assert.deepEqual(
    missing.body.error.errors.map((e) => [e.field, e.value]),
    [
      ['rowKeys.1', 'nope'],
      ['rowKeys.2', 'r9'],
    ],
  );
  // r2 was named too, but nothing moved.
  const still = await h.api<{ data: { rowKey: string }[] }>('GET', `/api/connections/${run.connectionId}/rows?status=failed`);
  assert.deepEqual(
    still.body.data.map((r) => r.rowKey),
    ['r2', 'r4'],
  );

  const noRun = await h.api<ErrorBody>('POST', '/api/runs/run_nope/rows/retry', { rowKeys: ['r2'] });
  assert.equal(noRun.status, 404);
  assert.equal(noRun.body.error.message, 'run "run_nope" does not exist');

  for (const [body, message] of [
    [{}, 'rowKeys: is required'],
    [{ rowKeys: [] }, 'rowKeys: "[]" is empty; name at least one failed row of the run'],
    [{ rowKeys: 'r2' }, 'rowKeys: "r2" is not a list of row keys; send {"rowKeys": ["<row key>", …]}'],
    [{ rowKeys: [''] }, 'rowKeys.0: "" is empty; give the row key as the run lists it'],
    [{ rowKeys: ['r2'], all: true }, 'unknown field(s) "all"'],
  ] as const) {
    const res = await h.api<ErrorBody>('POST', `/api/runs/${run.id}/rows/retry`, body);
    assert.equal(res.status, 400, JSON.stringify(body));
    assert.equal(res.body.error.message, message);
  }

  // Both failed rows at once, the same key twice counting once.
  await h.stripe().customers.create({ email: 'unknown-r2@retry.example' });
  await h.stripe().customers.create({ email: 'unknown-r4@retry.example' });
  const both = await h.api<{ runId: string; rows: number }>('POST', `/api/runs/${run.id}/rows/retry`, { rowKeys: ['r4', 'r2', 'r4'] });
  assert.equal(both.status, 202);
  assert.equal(both.body.rows, 2);
  const retried = await h.waitForRun(both.body.runId);
  assert.deepEqual(
    retried.rows.map((r) => [r.rowKey, r.status]),
    [
      ['r2', 'sent'],
      ['r4', 'sent'],
    ],
  );
  await waitFor('r2 and r4 sent once each', () => (sendsOf('unknown-r2') === 1 && sendsOf('unknown-r4') === 1 ? true : undefined));
});
