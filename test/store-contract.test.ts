import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { countConnectionsUsingAccount, getAccount, insertAccount } from '../src/store/accounts.js';
import { createApiKey, deleteApiKey, findApiKey, listApiKeys } from '../src/store/api-keys.js';
import {
  claimSlots,
  dueConnections,
  findConnectionByHookToken,
  getConnection,
  insertConnection,
  listConnections,
  updateConnection,
} from '../src/store/connections.js';
import { migrate, storeKind, type Db } from '../src/store/db.js';
import { claimPurge, deletedConnectionsUsingAccount, purgeConnection, tombstoneConnection } from '../src/store/purge.js';
import { newId } from '../src/store/ids.js';
import {
  ensureInvoiceGroup,
  getInvoiceGroups,
  invoiceGroupsOfRun,
  unfinishedInvoiceGroups,
  updateInvoiceGroup,
} from '../src/store/invoice-groups.js';
import {
  claimPendingRows,
  countLeftOut,
  countRows,
  getRow,
  intakeRows,
  listRows,
  recordRowOutcome,
  resetFailedRows,
  runRowStates,
  tallyByStatus,
} from '../src/store/rows.js';
import {
  claimNextRun,
  claimRun,
  createRun,
  ensureQueuedRun,
  expireLeases,
  finishRun,
  finishRunDirect,
  getRun,
  hasActiveRun,
  latestRun,
  listRuns,
  releaseRun,
  renewLease,
  rowsDoneBetween,
  runCounts,
  runningOwners,
} from '../src/store/runs.js';
import { deleteExpiredSessions, deleteSession, findSessionByHash, insertSession, touchSession } from '../src/store/sessions.js';
import { getSnapshot, saveSnapshot } from '../src/store/snapshots.js';
import { isUniqueViolation } from '../src/store/unique-violation.js';
import { findUserByEmail, hasAnyUser, insertOwnerIfNone } from '../src/store/users.js';
import { forEachStore, type TestStore } from './support/stores.js';

const AT = '2024-05-01T00:00:00.000Z';

async function account(db: Db): Promise<string> {
  const id = newId('acc');
  await insertAccount(db, {
    id,
    type: 'stripe',
    name: 'Test',
    mode: 'test',
    email: null,
    status: 'active',
    key_hint: 'sk_test_…abcd',
    secret_sealed: 'sealed',
    checked_at: null,
    last_error: null,
    created_at: AT,
    updated_at: AT,
  });
  return id;
}

async function connection(
  db: Db,
  o: { accountId?: string; enabled?: number; nextRunAt?: string; hookToken?: string } = {},
): Promise<string> {
  const id = newId('con');
  await insertConnection(db, {
    id,
    name: `Connection ${id}`,
    source_type: 'csv',
    source_settings: '{}',
    action: 'stripe.create_customer',
    account_id: o.accountId ?? (await account(db)),
    source_account_id: null,
    mapping: '{"email":"{{Email}}"}',
    start_from: 'all',
    enabled: o.enabled ?? 0,
    schedule: null,
    next_run_at: o.nextRunAt ?? null,
    after_connection_id: null,
    hook_token: o.hookToken ?? null,
    created_at: AT,
    updated_at: AT,
  });
  return id;
}

const row = (key: string, email = `${key}@example.com`) => ({ key, fields: { Email: email } });

/** Opens a store for one test and always closes it (its schema or temp dir goes with it). */
const using = (open: () => Promise<TestStore>, fn: (s: TestStore) => Promise<void>) => async () => {
  const s = await open();
  try {
    await fn(s);
  } finally {
    await s.close();
  }
};

