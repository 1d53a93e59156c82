import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openDatabase, type Db } from './db.js';
import { intakeRows, listRows, recordRowOutcome } from './rows.js';
import { createRun } from './runs.js';

async function ledger(): Promise<{ db: Db; runId: string; rowId: string; since: () => Promise<string | null | undefined> }> {
  const db = await openDatabase({ dataDir: ':memory:' });
  const at = '2024-05-01T00:00:00.000Z';
  await db
    .insertInto('accounts')
    .values({
      id: 'acc_1',
      type: 'stripe',
      name: 'A',
      mode: 'test',
      email: null,
      status: 'active',
      key_hint: 'sk_test_…',
      secret_sealed: 'x',
      checked_at: null,
      last_error: null,
      created_at: at,
      updated_at: at,
    })
    .execute();
  await db
    .insertInto('connections')
    .values({
      id: 'con_1',
      name: 'C',
      source_type: 'csv',
      source_settings: '{}',
      action: 'stripe.create_customer',
      account_id: 'acc_1',
      source_account_id: null,
      mapping: '{}',
      start_from: 'all',
      schedule: null,
      next_run_at: null,
      after_connection_id: null,
      hook_token: null,
      created_at: at,
      updated_at: at,
    })
    .execute();
  await intakeRows(db, 'con_1', [{ key: 'k1', fields: { Email: 'a@example.com' } }]);
  const runId = await createRun(db, 'con_1', 'manual');
  const [row] = await listRows(db, 'con_1', { limit: 1, offset: 0 });
  assert.ok(row);
  const since = async () => (await listRows(db, 'con_1', { limit: 1, offset: 0 }))[0]?.ambiguous_since;
  return { db, runId, rowId: row.id, since };
}

test('ambiguous_since keeps the first ambiguous create, and is cleared by a send, a new key or new data', async () => {
  const { db, runId, rowId, since } = await ledger();
  assert.equal(await since(), null);
  const fail = (ambiguousSince?: string | null, newKey = false) =>
    recordRowOutcome(db, { rowId, runId, status: 'failed', error: 'e', newKey, ...(ambiguousSince !== undefined && { ambiguousSince }) });

  await fail('2024-05-01T10:00:00.000Z');
  await fail('2024-05-02T10:00:00.000Z');
  await fail();
  assert.equal(await since(), '2024-05-01T10:00:00.000Z', 'the earliest stays');

  await fail(null);
  assert.equal(await since(), null, 'null clears (the create step is done)');

  await fail('2024-05-03T10:00:00.000Z');
  await fail(undefined, true);
  assert.equal(await since(), null, 'a new key clears');

  await fail('2024-05-03T10:00:00.000Z');
  await intakeRows(db, 'con_1', [{ key: 'k1', fields: { Email: 'a@example.com' } }]);
  assert.equal(await since(), '2024-05-03T10:00:00.000Z', 'the same data leaves it');
  await intakeRows(db, 'con_1', [{ key: 'k1', fields: { Email: 'b@example.com' } }]);
  assert.equal(await since(), null, 'new data (and a new key version) clears');

  await fail('2024-05-04T10:00:00.000Z');
  await recordRowOutcome(db, { rowId, runId, status: 'sent', stripeId: 'cus_1' });
  assert.equal(await since(), null, 'a send clears');
  await db.destroy();
});
