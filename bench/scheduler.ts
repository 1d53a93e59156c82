/**
 * How late scheduled runs start, with many connections on short intervals in one process.
 *
 *   npm run bench:scheduler                       # 1,000 connections, every minute, for 5 minutes
 *   BENCH_CONNECTIONS=200 BENCH_MINUTES=2 npm run bench:scheduler
 *
 * Each connection reads a one-row CSV into a customer (sent on its first run, nothing new after),
 * against the Stripe emulator on loopback. Lateness is a run's start minus the slot it was queued
 * for. The last line prints the figures.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { loadConfig } from '../src/config.js';
import { startStripeEmulator } from '../src/emulator/stripe/index.js';
import { addAccount } from '../src/engine/accounts.js';
import { createConnection } from '../src/engine/connections.js';
import { startSluice } from '../src/server/start.js';

const connections = Number(process.env.BENCH_CONNECTIONS ?? 1000);
const minutes = Number(process.env.BENCH_MINUTES ?? 5);

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;

const emulator = await startStripeEmulator({ port: 0 });
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-bench-'));
const sluice = await startSluice(loadConfig({ PORT: '0', SLUICE_DATA_DIR: dataDir, STRIPE_API_BASE: emulator.url }), { log: false });
const { engine } = sluice;
try {
  const account = await addAccount(engine, { name: 'Bench', secretKey: 'sk_test_51BenchKey0000000000000000abcd' });
  const createdAt = Date.now();
  for (let i = 0; i < connections; i++) {
    await createConnection(engine, {
      name: `Bench ${i}`,
      source: { type: 'csv', content: `Email\nbench${i}@example.com\n` },
      action: 'stripe.create_customer',
      accountId: account.id,
      mapping: { email: '{{Email}}' },
      enabled: true,
      schedule: { kind: 'interval', minutes: 1 },
    });
  }
  process.stderr.write(`${connections} connections created in ${Date.now() - createdAt} ms; measuring for ${minutes} min…\n`);
  const cpuBefore = process.cpuUsage();
  const wallBefore = Date.now();
  await sleep(minutes * 60_000 + 5_000);
  const cpu = process.cpuUsage(cpuBefore);
  const wall = Date.now() - wallBefore;

  const runs = await engine.db
    .selectFrom('runs')
    .select(['scheduled_for', 'started_at', 'status'])
    .where('trigger', '=', 'schedule')
    .where('started_at', 'is not', null)
    .execute();
  const lateness = runs
    .filter((r) => r.scheduled_for && r.started_at)
    .map((r) => new Date(r.started_at as string).getTime() - new Date(r.scheduled_for as string).getTime())
    .sort((a, b) => a - b);
  const failed = runs.filter((r) => r.status === 'failed').length;
  const cpuPct = ((cpu.user + cpu.system) / 1000 / wall) * 100;
  process.stdout.write(
    `scheduler: ${connections} connections × 1-min interval for ${minutes} min on ${os.cpus().length} cores: ` +
      `${lateness.length} scheduled runs started (${failed} failed); lateness p50 ${percentile(lateness, 50)} ms, ` +
      `p99 ${percentile(lateness, 99)} ms, max ${lateness.at(-1) ?? NaN} ms; CPU ${cpuPct.toFixed(1)}% of one core\n`,
  );
} finally {
  await sluice.close();
  await emulator.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
}
