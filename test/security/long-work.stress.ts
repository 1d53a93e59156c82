import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test, type TestContext } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { sql } from 'kysely';
import { Agent, fetch as undiciFetch, type RequestInit as ProbeInit } from 'undici';
import { storeKind } from '../../src/store/db.js';
import { newId, nowIso } from '../../src/store/ids.js';
import { startHarness, type Harness } from '../support/harness.js';

/**
 * Issue 13, point 5: long work never freezes the server. While a connection with 400,000 rows is
 * deleted, and while a 400,000-row CSV is taken in, /health, the connections list and a
 * well-behaved hook post of another connection are each answered within a second, every ~50 ms.
 *
 * Sluice runs in this process (the harness), so a statement that holds the event loop delays these
 * requests by exactly as long: the latencies below are what a browser or a form would see.
 */

const ROWS = 400_000;
const LIMIT_MS = 1000;

let h: Harness;
let accountId: string;
let hookUrl: string;
let files: http.Server;
let csvUrl: string;

before(async () => {
  // The CSV is served from loopback; another guard refuses loopback URLs unless this is set. The
  // read's deadline is not what is tested here (a loaded machine reads 400,000 rows slowly).
  h = await startHarness({ env: { SLUICE_ALLOW_PRIVATE_URLS: '1', SLUICE_FETCH_TIMEOUT_MS: '600000' } });
  accountId = await h.account();
  const hook = await h.connection({
    name: 'Form',
    source: { type: 'webhook' },
    action: 'stripe.create_customer',
    accountId,
    mapping: { email: '{{email}}' },
  });
  hookUrl = hook.hookUrl!;
  const big = Buffer.from(
    ['Ref,Email,Name', ...Array.from({ length: ROWS }, (_, i) => `r${i},person${i}@long-work.example,Person ${i}`)].join('\r\n') + '\r\n',
  );
  files = http.createServer((_req, res) => {
    res.setHeader('content-type', 'text/csv');
    res.end(big);
  });
  await new Promise<void>((resolve) => files.listen(0, '127.0.0.1', resolve));
  csvUrl = `http://127.0.0.1:${(files.address() as AddressInfo).port}/big.csv`;
});

after(async () => {
  await h.close();
  files.closeAllConnections();
  await new Promise((resolve) => files.close(resolve));
});

interface Probe {
  name: string;
  /** Asked every this many rounds (the UI polls a page about once a second). */
  everyRounds: number;
  request: () => Promise<Response>;
  max: number;
  count: number;
  failures: string[];
}

/**
 * Probes open a new connection for each request, as a new visitor or a web form does, so that what
 * they measure is the server's answer. This client shares the server's event loop: a kept-alive
 * connection reused just before the server's keep-alive timer (5 s) is due can be closed by that
 * timer when a purge batch held the loop past it (timers run before pending reads), and the request
 * fails for a reason a browser retries on its own (CI saw one `fetch failed` so).
 */
const newConnectionEach = new Agent({ pipelining: 0 });
const probeFetch = (url: string, init: ProbeInit = {}) => undiciFetch(url, { ...init, dispatcher: newConnectionEach });

/** Why a request failed, with the cause undici keeps apart (`fetch failed` alone says nothing). */
const failureOf = (error: unknown) => {
  const e = error as Error & { cause?: Error & { code?: string } };
  return e.cause ? `${e.message}: ${e.cause.code ?? ''} ${e.cause.message}` : e.message;
};

/**
 * Sends each probe every ~50 ms (the next round is due 50 ms after the slowest of the last one
 * answered) until stopped, and keeps the longest wait of each, from when its round was due.
 */
