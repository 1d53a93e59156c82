import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { startStripeEmulator, type StripeEmulator } from '../src/emulator/stripe/index.js';
import { createApiKey } from '../src/store/api-keys.js';
import { openStore } from '../src/store/db.js';
import { freePort, kill9, runSluice, startServeChild } from './support/child-sluice.js';
import { csv, tempDir, TEST_KEY } from './support/harness.js';
import { freshTestStoreEnv } from './support/stores.js';

const dataDir = tempDir();
let emulator: StripeEmulator;
// SQLite in dataDir, or a Postgres database of its own with SLUICE_TEST_STORE=postgres (then the
// children work through graphile-worker's jobs, and a dead child's run resumes through them).
const store = await freshTestStoreEnv();
after(async () => {
  await emulator?.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
  await store.drop();
});

test('a run killed with -9 ten times part way resumes after each restart and creates no duplicate', async () => {
  emulator = await startStripeEmulator({ port: 0, latencyMs: 20 });
  const db = await openStore({ dataDir, ...(store.env.DATABASE_URL && { databaseUrl: store.env.DATABASE_URL }) });
  const { key } = await createApiKey(db, 'crash-test');
  await db.destroy();
  // A high pace, so that the kills land while rows are in flight rather than between them.
  const env = {
    PORT: String(await freePort()),
    SLUICE_DATA_DIR: dataDir,
    STRIPE_API_BASE: emulator.url,
    SLUICE_STRIPE_RATE_TEST: '300',
    ...store.env,
  };
  const api = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const res = await fetch(`http://127.0.0.1:${env.PORT}${path}`, {
      method,
      headers: { authorization: `Bearer ${key}`, ...(body !== undefined && { 'content-type': 'application/json' }) },
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });
    return (await res.json()) as T;
  };

  const rows = Array.from({ length: 1000 }, (_, i) => ({ Email: `person${i}@example.com`, Name: `Person ${i}` }));
  let child = await startServeChild(env);
  const account = await api<{ id: string }>('POST', '/api/accounts', { name: 'Test', secretKey: TEST_KEY });
  const connection = await api<{ id: string }>('POST', '/api/connections', {
    name: 'Crash',
    source: { type: 'csv', content: csv(rows) },
    action: 'stripe.create_customer',
    accountId: account.id,
    mapping: { email: '{{Email}}', name: '{{Name}}' },
  });
  const { runId } = await api<{ runId: string }>('POST', `/api/connections/${connection.id}/run`);

  // Kill the server ten times while the run is sending, at random depths.
  let depth = 0;
  for (let kill = 0; kill < 10; kill++) {
    depth += 20 + Math.floor(Math.random() * 60);
    while (emulator.objects('customer').length < depth) await sleep(2);
    await kill9(child);
    child = await startServeChild(env);
  }

  let run: { status: string; finishedAt: string | null; counts: { sent: number; failed: number } };
  const until = Date.now() + 120_000;
  do {
    await sleep(100);
    run = await api('GET', `/api/runs/${runId}`);
  } while (!run.finishedAt && Date.now() < until);
  await kill9(child);

  assert.equal(run.status, 'succeeded', JSON.stringify(run));
  assert.equal(run.counts.sent, rows.length);
  const emails = emulator.objects('customer').map((c) => (c as { email: string }).email);
  assert.equal(emails.length, rows.length, 'one customer per row');
  assert.equal(new Set(emails).size, rows.length, 'no customer twice');

  // And a second run, from the CLI this time, sends nothing new.
  const cli = await runSluice(['run', connection.id], { ...env, PORT: '0' });
  assert.equal(cli.code, 0, cli.stderr);
  assert.match(cli.stdout, /succeeded: 0 sent, 0 failed/);
  assert.equal(emulator.objects('customer').length, rows.length);
});
