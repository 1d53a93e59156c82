/**
 * How close to Stripe's rate limit Sluice delivers rows.
 *
 *   npm run bench:throughput                  # 2,000 rows; BENCH_ROWS=N to change
 *
 * create_customer from a CSV against the Stripe emulator answering in 150 ms and allowing 100
 * requests a second (live mode's limit); then, for comparison, one request at a time through the
 * Stripe SDK (BENCH_BASELINE_ROWS, default 100). The emulator runs in this process, so RSS and CPU
 * include it. The last line prints the figures.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Stripe from 'stripe';
import { loadConfig } from '../src/config.js';
import { startStripeEmulator } from '../src/emulator/stripe/index.js';
import { addAccount } from '../src/engine/accounts.js';
import { createConnection } from '../src/engine/connections.js';
import { forceRun } from '../src/engine/runs.js';
import { startSluice } from '../src/server/start.js';
import { getRun } from '../src/store/runs.js';
import { setTimeout as sleep } from 'node:timers/promises';

const rows = Number(process.env.BENCH_ROWS ?? 2000);
const baselineRows = Number(process.env.BENCH_BASELINE_ROWS ?? 100);
const LIMIT = 100;
const KEY = 'sk_live_51BenchThroughput000000000000abcd';

const emulator = await startStripeEmulator({ port: 0, latencyMs: 150, rateLimit: LIMIT });
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-bench-'));
const sluice = await startSluice(loadConfig({ PORT: '0', SLUICE_DATA_DIR: dataDir, STRIPE_API_BASE: emulator.url }), { log: false });
const { engine } = sluice;
let peakRss = 0;
const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 100);
try {
  const account = await addAccount(engine, { name: 'Bench', secretKey: KEY });
  const content = ['Email,Name', ...Array.from({ length: rows }, (_, i) => `bench${i}@example.com,Bench ${i}`)].join('\n');
  const connection = await createConnection(engine, {
    name: 'Throughput',
    source: { type: 'csv', content },
    action: 'stripe.create_customer',
    accountId: account.id,
    // One request a row, as the figures assume: if_exists skip (the default) would look each email up first.
    mapping: { email: '{{Email}}', name: '{{Name}}', if_exists: 'create' },
  });
  const before = emulator.requests().length;
  const cpuBefore = process.cpuUsage();
  const started = Date.now();
  const { runId } = await forceRun(engine, connection.id);
  let run = await getRun(engine.db, runId);
  while (!run?.finished_at) {
    await sleep(100);
    run = await getRun(engine.db, runId);
  }
  const seconds = (Date.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  const requests = emulator.requests().slice(before);
  const rateLimited = requests.filter((r) => r.status === 429).length;
  const emails = emulator.objects('customer', 'live').map((c) => (c as { email: string }).email);
  const duplicates = emails.length - new Set(emails).size;
  const rowsPerSecond = run.sent / seconds;

  // The baseline: one request at a time, as peers do, through the official SDK.
  const stripe = new Stripe(KEY, { host: '127.0.0.1', port: emulator.port, protocol: 'http', telemetry: false });
  const baselineStarted = Date.now();
  for (let i = 0; i < baselineRows; i++) await stripe.customers.create({ email: `baseline${i}@example.com` });
  const baselinePerSecond = baselineRows / ((Date.now() - baselineStarted) / 1000);

  process.stdout.write(
    `throughput: ${rows} rows, 150 ms latency, limit ${LIMIT}/s: ${run.sent} sent in ${seconds.toFixed(1)} s = ` +
      `${rowsPerSecond.toFixed(1)} rows/s (${((rowsPerSecond / LIMIT) * 100).toFixed(0)}% of the limit); ` +
      `429s seen ${rateLimited}; failed ${run.failed}; duplicates ${duplicates}; peak RSS ${(peakRss / 2 ** 20).toFixed(0)} MiB; ` +
      `CPU ${((cpu.user + cpu.system) / 1000 / Math.max(1, run.sent)).toFixed(2)} ms/row; ` +
      `one at a time through the SDK: ${baselinePerSecond.toFixed(1)} rows/s\n`,
  );
} finally {
  clearInterval(sampler);
  await sluice.close();
  await emulator.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
}