function watch(extra: { name: string; request: () => Promise<Response>; everyRounds: number }[] = []) {
  let round = 0;
  let n = 0;
  const probes: Probe[] = [
    { name: 'GET /health', request: () => probeFetch(`${h.sluice.url}/health`) },
    { name: 'GET /api/connections', request: () => authed('/api/connections') },
    {
      name: 'POST hook',
      request: () =>
        probeFetch(hookUrl, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ email: `form${n++}@example.com` }),
        }),
    },
    ...extra,
  ].map((p) => ({ everyRounds: 1, ...p, max: 0, count: 0, failures: [] }));
  let stopped = false;
  const loop = (async () => {
    let due = performance.now();
    while (!stopped) {
      // Latency counts from when the round was due, not from when this (in-process) client got to
      // send it: while Sluice holds the event loop, the client is held too, and a browser or a form
      // sending at that moment would wait for exactly that long.
      const now = round++;
      await Promise.all(
        probes.map(async (p) => {
          if (now % p.everyRounds !== 0) return;
          try {
            const res = await p.request();
            await res.arrayBuffer();
            if (!res.ok) p.failures.push(`${res.status}`);
          } catch (error) {
            p.failures.push(failureOf(error));
          }
          p.max = Math.max(p.max, performance.now() - due);
          p.count++;
        }),
      );
      due = performance.now() + 50;
      await sleep(50);
    }
  })();
  return {
    async stop(t: TestContext): Promise<Probe[]> {
      stopped = true;
      await loop;
      for (const p of probes) t.diagnostic(`${p.name}: ${p.count} requests, longest ${Math.round(p.max)} ms`);
      return probes;
    },
  };
}

const authed = (path: string, init: ProbeInit = {}) =>
  probeFetch(`${h.sluice.url}${path}`, {
    ...init,
    headers: { authorization: `Bearer ${h.apiKey}`, ...(init.headers as Record<string, string>) },
  });

function assertAnsweredInTime(probes: Probe[]) {
  for (const p of probes) {
    assert.deepEqual(p.failures, [], `${p.name} failed`);
    assert.ok(p.count >= 5, `${p.name} was asked ${p.count} times only`);
    assert.ok(p.max < LIMIT_MS, `${p.name} took ${Math.round(p.max)} ms at most; the limit is ${LIMIT_MS} ms`);
  }
}

async function rowsOf(connectionId: string): Promise<number> {
  const r = await h.sluice.engine.db
    .selectFrom('rows')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('connection_id', '=', connectionId)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

/**
 * 400,000 sent rows, each linked to one run, written straight into the store in large transactions
 * (as years of a busy form would leave them): the test is about deleting them, not sending them.
 */
async function fillLedger(connectionId: string): Promise<void> {
  const db = h.sluice.engine.db;
  const runId = newId('run');
  const now = nowIso();
  await db
    .insertInto('runs')
    .values({
      id: runId,
      connection_id: connectionId,
      trigger: 'webhook',
      status: 'succeeded',
      error: null,
      warnings: null,
      created_at: now,
      scheduled_for: null,
      started_at: now,
      finished_at: now,
      owner: null,
      lease_until: null,
    })
    .execute();
  for (let start = 0; start < ROWS; start += 20_000) {
    await db.transaction().execute(async (trx) => {
      for (let i = start; i < start + 20_000; i += 500) {
        const rows = Array.from({ length: 500 }, (_, j) => ({
          id: newId('row'),
          connection_id: connectionId,
          row_key: `post:${i + j}`,
          data: JSON.stringify({ email: `person${i + j}@long-work.example`, name: `Person ${i + j}` }),
          status: 'sent' as const,
          stripe_id: `cus_${i + j}`,
          error: null,
          progress: null,
          line: null,
          last_run_id: runId,
          created_at: now,
          updated_at: now,
          sent_at: now,
          write_back: null,
          write_back_status: null,
          write_back_error: null,
          ambiguous_since: null,
          group_key: null,
        }));
        await trx.insertInto('rows').values(rows).execute();
        await trx
          .insertInto('run_rows')
          .values(
            rows.map((r) => ({
              run_id: runId,
              row_id: r.id,
              status: 'sent' as const,
              stripe_id: r.stripe_id,
              error: null,
              note: null,
              updated_at: now,
            })),
          )
          .execute();
      }
    });
  }
  // The fill wrote some 300 MB of WAL in a few seconds, which no server does; the first commit after
  // it would copy all of it back (SQLite's automatic checkpoint). Done here, as part of the set-up.
  if (storeKind(db) === 'sqlite') await sql`pragma wal_checkpoint(TRUNCATE)`.execute(db);
}

test('deleting a connection with 400,000 rows: it is gone at once, the server answers within a second throughout, then every row is gone', async (t) => {
  const doomed = await h.connection({
    name: 'Busy form',
    source: { type: 'webhook' },
    action: 'stripe.create_customer',
    accountId,
    mapping: { email: '{{email}}' },
  });
  const filling = performance.now();
  await fillLedger(doomed.id);
  assert.equal(await rowsOf(doomed.id), ROWS);
  t.diagnostic(`filled ${ROWS} rows (and their run rows) in ${Math.round((performance.now() - filling) / 1000)} s`);

  const watcher = watch();
  try {
    await sleep(300);
    const started = performance.now();
    const deleted = await authed(`/api/connections/${doomed.id}`, { method: 'DELETE' });
    const deleteMs = performance.now() - started;
    assert.equal(deleted.status, 204);
    t.diagnostic(`DELETE answered in ${Math.round(deleteMs)} ms`);
    assert.ok(deleteMs < LIMIT_MS, `the DELETE took ${Math.round(deleteMs)} ms`);

    // Gone for the user at once, while its rows are still being purged.
    const list = (await (await authed('/api/connections')).json()) as { data: { id: string }[] };
    assert.ok(!list.data.some((c) => c.id === doomed.id), 'no longer listed');
    assert.equal((await authed(`/api/connections/${doomed.id}`)).status, 404);
    assert.equal((await authed(`/api/connections/${doomed.id}/run`, { method: 'POST' })).status, 404, 'never runs again');
    const post = await fetch(doomed.hookUrl!, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"email":"late@example.com"}',
    });
    assert.equal(post.status, 404, 'its hook URL takes no more posts');

    const purgeStarted = performance.now();
    while ((await rowsOf(doomed.id)) > 0) {
      assert.ok(performance.now() - purgeStarted < 120_000, 'the purge did not end within 120 s');
      await sleep(500);
    }
    while (await h.sluice.engine.db.selectFrom('connections').select('id').where('id', '=', doomed.id).executeTakeFirst()) await sleep(100);
    t.diagnostic(`purged ${ROWS} rows in ${Math.round((performance.now() - purgeStarted) / 1000)} s`);
    const runs = await h.sluice.engine.db.selectFrom('runs').select('id').where('connection_id', '=', doomed.id).execute();
    assert.deepEqual(runs, []);
  } finally {
    assertAnsweredInTime(await watcher.stop(t));
  }
});

