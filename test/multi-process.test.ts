/**
 * Several Sluice processes on one Postgres (issue 8 part 4): two `serve --no-worker` and three
 * `sluice worker` share 50 scheduled CSV connections (1,000 rows); one worker is killed with -9
 * while its runs are sending. Every row must reach Stripe exactly once, every slot must run once,
 * and the next slots must send nothing new.
 */
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import { after, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { startStripeEmulator, type StripeEmulator } from '../src/emulator/stripe/index.js';
import { createApiKey } from '../src/store/api-keys.js';
import { openStore, type Db } from '../src/store/db.js';
import { freePort, kill9, sluiceCommand } from './support/child-sluice.js';
import { csv, tempDir, TEST_KEY } from './support/harness.js';
import { freshPostgresDatabase, TEST_ENCRYPTION_KEY } from './support/stores.js';

const CONNECTIONS = 50;
const ROWS_EACH = 20;
const TOTAL = CONNECTIONS * ROWS_EACH;

const dataDir = tempDir();
const children: { name: string; child: ChildProcess; output: string[] }[] = [];
let emulator: StripeEmulator | undefined;
let db: Db | undefined;
let dropDatabase: (() => Promise<void>) | undefined;

after(async () => {
  for (const c of children) await kill9(c.child);
  await db?.destroy();
  await emulator?.close();
  await dropDatabase?.();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

function start(name: string, args: string[], env: Record<string, string>): ChildProcess {
  const child = sluiceCommand(args, env);
  const output: string[] = [];
  const keep = (d: Buffer) => {
    output.push(d.toString());
    if (output.length > 200) output.shift();
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  children.push({ name, child, output });
  return child;
}

/** What the children printed (warnings and errors: LOG_LEVEL=warn), for a failure's message. */
const childOutput = () =>
  children
    .map((c) => `--- ${c.name} (pid ${c.child.pid}, exit ${c.child.exitCode ?? c.child.signalCode}):\n${c.output.join('').slice(-3000)}`)
    .join('\n');

async function startServe(name: string, env: Record<string, string>): Promise<number> {
  const port = await freePort();
  const child = start(name, ['serve', '--no-worker'], { ...env, PORT: String(port) });
  const until = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${name} exited with ${child.exitCode}: ${childOutput()}`);
    try {
      if ((await fetch(`http://127.0.0.1:${port}/health`)).ok) return port;
    } catch {
      // not listening yet
    }
    if (Date.now() > until) throw new Error(`${name} did not start: ${childOutput()}`);
    await sleep(100);
  }
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, ms: number): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out after ${ms} ms waiting for ${what}\n${childOutput()}`);
    await sleep(250);
  }
}

test(
  'two servers and three workers on one Postgres: a worker killed with -9 mid-run, every row sent once, every slot run once',
  { timeout: 300_000 },
  async () => {
    const started = Date.now();
    const fresh = await freshPostgresDatabase();
    dropDatabase = fresh.drop;
    // Latency so that runs are in flight when the worker is killed; no rate limit in the emulator.
    emulator = await startStripeEmulator({ port: 0, latencyMs: 100 });
    const env = {
      DATABASE_URL: fresh.url,
      SLUICE_ENCRYPTION_KEY: TEST_ENCRYPTION_KEY,
      STRIPE_API_BASE: emulator.url,
      SLUICE_DATA_DIR: dataDir,
      // 1,000 rows at 50/s for the account (shared by the workers): ~20 s of sending.
      SLUICE_STRIPE_RATE_TEST: '50',
    };

    // The first server migrates the store; the others start on it at once.
    const port1 = await startServe('serve-1', env);
    const workers = [1, 2, 3].map((i) => start(`worker-${i}`, ['worker'], { ...env, PORT: '0' }));
    const port2 = await startServe('serve-2', env);

    db = await openStore({ dataDir, databaseUrl: fresh.url });
    const store = db;
    const { key } = await createApiKey(store, 'multi-process');
    const api = async <T>(port: number, method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> => {
      const res = await fetch(`http://127.0.0.1:${port}${path}`, {
        method,
        headers: { authorization: `Bearer ${key}`, ...(body !== undefined && { 'content-type': 'application/json' }) },
        ...(body !== undefined && { body: JSON.stringify(body) }),
      });
      const text = await res.text();
      return { status: res.status, body: (text ? JSON.parse(text) : {}) as T };
    };

    const account = await api<{ id: string }>(port1, 'POST', '/api/accounts', { name: 'Test', secretKey: TEST_KEY });
    assert.equal(account.status, 201, JSON.stringify(account.body));
    const ids: string[] = [];
    const emails: string[] = [];
    for (let c = 0; c < CONNECTIONS; c++) {
      const rows = Array.from({ length: ROWS_EACH }, (_, i) => ({ Email: `c${c}-r${i}@multi.example`, Name: `C${c} R${i}` }));
      emails.push(...rows.map((r) => r.Email));
      // Half through each server: both serve the same store.
      const res = await api<{ id: string }>(c % 2 ? port2 : port1, 'POST', '/api/connections', {
        name: `Multi ${c}`,
        source: { type: 'csv', content: csv(rows) },
        action: 'stripe.create_customer',
        accountId: account.body.id,
        mapping: { email: '{{Email}}', name: '{{Name}}', if_exists: 'create' },
        schedule: { kind: 'interval', minutes: 1 },
        enabled: true,
      });
      assert.equal(res.status, 201, JSON.stringify(res.body));
      ids.push(res.body.id);
    }

    // Every first slot a few seconds from now (the triggers move their jobs); the next ones follow a minute later.
    const firstSlot = new Date(Date.now() + 3000).toISOString();
    await store.updateTable('connections').set({ next_run_at: firstSlot }).where('id', 'in', ids).execute();

    const scheduleRuns = () =>
      store
        .selectFrom('runs')
        .select(['id', 'connection_id', 'status', 'scheduled_for', 'sent', 'failed', 'owner', 'finished_at', 'created_at'])
        .where('trigger', '=', 'schedule')
        .execute();
    await until(
      'every connection’s first slot to fire',
      async () => ((await scheduleRuns()).length >= CONNECTIONS ? true : undefined),
      30_000,
    );

    // Kill the worker holding the most running runs once a quarter of the rows are in Stripe.
    await until(
      'a quarter of the rows in Stripe',
      async () => (emulator!.objects('customer').length >= TOTAL / 4 ? true : undefined),
      60_000,
    );
    const running = (await scheduleRuns()).filter((r) => r.status === 'running' && r.owner);
    const byPid = (pid: number | undefined) => running.filter((r) => Number(r.owner!.split(':')[1]) === pid).length;
    const victim = workers.reduce((a, b) => (byPid(b.pid) > byPid(a.pid) ? b : a));
    const orphaned = byPid(victim.pid);
    assert.ok(orphaned > 0, `no worker holds a running run: ${JSON.stringify(running)}`);
    const sentAtKill = emulator.objects('customer').length;
    await kill9(victim);
    const killedAt = Date.now();

    // The sweep gives the dead worker's runs to the others once their lease (30 s) has run out.
    const countSent = async () =>
      Number(
        (
          await store
            .selectFrom('rows')
            .select((eb) => eb.fn.countAll<string>().as('n'))
            .where('connection_id', 'in', ids)
            .where('status', '=', 'sent')
            .executeTakeFirstOrThrow()
        ).n,
      );
    await until('every row sent', async () => ((await countSent()) === TOTAL ? true : undefined), 150_000);
    const allSentAt = Date.now();

    // A second slot per connection, after the first ones (with the resumed runs) have ended.
    await until(
      'a second slot of every connection to run',
      async () => {
        const runs = await scheduleRuns();
        const ok = ids.every((id) => {
          const of = runs.filter((r) => r.connection_id === id);
          return of.length >= 2 && of.every((r) => r.finished_at);
        });
        return ok ? true : undefined;
      },
      150_000,
    );

    // Stop the schedules (through the other server), and let whatever was queued end.
    for (const id of ids) {
      const res = await api(port2, 'PATCH', `/api/connections/${id}`, { enabled: false });
      assert.equal(res.status, 200, JSON.stringify(res.body));
    }
    await until(
      'every run to end',
      async () => {
        const open = await store.selectFrom('runs').select('id').where('finished_at', 'is', null).execute();
        return open.length === 0 ? true : undefined;
      },
      60_000,
    );

    // Stripe: one customer per email, none missing, none twice.
    const inStripe = emulator.objects('customer').map((c) => (c as { email: string }).email);
    const counts = new Map<string, number>();
    for (const e of inStripe) counts.set(e, (counts.get(e) ?? 0) + 1);
    const twice = [...counts].filter(([, n]) => n > 1).map(([e, n]) => `${e}×${n}`);
    const missing = emails.filter((e) => !counts.has(e));
    assert.deepEqual(twice, [], 'no email has two customers');
    assert.deepEqual(missing, [], 'no email is missing');
    assert.equal(inStripe.length, TOTAL);

    // The ledger: every row sent.
    const ledger = await store.selectFrom('rows').select(['status']).where('connection_id', 'in', ids).execute();
    assert.equal(ledger.length, TOTAL);
    assert.deepEqual(
      ledger.filter((r) => r.status !== 'sent'),
      [],
      'every row’s ledger status is sent',
    );

    // Each slot ran once; the first slot sent the connection's rows, the later ones nothing.
    const runs = await scheduleRuns();
    for (const id of ids) {
      const of = runs.filter((r) => r.connection_id === id).sort((a, b) => (a.scheduled_for ?? '').localeCompare(b.scheduled_for ?? ''));
      const slots = of.map((r) => r.scheduled_for);
      assert.ok(
        slots.every((s) => s !== null),
        `${id}: a schedule run without its slot: ${JSON.stringify(of)}`,
      );
      assert.equal(new Set(slots).size, slots.length, `${id}: a slot ran twice: ${JSON.stringify(of)}`);
      assert.ok(of.length >= 2, `${id}: fewer than two slots ran: ${JSON.stringify(of)}`);
      assert.equal(of[0]!.scheduled_for, firstSlot, `${id}: the first run is not the first slot`);
      assert.deepEqual(
        of.slice(1).map((r) => r.sent),
        of.slice(1).map(() => 0),
        `${id}: a later slot sent something: ${JSON.stringify(of)}`,
      );
      assert.equal(
        of.reduce((n, r) => n + r.sent, 0),
        ROWS_EACH,
        `${id}: runs' sent counts: ${JSON.stringify(of)}`,
      );
      assert.deepEqual(
        of.filter((r) => r.status !== 'succeeded'),
        [],
        `${id}: a schedule run did not succeed`,
      );
    }
    // No run of any other trigger: the workers' resumption keeps the run it resumes.
    const others = await store.selectFrom('runs').select(['id', 'trigger']).where('trigger', '!=', 'schedule').execute();
    assert.deepEqual(others, []);

    const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
    process.stdout.write(
      `multi-process: killed worker pid ${victim.pid} holding ${orphaned} running runs at ${sentAtKill}/${TOTAL} customers; ` +
        `all rows sent ${s(allSentAt - killedAt)} after the kill; ${runs.length} schedule runs; total ${s(Date.now() - started)}\n`,
    );
  },
);
