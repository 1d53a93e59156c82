/**
 * How many web-form posts Sluice accepts a second, each stored durably (SQLite, synchronous=FULL)
 * before its answer, and how long the answers take.
 *
 *   npm run bench:webhook          # 5,000 posts at concurrency 50; BENCH_POSTS, BENCH_CONCURRENCY
 *
 * The server runs without workers, so the figures are intake alone (delivery to Stripe is measured
 * by bench/throughput). Loopback only. The last line prints the figures.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../src/config.js';
import { startStripeEmulator } from '../src/emulator/stripe/index.js';
import { addAccount } from '../src/engine/accounts.js';
import { createConnection } from '../src/engine/connections.js';
import { startSluice } from '../src/server/start.js';

const posts = Number(process.env.BENCH_POSTS ?? 5000);
const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 50);
const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;

const emulator = await startStripeEmulator({ port: 0 });
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-bench-'));
const sluice = await startSluice(loadConfig({ PORT: '0', SLUICE_DATA_DIR: dataDir, STRIPE_API_BASE: emulator.url }), {
  log: false,
  worker: false,
});
try {
  const account = await addAccount(sluice.engine, { name: 'Bench', secretKey: 'sk_test_51BenchWebhook00000000000000abcd' });
  const connection = await createConnection(sluice.engine, {
    name: 'Form',
    source: { type: 'webhook' },
    action: 'stripe.create_customer',
    accountId: account.id,
    mapping: { email: '{{email}}', name: '{{name}}' },
  });
  const url = `${sluice.url}/hooks/${new URL(String(connection.hookUrl)).pathname.split('/').pop()}`;
  const latencies: number[] = [];
  let next = 0;
  let failed = 0;
  const started = Date.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < posts) {
        const i = next++;
        const t = performance.now();
        const res = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: `email=form${i}%40example.com&name=Form+${i}`,
        });
        await res.arrayBuffer();
        latencies.push(performance.now() - t);
        if (res.status !== 202) failed++;
      }
    }),
  );
  const seconds = (Date.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const stored = await sluice.engine.db
    .selectFrom('rows')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('connection_id', '=', connection.id)
    .executeTakeFirstOrThrow();
  process.stdout.write(
    `webhook: ${posts} form posts at concurrency ${concurrency} on ${os.cpus().length} cores: ${(posts / seconds).toFixed(0)} accepted/s, ` +
      `p50 ${percentile(latencies, 50).toFixed(1)} ms, p99 ${percentile(latencies, 99).toFixed(1)} ms; ${Number(stored.n)} rows stored durably; ${failed} not accepted\n`,
  );
} finally {
  await sluice.close();
  await emulator.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
}
