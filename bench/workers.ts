/**
 * How rows per second grow with the number of `sluice worker` processes on one Postgres.
 *
 *   npm run bench:workers                     # 1, 2 and 4 workers; BENCH_WORKERS=1,2,4,8 to change
 *
 * For each count: a fresh Postgres database (SLUICE_TEST_DATABASE_URL, default
 * postgres://postgres@127.0.0.1:5432/test — a database per count is created and dropped), one
 * `sluice serve --no-worker` and N `sluice worker` child processes, 20 connections × 100 rows of
 * create_customer (if_exists create: one request a row) forced at once through the server's API;
 * timed from the first force to the last row sent in the ledger. The Stripe emulator runs in this
 * process without a rate limit (BENCH_LATENCY_MS, default 20, per request) and Sluice's pace is
 * SLUICE_STRIPE_RATE_TEST=1000, so neither Stripe's limit nor the pacer's start rate caps the
 * figures. CPU seconds are read from /proc for the children and from process.cpuUsage for the
 * emulator. Prints a table and a line on where the time goes; no assertions.
 */
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { startStripeEmulator } from '../src/emulator/stripe/index.js';
import { createApiKey } from '../src/store/api-keys.js';
import { openStore } from '../src/store/db.js';
import { freePort, kill9, sluiceCommand } from '../test/support/child-sluice.js';
import { freshPostgresDatabase, TEST_ENCRYPTION_KEY } from '../test/support/stores.js';

const workerCounts = (process.env.BENCH_WORKERS ?? '1,2,4').split(',').map(Number);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 20);
const ROWS_EACH = Number(process.env.BENCH_ROWS_EACH ?? 100);
const LATENCY = Number(process.env.BENCH_LATENCY_MS ?? 20);
const RATE = '1000';
const KEY = 'sk_test_51BenchWorkers0000000000000abcd';
const TOTAL = CONNECTIONS * ROWS_EACH;
const TICK = 100; // clock ticks a second, for /proc/<pid>/stat (USER_HZ, 100 on Linux)

/** CPU seconds (user + system) a process has used so far, from /proc; 0 once it is gone. */
function cpuSeconds(pid: number | undefined): number {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / TICK;
  } catch {
    return 0;
  }
}

/** CPU seconds used by every postgres process on this machine so far (its backends included). */
function postgresCpuSeconds(): number {
  let total = 0;
  for (const pid of fs.readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      if (fs.readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === 'postgres') total += cpuSeconds(Number(pid));
    } catch {
      // gone
    }
  }
  return total;
}

const emulator = await startStripeEmulator({ port: 0, latencyMs: LATENCY });
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-bench-workers-'));

interface Result {
  workers: number;
  sent: number;
  seconds: number;
  duplicates: number;
  cpu: { workers: number; serve: number; emulator: number; postgres: number };
}