test('taking in a 400,000-row CSV (at creation, then in a run): the server answers within a second throughout', async (t) => {
  // startFrom "new": the rows present are recorded as skipped (read and merged like any run's),
  // so nothing goes to Stripe; the run after it reads them all again and sends nothing.
  const watcher = watch();
  let id: string;
  try {
    await sleep(300);
    const started = performance.now();
    const created = await authed('/api/connections', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        name: 'Big file',
        source: { type: 'csv', url: csvUrl, keyColumn: 'Ref' },
        action: 'stripe.create_customer',
        accountId,
        mapping: { email: '{{Email}}', name: '{{Name}}' },
        startFrom: 'new',
      }),
    });
    const body = (await created.json()) as { id: string };
    assert.equal(created.status, 201, JSON.stringify(body));
    id = body.id;
    t.diagnostic(`the baseline of ${ROWS} rows took ${Math.round((performance.now() - started) / 1000)} s`);
  } finally {
    assertAnsweredInTime(await watcher.stop(t));
  }
  assert.equal(await rowsOf(id), ROWS);

  // The UI polls the connection (its row counts) and the run while it goes, about once a second.
  const { runId } = (await (await authed(`/api/connections/${id}/run`, { method: 'POST' })).json()) as { runId: string };
  const during = watch([
    { name: 'GET /api/connections/:id', request: () => authed(`/api/connections/${id}`), everyRounds: 10 },
    { name: 'GET /api/runs/:id', request: () => authed(`/api/runs/${runId}`), everyRounds: 10 },
  ]);
  let run: Awaited<ReturnType<Harness['waitForRun']>>;
  try {
    const runStarted = performance.now();
    run = await h.waitForRun(runId, 120_000);
    t.diagnostic(`the run reading ${ROWS} rows took ${Math.round((performance.now() - runStarted) / 1000)} s`);
  } finally {
    assertAnsweredInTime(await during.stop(t));
  }
  assert.equal(run.status, 'succeeded', JSON.stringify(run.error));
  assert.deepEqual(run.counts, { sent: 0, failed: 0, skipped: 0, pending: 0 });
});