forEachStore((kind, open) => {
  describe(`the store on ${kind}`, () => {
    test(
      'migrations apply again on an up-to-date store, by a second handle and directly, and keep the data',
      using(open, async ({ db, another }) => {
        assert.equal(storeKind(db), kind);
        const accountId = await account(db);
        const second = await another();
        await migrate(second);
        assert.equal(storeKind(second), kind);
        assert.equal((await getAccount(second, accountId))?.name, 'Test');
      }),
    );

    test(
      'connections: insert, read, find by hook token, list, update, delete with their runs and rows',
      using(open, async ({ db }) => {
        const accountId = await account(db);
        const a = await connection(db, { accountId, hookToken: 'tok_a' });
        const b = await connection(db, { accountId });
        assert.equal((await getConnection(db, a))?.enabled, 0);
        assert.equal((await findConnectionByHookToken(db, 'tok_a'))?.id, a);
        assert.equal(await findConnectionByHookToken(db, 'tok_missing'), undefined);
        assert.deepEqual(
          (await listConnections(db)).map((c) => c.id),
          [a, b],
        );
        assert.equal(await countConnectionsUsingAccount(db, accountId), 2);
        await updateConnection(db, a, { name: 'Renamed', enabled: 1 });
        assert.equal((await getConnection(db, a))?.name, 'Renamed');
        assert.equal((await getConnection(db, a))?.enabled, 1);

        await intakeRows(db, a, [row('k1'), row('k2'), row('k3'), row('k4'), row('k5')]);
        const runId = await createRun(db, a, 'manual');
        await claimPendingRows(db, a, runId, '', 10);
        assert.equal(await tombstoneConnection(db, a), 'busy', 'a queued run keeps the connection');
        await finishRunDirect(db, runId, { status: 'succeeded', skipped: 0 });
        assert.equal(await tombstoneConnection(db, a), 'deleted');
        assert.equal(await tombstoneConnection(db, a), 'missing', 'deleted once');
        // Gone for every reader at once, while its rows are still there to purge.
        assert.equal(await getConnection(db, a), undefined);
        assert.equal(await findConnectionByHookToken(db, 'tok_a'), undefined);
        assert.deepEqual(
          (await listConnections(db)).map((c) => c.id),
          [b],
        );
        assert.equal(await countConnectionsUsingAccount(db, accountId), 1);
        assert.equal(await deletedConnectionsUsingAccount(db, accountId), 1);
        assert.equal((await countRows(db, a)).pending, 5);

        const claim = await claimPurge(db, 60_000);
        assert.equal(claim?.id, a);
        assert.equal(await claimPurge(db, 60_000), undefined, 'one purger at a time');
        let pauses = 0;
        // Stopped after two batches (a shutdown): the rest waits for the next claim.
        assert.equal(await purgeConnection(db, claim!, { batch: 2, pause: async () => ++pauses < 2 }), false);
        assert.equal((await countRows(db, a)).pending, 1);
        assert.equal(await claimPurge(db, 60_000), undefined, 'the lease still holds');
        const again = await claimPurge(db, 60_000, new Date(Date.now() + 120_000));
        assert.equal(again?.id, a, 'a lease run out is taken over');
        assert.equal(await purgeConnection(db, again!, { batch: 2 }), true);
        assert.equal(await getRun(db, runId), undefined);
        assert.deepEqual(await countRows(db, a), { pending: 0, sent: 0, failed: 0, skipped: 0 });
        assert.equal(await deletedConnectionsUsingAccount(db, accountId), 0);
        assert.equal((await db.selectFrom('connections').select('id').where('id', '=', a).executeTakeFirst())?.id, undefined);
      }),
    );

    test(
      'intakeRows adds new rows, leaves seen ones, takes changed data with a new key version, and counts what it added',
      using(open, async ({ db }) => {
        const c = await connection(db);
        assert.equal(await intakeRows(db, c, [row('a'), row('b'), { key: 'bad', fields: {}, error: 'wrong number of columns' }]), 3);
        assert.equal(await intakeRows(db, c, [row('a'), row('b')]), 0, 'seen rows are not new');
        assert.equal(await intakeRows(db, c, [row('a'), row('c'), row('c', 'other@example.com')]), 1, 'a key given twice counts once');
        const counts = await countRows(db, c);
        assert.deepEqual(counts, { pending: 3, sent: 0, failed: 1, skipped: 0 });
        for (const n of Object.values(counts)) assert.equal(typeof n, 'number');

        const byKey = async (key: string) => (await listRows(db, c, { limit: 100, offset: 0 })).find((r) => r.row_key === key);
        assert.equal((await byKey('c'))?.data, JSON.stringify({ Email: 'c@example.com' }), 'the first of a twice-given key');
        assert.equal((await byKey('a'))?.key_version, 0);
        await intakeRows(db, c, [row('a', 'new@example.com')]);
        const a = await byKey('a');
        assert.equal(a?.key_version, 1, 'new data, new key version');
        assert.equal(a?.data, JSON.stringify({ Email: 'new@example.com' }));
        assert.equal(a?.status, 'pending');

        const runId = await createRun(db, c, 'manual');
        await recordRowOutcome(db, { rowId: a!.id, runId, status: 'sent', stripeId: 'cus_1' });
        await intakeRows(db, c, [row('a', 'newer@example.com')]);
        const sent = await getRow(db, a!.id);
        assert.equal(sent?.status, 'sent', 'a sent row is left alone');
        assert.equal(sent?.data, JSON.stringify({ Email: 'new@example.com' }));
        assert.equal(sent?.key_version, 1);

        const many = Array.from({ length: 450 }, (_, i) => row(`m${String(i).padStart(3, '0')}`));
        assert.equal(await intakeRows(db, c, many), 450, 'across chunks');
        assert.equal(await intakeRows(db, c, [row('s1')], 'skipped'), 1);
        assert.deepEqual(await countRows(db, c), { pending: 452, sent: 1, failed: 1, skipped: 1 });
      }),
    );

    test(
      'a read stamps its pending and failed rows, changed or not; a run claims only the rows of its read',
      using(open, async ({ db }) => {
        const c = await connection(db);
        const bad = { key: 'bad', fields: { Email: 'x' }, error: 'wrong number of columns' };
        assert.equal(await intakeRows(db, c, [row('x'), row('y'), row('z'), bad], 'pending', 'run_a'), 4);
        const byKey = async (key: string) => (await listRows(db, c, { limit: 100, offset: 0 })).find((r) => r.row_key === key)!;
        const z = await byKey('z');
        const runA = await createRun(db, c, 'manual');
        await recordRowOutcome(db, { rowId: z.id, runId: runA, status: 'sent', stripeId: 'cus_z' });
        const before = await byKey('y');

        // The next read has y unchanged, z (sent) and the bad row; x is gone from the source.
        assert.equal(await intakeRows(db, c, [row('y'), row('z'), bad], 'pending', 'run_b'), 0);
        const y = await byKey('y');
        assert.equal(y.read_id, 'run_b');
        assert.equal(y.key_version, before.key_version, 'unchanged data keeps its key');
        assert.equal(y.updated_at, before.updated_at);
        assert.equal((await byKey('x')).read_id, 'run_a');
        assert.equal((await byKey('bad')).read_id, 'run_b', 'a failed row is stamped too');
        assert.equal((await byKey('bad')).status, 'failed');
        assert.equal((await byKey('z')).read_id, 'run_a', 'a sent row is left alone');
        assert.equal(await countLeftOut(db, c, 'run_b'), 1);
        const runB = await createRun(db, c, 'manual');
        assert.deepEqual(
          (await claimPendingRows(db, c, runB, '', 10, 'run_b')).map((r) => r.row_key),
          ['y'],
        );
        // Changed data with a stamp: a new key version, as without one.
        await intakeRows(db, c, [row('y', 'new@example.com')], 'pending', 'run_c');
        assert.equal((await byKey('y')).key_version, before.key_version + 1);
        assert.equal((await byKey('y')).read_id, 'run_c');
        // A push source's rows (no read) are all claimed, as before.
        assert.equal((await claimPendingRows(db, c, runB, '', 10)).length, 2);
      }),
    );

    test(
      'claimPendingRows, recordRowOutcome, resetFailedRows and runRowStates keep the ledger and the run in step',
      using(open, async ({ db }) => {
        const c = await connection(db);
        await intakeRows(
          db,
          c,
          ['r1', 'r2', 'r3', 'r4', 'r5'].map((k) => row(k)),
        );
        const runId = await createRun(db, c, 'manual');
        const first = await claimPendingRows(db, c, runId, '', 3);
        assert.deepEqual(
          first.map((r) => r.row_key),
          ['r1', 'r2', 'r3'],
        );
        const rest = await claimPendingRows(db, c, runId, first[2]!.id, 10);
        assert.deepEqual(
          rest.map((r) => r.row_key),
          ['r4', 'r5'],
          'ids walk in arrival order',
        );
        assert.deepEqual(await claimPendingRows(db, c, runId, rest[1]!.id, 10), []);
        assert.deepEqual(await runCounts(db, runId), { pending: 5, sent: 0, failed: 0, skipped: 0 });

        const [r1, r2, r3] = first;
        const before = new Date(Date.now() - 1000).toISOString();
        await recordRowOutcome(db, { rowId: r1!.id, runId, status: 'sent', stripeId: 'cus_1', note: 'found' });
        await recordRowOutcome(db, { rowId: r2!.id, runId, status: 'failed', error: 'card declined', newKey: true });
        await recordRowOutcome(db, { rowId: r3!.id, runId, status: 'failed', error: 'timeout', ambiguousSince: AT });
        const counts = await runCounts(db, runId);
        assert.deepEqual(counts, { pending: 2, sent: 1, failed: 2, skipped: 0 });
        assert.equal(await rowsDoneBetween(db, runId, before, new Date(Date.now() + 1000).toISOString()), 3);
        assert.equal(typeof (await rowsDoneBetween(db, runId, before, AT)), 'number');

        const failed = await getRow(db, r2!.id);
        assert.equal(failed?.key_version, 1, 'a definite refusal moves the key');
        assert.equal(failed?.attempts, 1);
        assert.equal((await getRow(db, r3!.id))?.ambiguous_since, AT);
        assert.equal((await getRow(db, r1!.id))?.stripe_id, 'cus_1');

        const states = await runRowStates(db, runId, ['r1', 'r2', 'r3', 'nope']);
        assert.deepEqual(states.map((s) => [s.row_key, s.runStatus, s.status]).sort(), [
          ['r1', 'sent', 'sent'],
          ['r2', 'failed', 'failed'],
          ['r3', 'failed', 'failed'],
        ]);

        assert.equal(await resetFailedRows(db, runId, { rowKeys: ['r2'], readId: 'run_replay1' }), 1);
        assert.equal(await resetFailedRows(db, runId, { rowKeys: [], readId: 'run_replay1' }), 0);
        assert.equal(await resetFailedRows(db, runId, { readId: 'run_replay2', batch: 1 }), 1, 'the rest of the failed ones');
        assert.equal(await resetFailedRows(db, runId, { readId: 'run_replay3' }), 0);
        assert.deepEqual(await countRows(db, c), { pending: 4, sent: 1, failed: 0, skipped: 0 });
        // Each replay sends the rows it reset, stamped with its id, and no other pending row.
        assert.deepEqual(
          (await claimPendingRows(db, c, runId, '', 10, 'run_replay1')).map((r) => r.row_key),
          ['r2'],
        );
        assert.deepEqual(
          (await claimPendingRows(db, c, runId, '', 10, 'run_replay2')).map((r) => r.row_key),
          ['r3'],
        );

        const tally = tallyByStatus([
          { status: 'sent', n: '7' },
          { status: 'failed', n: 2n },
        ]);
        assert.deepEqual(tally, { pending: 0, sent: 7, failed: 2, skipped: 0 });
      }),
    );

    test(
      'ensureQueuedRun keeps one queued run per connection and trigger; a webhook joins any waiting run',
      using(open, async ({ db }) => {
        const c = await connection(db);
        assert.equal(await hasActiveRun(db, c), false);
        const manual = await ensureQueuedRun(db, c, 'manual');
        assert.equal(await ensureQueuedRun(db, c, 'manual'), manual);
        assert.equal(await ensureQueuedRun(db, c, 'webhook'), manual, 'a webhook row joins the waiting run');
        const retry = await ensureQueuedRun(db, c, 'retry');
        assert.notEqual(retry, manual);
        assert.equal(await hasActiveRun(db, c), true);
        assert.deepEqual(
          (await listRuns(db, c)).map((r) => r.id),
          [retry, manual],
        );
        assert.equal((await latestRun(db, c))?.id, retry);
        const run = await getRun(db, manual);
        assert.equal(run?.status, 'queued');
        assert.equal(run?.sent, 0);
      }),
    );

    test(
      'claimNextRun: two claimers at once take one run each, never the same one, never two of one connection',
      using(open, async ({ db }) => {
        const [a, b] = [await connection(db), await connection(db)];
        const runA = await createRun(db, a, 'manual');
        const runA2 = await createRun(db, a, 'retry');
        const runB = await createRun(db, b, 'manual');
        const claims = await Promise.all([claimNextRun(db, 'host:1', 60_000), claimNextRun(db, 'host:2', 60_000)]);
        const claimed = claims.map((r) => r?.id).sort();
        assert.deepEqual(claimed, [runA, runB].sort());
        assert.equal(await claimNextRun(db, 'host:3', 60_000), undefined, 'the second run of a connection waits for the first');
        assert.equal((await getRun(db, runA2))?.status, 'queued');
        assert.deepEqual((await runningOwners(db)).sort(), ['host:1', 'host:2']);
      }),
    );

    test(
      'the unique index allows one running run per connection, whoever claims',
      using(open, async ({ db }) => {
        const c = await connection(db);
        const runs = [await createRun(db, c, 'manual'), await createRun(db, c, 'retry'), await createRun(db, c, 'schedule')];
        const claims = await Promise.all(runs.map((id, i) => claimRun(db, id, `host:${i}`, 60_000)));
        assert.equal(claims.filter(Boolean).length, 1);
        await assert.rejects(createRun(db, c, 'manual', 'running'), (e: unknown) => isUniqueViolation(e));
        assert.equal(isUniqueViolation(new Error('other')), false);
        assert.equal(isUniqueViolation(undefined), false);
      }),
    );

    test(
      'leases: renewed by the owner only, expired leases are taken over, a released run is queued again, a finished run ends',
      using(open, async ({ db }) => {
        const c = await connection(db);
        const runId = await createRun(db, c, 'manual');
        const claimed = await claimNextRun(db, 'host:1', 60_000);
        assert.equal(claimed?.id, runId);
        assert.equal(await renewLease(db, runId, 'host:1', 60_000), true);
        assert.equal(await renewLease(db, runId, 'host:2', 60_000), false);
        assert.equal(await claimNextRun(db, 'host:2', 60_000), undefined, 'a live lease holds');

        await expireLeases(db, ['host:1']);
        const resumed = await claimNextRun(db, 'host:2', 60_000);
        assert.equal(resumed?.id, runId, 'an orphaned run is resumed');
        assert.equal(resumed?.owner, 'host:2');
        assert.equal(await renewLease(db, runId, 'host:1', 60_000), false, 'the old owner lost it');

        await releaseRun(db, runId, 'host:2');
        assert.equal((await getRun(db, runId))?.status, 'queued');
        assert.equal((await claimRun(db, runId, 'host:3', 60_000))?.id, runId);
        await finishRun(db, runId, 'host:3', {
          status: 'partial',
          error: null,
          warnings: ['w'],
          counts: { sent: 3, failed: 1, skipped: 0, pending: 2 },
        });
        const run = await getRun(db, runId);
        assert.equal(run?.status, 'partial');
        assert.equal(run?.sent, 3);
        assert.equal(run?.pending, 2);
        assert.equal(run?.lease_until, null);
        assert.equal(run?.warnings, '["w"]');
        assert.equal(await hasActiveRun(db, c), false);
      }),
    );

    test(
      'scheduler slots: two schedulers claiming the same due slots at once fire each one once',
      using(open, async ({ db }) => {
        const due = '2024-05-01T09:00:00.000Z';
        const next = '2024-05-01T10:00:00.000Z';
        const accountId = await account(db);
        const ids: string[] = [];
        for (let i = 0; i < 8; i++) ids.push(await connection(db, { accountId, enabled: 1, nextRunAt: due }));
        await connection(db, { accountId, enabled: 0, nextRunAt: due });
        const found = await dueConnections(db, '2024-05-01T09:00:30.000Z', 100);
        assert.deepEqual(
          found.map((f) => f.id),
          ids,
          'enabled and due, in a stable order',
        );
        const claims = ids.map((id) => ({ id, due, next }));
        // Opposite orders: the store claims in one order, so they wait on each other instead of deadlocking.
        const [x, y] = await Promise.all([claimSlots(db, claims), claimSlots(db, [...claims].reverse())]);
        assert.equal(x + y, ids.length, `won ${x} + ${y}`);
        for (const id of ids) {
          assert.equal((await getConnection(db, id))?.next_run_at, next);
          const runs = await listRuns(db, id);
          assert.deepEqual(
            runs.map((r) => [r.trigger, r.scheduled_for]),
            [['schedule', due]],
          );
        }
        assert.equal(await claimSlots(db, claims), 0, 'a slot is claimed once');
        assert.deepEqual(await dueConnections(db, '2024-05-01T09:00:30.000Z', 100), []);
      }),
    );

    test(
      'users: concurrent setups make one owner',
      using(open, async ({ db }) => {
        assert.equal(await hasAnyUser(db), false);
        const results = await Promise.all(
          ['a', 'b', 'c'].map((n) =>
            insertOwnerIfNone(db, {
              id: newId('usr'),
              email: `${n}@example.com`,
              role: 'owner',
              password_hash: 'scrypt$x',
              created_at: AT,
            }),
          ),
        );
        assert.equal(results.filter(Boolean).length, 1);
        assert.equal(await hasAnyUser(db), true);
        const winner = ['a', 'b', 'c'][results.indexOf(true)];
        assert.equal((await findUserByEmail(db, `${winner}@example.com`))?.role, 'owner');
        assert.equal(
          await insertOwnerIfNone(db, { id: newId('usr'), email: 'd@example.com', role: 'owner', password_hash: 'x', created_at: AT }),
          false,
        );
      }),
    );

    test(
      'sessions: found by token hash with the email, touched, expired and deleted',
      using(open, async ({ db }) => {
        const userId = newId('usr');
        await insertOwnerIfNone(db, { id: userId, email: 'owner@example.com', role: 'owner', password_hash: 'x', created_at: AT });
        const session = (id: string, hash: string, expires: string) => ({
          id,
          token_hash: hash,
          user_id: userId,
          created_at: AT,
          last_seen_at: AT,
          expires_at: expires,
        });
        const [s1, s2] = [newId('ses'), newId('ses')];
        await insertSession(db, session(s1, 'h1', '2024-06-01T00:00:00.000Z'));
        await insertSession(db, session(s2, 'h2', '2024-05-02T00:00:00.000Z'));
        await assert.rejects(insertSession(db, session(newId('ses'), 'h1', AT)), (e: unknown) => isUniqueViolation(e));
        const found = await findSessionByHash(db, 'h1');
        assert.deepEqual(found, {
          id: s1,
          user_id: userId,
          last_seen_at: AT,
          expires_at: '2024-06-01T00:00:00.000Z',
          email: 'owner@example.com',
        });
        await touchSession(db, s1, '2024-05-10T00:00:00.000Z', '2024-06-10T00:00:00.000Z');
        assert.equal((await findSessionByHash(db, 'h1'))?.expires_at, '2024-06-10T00:00:00.000Z');
        await deleteExpiredSessions(db, '2024-05-03T00:00:00.000Z');
        assert.equal(await findSessionByHash(db, 'h2'), undefined);
        await deleteSession(db, s1);
        assert.equal(await findSessionByHash(db, 'h1'), undefined);
      }),
    );

    test(
      'invoice groups: one per key, a new key version on request, large totals, the groups of a run',
      using(open, async ({ db }) => {
        const c = await connection(db);
        const [g1, g1again] = await Promise.all([ensureInvoiceGroup(db, c, 'order-1'), ensureInvoiceGroup(db, c, 'order-1')]);
        assert.equal(g1.id, g1again.id);
        assert.equal(g1.key_version, 0);
        assert.equal(g1.lines, 0);
        const g2 = await ensureInvoiceGroup(db, c, 'order-2');
        assert.notEqual(g2.id, g1.id);

        const total = 12_345_678_901; // past 2^31 minor units
        await updateInvoiceGroup(db, g1.id, {
          invoice_id: 'in_1',
          status: 'draft',
          total,
          currency: 'usd',
          lines: 2,
          error: 'not finalized',
        });
        await updateInvoiceGroup(db, g1.id, { newKey: true });
        const [updated] = await getInvoiceGroups(db, c, ['order-1']);
        assert.equal(updated?.key_version, 1);
        assert.equal(updated?.total, total);
        assert.equal(typeof updated?.total, 'number');
        assert.deepEqual(
          (await unfinishedInvoiceGroups(db, c)).map((g) => g.id),
          [g1.id],
        );

        await intakeRows(db, c, [row('line-1'), row('line-2'), row('line-3')]);
        const runId = await createRun(db, c, 'manual');
        const claimed = await claimPendingRows(db, c, runId, '', 10);
        await recordRowOutcome(db, { rowId: claimed[0]!.id, runId, status: 'sent', stripeId: 'ii_1', groupKey: 'order-2' });
        await recordRowOutcome(db, { rowId: claimed[1]!.id, runId, status: 'sent', stripeId: 'ii_2', groupKey: 'order-1' });
        const other = await createRun(db, c, 'retry');
        assert.deepEqual(
          (await invoiceGroupsOfRun(db, runId)).map((g) => g.group_key),
          ['order-1', 'order-2'],
          'in the order they were made',
        );
        assert.deepEqual(await invoiceGroupsOfRun(db, other), []);
      }),
    );

    test(
      'snapshots and API keys',
      using(open, async ({ db }) => {
        const c = await connection(db);
        assert.equal(await getSnapshot(db, c), undefined);
        await saveSnapshot(db, c, { columns: ['Email'], entries: [{ key: 'k', hash: 'h' }] });
        await saveSnapshot(db, c, { columns: ['Email', 'Name'], entries: [{ key: 'k', hash: 'h2', cells: 'c' }] });
        assert.deepEqual(await getSnapshot(db, c), { columns: ['Email', 'Name'], entries: [{ key: 'k', hash: 'h2', cells: 'c' }] });

        const { id, key } = await createApiKey(db, 'ci');
        assert.equal((await findApiKey(db, key))?.id, id);
        assert.deepEqual(
          (await listApiKeys(db)).map((k) => k.id),
          [id],
        );
        assert.equal(await deleteApiKey(db, id), true);
        assert.equal(await deleteApiKey(db, id), false);
      }),
    );
  });
});