async function measure(workers: number): Promise<Result> {
  emulator.reset();
  const fresh = await freshPostgresDatabase();
  const children: ChildProcess[] = [];
  const env = {
    DATABASE_URL: fresh.url,
    SLUICE_ENCRYPTION_KEY: TEST_ENCRYPTION_KEY,
    STRIPE_API_BASE: emulator.url,
    SLUICE_DATA_DIR: dataDir,
    SLUICE_STRIPE_RATE_TEST: RATE,
  };
  const store = await openStore({ dataDir, databaseUrl: fresh.url });
  try {
    // The server migrates the store; the workers are ready when they say so (LOG_LEVEL=info).
    const port = await freePort();
    const serve = sluiceCommand(['serve', '--no-worker'], { ...env, PORT: String(port) });
    children.push(serve);
    for (let until = Date.now() + 30_000; ; await sleep(100)) {
      if (serve.exitCode !== null || Date.now() > until) throw new Error('sluice serve did not start');
      if (
        await fetch(`http://127.0.0.1:${port}/health`)
          .then((r) => r.ok)
          .catch(() => false)
      )
        break;
    }
    const workerProcs = Array.from({ length: workers }, () => sluiceCommand(['worker'], { ...env, PORT: '0', LOG_LEVEL: 'info' }));
    children.push(...workerProcs);
    await Promise.all(
      workerProcs.map(
        (w) =>
          new Promise<void>((resolve, reject) => {
            let out = '';
            w.stdout?.on('data', (d: Buffer) => {
              out += d.toString();
              if (out.includes('Sluice worker started')) resolve();
            });
            w.on('exit', (code) => reject(new Error(`sluice worker exited with ${code}`)));
          }),
      ),
    );

    const { key } = await createApiKey(store, 'bench');
    const api = async <T>(method: string, p: string, body?: unknown): Promise<T> => {
      const res = await fetch(`http://127.0.0.1:${port}${p}`, {
        method,
        headers: { authorization: `Bearer ${key}`, ...(body !== undefined && { 'content-type': 'application/json' }) },
        ...(body !== undefined && { body: JSON.stringify(body) }),
      });
      if (!res.ok) throw new Error(`${method} ${p}: ${res.status} ${await res.text()}`);
      return (await res.json()) as T;
    };
    const account = await api<{ id: string }>('POST', '/api/accounts', { name: 'Bench', secretKey: KEY });
    const ids: string[] = [];
    for (let c = 0; c < CONNECTIONS; c++) {
      const content = [
        'Email,Name',
        ...Array.from({ length: ROWS_EACH }, (_, i) => `w${workers}-c${c}-r${i}@bench.example,Bench ${i}`),
      ].join('\n');
      const connection = await api<{ id: string }>('POST', '/api/connections', {
        name: `Workers ${c}`,
        source: { type: 'csv', content },
        action: 'stripe.create_customer',
        accountId: account.id,
        mapping: { email: '{{Email}}', name: '{{Name}}', if_exists: 'create' },
      });
      ids.push(connection.id);
    }

    const cpuBefore = {
      workers: workerProcs.reduce((n, w) => n + cpuSeconds(w.pid), 0),
      serve: cpuSeconds(serve.pid),
      emulator: process.cpuUsage(),
      postgres: postgresCpuSeconds(),
    };
    const started = Date.now();
    await Promise.all(ids.map((id) => api('POST', `/api/connections/${id}/run`)));
    let sent = 0;
    for (let until = Date.now() + 600_000; sent < TOTAL && Date.now() < until; await sleep(50)) {
      const row = await store
        .selectFrom('rows')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .where('status', '=', 'sent')
        .executeTakeFirstOrThrow();
      sent = Number(row.n);
    }
    const seconds = (Date.now() - started) / 1000;
    const emulatorCpu = process.cpuUsage(cpuBefore.emulator);
    const cpu = {
      workers: workerProcs.reduce((n, w) => n + cpuSeconds(w.pid), 0) - cpuBefore.workers,
      serve: cpuSeconds(serve.pid) - cpuBefore.serve,
      // This process is the emulator and this bench's polling.
      emulator: (emulatorCpu.user + emulatorCpu.system) / 1e6,
      postgres: postgresCpuSeconds() - cpuBefore.postgres,
    };
    const emails = emulator.objects('customer').map((c) => (c as { email: string }).email);
    return { workers, sent, seconds, duplicates: emails.length - new Set(emails).size, cpu };
  } finally {
    for (const child of children) await kill9(child);
    await store.destroy();
    await fresh.drop();
  }
}

const results: Result[] = [];
try {
  for (const n of workerCounts) results.push(await measure(n));
} finally {
  await emulator.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
}

const cores = os.availableParallelism();
const pad = (s: string | number, n: number) => String(s).padStart(n);
process.stdout.write(
  `workers: ${CONNECTIONS} connections × ${ROWS_EACH} rows, create_customer, emulator latency ${LATENCY} ms without a limit, ` +
    `pace ${RATE}/s, ${cores} CPUs\n`,
);
process.stdout.write(
  `${pad('workers', 7)} ${pad('rows', 6)} ${pad('seconds', 8)} ${pad('rows/s', 8)} ${pad('dup', 4)}   CPU s: workers serve emulator postgres\n`,
);
for (const r of results) {
  process.stdout.write(
    `${pad(r.workers, 7)} ${pad(r.sent, 6)} ${pad(r.seconds.toFixed(1), 8)} ${pad((r.sent / r.seconds).toFixed(1), 8)} ${pad(r.duplicates, 4)}` +
      `          ${pad(r.cpu.workers.toFixed(1), 7)} ${pad(r.cpu.serve.toFixed(1), 5)} ${pad(r.cpu.emulator.toFixed(1), 8)} ${pad(r.cpu.postgres.toFixed(1), 8)}\n`,
  );
}
const last = results.at(-1);
if (last) {
  const busy = last.cpu.workers + last.cpu.serve + last.cpu.emulator + last.cpu.postgres;
  const share = (x: number) => `${((x / busy) * 100).toFixed(0)}%`;
  const used = busy / last.seconds;
  process.stdout.write(
    `bottleneck: with ${last.workers} workers the processes used ${used.toFixed(1)} of ${cores} CPUs ` +
      `(workers ${share(last.cpu.workers)}, emulator ${share(last.cpu.emulator)}, postgres ${share(last.cpu.postgres)}, serve ${share(last.cpu.serve)})` +
      (used > cores * 0.8
        ? ` — this machine's CPUs are saturated, so more workers cannot go faster here`
        : ` — the CPUs are not saturated, so the limit is waiting, not computing: per-row round trips to Postgres (ledger writes, the one account_pace row every request locks FOR UPDATE) and the emulator's ${LATENCY} ms`) +
      '\n',
  );
}
