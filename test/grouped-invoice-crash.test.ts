import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import { after, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import Stripe from 'stripe';
import { startStripeEmulator, type StripeEmulator } from '../src/emulator/stripe/index.js';
import { createApiKey } from '../src/store/api-keys.js';
import { openDatabase } from '../src/store/db.js';
import { freePort, kill9, runSluice, sluiceCommand, startServeChild } from './support/child-sluice.js';
import { csv, tempDir, TEST_KEY } from './support/harness.js';

/**
 * stripe.create_invoice_from_rows under SIGKILL: a 20-line order is killed while its draft is being
 * made and again while its lines are being added, each time with a Stripe request in flight whose
 * answer the killed process never hears. After the restarts the run resumes and the order is one
 * invoice with each row a line exactly once, finalized and sent once; no second draft, no stray
 * pending item.
 */

const dataDir = tempDir('sluice-grouped-crash-');
let emulator: StripeEmulator;
let child: ChildProcess | undefined;
after(async () => {
  if (child) await kill9(child);
  await emulator?.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

interface Item {
  id: string;
  invoice: string | null;
  amount: number;
  description: string | null;
  metadata: Record<string, string>;
}
interface Invoice {
  id: string;
  customer: string;
  status: string;
  metadata: Record<string, string>;
}

const EMAIL = `crash.${Date.now()}@example.com`;
// 20 distinct amounts for the big order (ORD-BIG), 3 for a small one (ORD-SMALL) of the same customer.
const big = Array.from({ length: 20 }, (_, i) => ({
  Order: 'ORD-BIG',
  Line: `B-${String(i + 1).padStart(2, '0')}`,
  Amount: `${i + 1}.${String(i * 3 + 1).padStart(2, '0')}`,
}));
const small = [
  { Order: 'ORD-SMALL', Line: 'S-01', Amount: '100.00' },
  { Order: 'ORD-SMALL', Line: 'S-02', Amount: '200.50' },
  { Order: 'ORD-SMALL', Line: 'S-03', Amount: '0.99' },
];
const cents = (amount: string) => Math.round(Number(amount) * 100);
const rows = [...big, ...small].map((r) => ({ ...r, Email: EMAIL, Name: 'Crash Test Ltd', Item: `Item ${r.Line}` }));

test('a grouped invoice killed with -9 while its draft and its lines are made resumes to one invoice with every line once', async (t) => {
  // Every answer is slow, so that each kill lands with a request executed by Stripe but unanswered.
  emulator = await startStripeEmulator({ port: 0, latencyMs: 120 });
  const db = await openDatabase({ dataDir });
  const { key } = await createApiKey(db, 'grouped-crash');
  await db.destroy();
  const env = { PORT: String(await freePort()), SLUICE_DATA_DIR: dataDir, STRIPE_API_BASE: emulator.url, SLUICE_STRIPE_RATE_TEST: '100' };
  const api = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const res = await fetch(`http://127.0.0.1:${env.PORT}${path}`, {
      method,
      headers: { authorization: `Bearer ${key}`, ...(body !== undefined && { 'content-type': 'application/json' }) },
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });
    return (await res.json()) as T;
  };
  const items = () => emulator.objects('invoiceitem') as Item[];
  const invoices = () => emulator.objects('invoice') as Invoice[];
  const bigDraft = () => invoices().find((i) => i.metadata.invoice_key === 'ORD-BIG');
  const bigLines = () => items().filter((i) => i.metadata.order === 'ORD-BIG').length;
  let output = '';
  /**
   * `sluice serve` again on the same data dir, not waiting for it to listen: the killed run is
   * resumed at once (its owner is a dead process on this host), so the next kill may be due
   * before the server answers /health.
   */
  const restart = () => {
    output = '';
    const c = sluiceCommand(['serve'], env);
    c.stdout?.on('data', (d: Buffer) => (output += d.toString()));
    c.stderr?.on('data', (d: Buffer) => (output += d.toString()));
    return c;
  };
  const until = async (what: string, probe: () => boolean, ms = 30_000) => {
    const end = Date.now() + ms;
    while (!probe()) {
      if (child?.exitCode != null) throw new Error(`sluice serve exited with ${child.exitCode} while waiting for ${what}: ${output}`);
      if (Date.now() > end) throw new Error(`timed out waiting for ${what}: ${output}`);
      await sleep(2);
    }
  };

  child = await startServeChild(env);
  const account = await api<{ id: string }>('POST', '/api/accounts', { name: 'Test', secretKey: TEST_KEY });
  const connection = await api<{ id: string }>('POST', '/api/connections', {
    name: 'Orders',
    source: { type: 'csv', content: csv(rows) },
    action: 'stripe.create_invoice_from_rows',
    accountId: account.id,
    mapping: {
      invoice_key: '{{Order}}',
      customer_email: '{{Email}}',
      customer_name: '{{Name}}',
      amount: '{{Amount}}',
      currency: 'usd',
      description: '{{Item}}',
      collection_method: 'send_invoice',
      days_until_due: '14',
      finalize: 'yes',
      send: 'yes',
      'metadata.order': '{{Order}}',
      'metadata.line': '{{Line}}',
    },
  });
  assert.ok(connection.id, JSON.stringify(connection));
  const { runId } = await api<{ runId: string }>('POST', `/api/connections/${connection.id}/run`);

  // Kill 1: the big order's draft exists at Stripe, its answer is still on the way.
  await until('the draft of ORD-BIG', () => bigDraft() !== undefined);
  await kill9(child);
  const kills = [`draft made, ${bigLines()} lines`];
  child = restart();

  // Kill 2: some of its lines are on the draft, not all; kill 3: a few more, still not all.
  await until('5 lines of ORD-BIG', () => bigLines() >= 5);
  for (let more = 0; more < 2 && bigLines() < 20; more++) {
    await kill9(child);
    kills.push(`${bigLines()} lines`);
    const at = bigLines();
    child = restart();
    await until('more lines of ORD-BIG', () => bigLines() >= Math.min(at + 4, 20));
  }
  assert.ok(kills.length >= 2, `the kills landed too late: ${kills.join('; ')}`);
  emulator.configure({ latencyMs: 0 });
  t.diagnostic(`killed at: ${kills.join('; ')}`);

  // The last restart resumes the run; it is read once the server listens.
  type RunBody = { status: string; finishedAt: string | null; counts: { sent: number; failed: number }; warnings: string[] };
  let run: RunBody | undefined;
  const end = Date.now() + 30_000;
  while (!run?.finishedAt && Date.now() < end) {
    await sleep(100);
    run = await api<RunBody>('GET', `/api/runs/${runId}`).catch(() => run);
  }
  assert.ok(run, `sluice serve did not answer: ${output}`);
  const why = `${JSON.stringify(run)}; killed at: ${kills.join('; ')}`;
  assert.equal(run.status, 'succeeded', why);
  assert.equal(run.counts.sent, rows.length, why);

  const stripe = new Stripe(TEST_KEY, { host: '127.0.0.1', port: emulator.port, protocol: 'http', maxNetworkRetries: 0, telemetry: false });
  const customers = await stripe.customers.list({ email: EMAIL, limit: 10 });
  assert.equal(customers.data.length, 1, `customers with ${EMAIL}: ${why}`);
  const customer = customers.data[0]!;

  // Exactly one invoice per order, none left a draft, none made and deleted along the way.
  const mine = await stripe.invoices.list({ customer: customer.id, limit: 100 });
  assert.deepEqual(mine.data.map((i) => i.metadata?.invoice_key).sort(), ['ORD-BIG', 'ORD-SMALL'], why);
  assert.deepEqual(
    mine.data.filter((i) => i.status === 'draft').map((i) => i.id),
    [],
  );
  assert.equal(emulator.requests().filter((r) => r.method === 'DELETE').length, 0, 'a draft was deleted');

  const sends = (id: string) =>
    new Set(
      emulator
        .requests()
        .filter((r) => r.method === 'POST' && r.path === `/v1/invoices/${id}/send` && r.status === 200)
        .map((r) => r.idempotencyKey),
    ).size;
  for (const [order, lines] of [
    ['ORD-BIG', big],
    ['ORD-SMALL', small],
  ] as const) {
    const invoice = mine.data.find((i) => i.metadata?.invoice_key === order)!;
    assert.equal(invoice.status, 'open', `${order}: ${why}`);
    assert.equal(invoice.collection_method, 'send_invoice');
    assert.match(String(invoice.number), /\S/);
    assert.equal(sends(invoice.id), 1, `${order} was sent ${sends(invoice.id)} times`);
    const got = await stripe.invoices.listLineItems(invoice.id, { limit: 100 });
    assert.equal(got.has_more, false);
    // Each row a line once: its own marker (metadata.line), its amount, its description.
    assert.deepEqual(
      got.data.map((l) => [l.metadata.line, l.amount, l.description]).sort(),
      lines.map((r) => [r.Line, cents(r.Amount), `Item ${r.Line}`]).sort(),
      `${order}: ${why}`,
    );
    assert.equal(new Set(got.data.map((l) => l.metadata.sluice_row)).size, lines.length, `${order}: a row marker twice`);
    const sum = lines.reduce((s, r) => s + cents(r.Amount), 0);
    assert.equal(invoice.total, sum);
    assert.equal(invoice.amount_due, sum);
  }

  // Every item Stripe holds is a line of one of the two invoices: no stray pending item, no orphan.
  assert.equal((await stripe.invoiceItems.list({ pending: true, limit: 100 })).data.length, 0);
  assert.equal(items().length, rows.length);

  // And a run from the CLI sends nothing new.
  await kill9(child);
  child = undefined;
  const cli = await runSluice(['run', connection.id], { ...env, PORT: '0' });
  assert.equal(cli.code, 0, cli.stderr);
  assert.match(cli.stdout, /succeeded: 0 sent, 0 failed/);
  assert.equal(items().length, rows.length);
  assert.equal(invoices().length, 2);
});
