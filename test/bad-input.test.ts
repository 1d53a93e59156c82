import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import Stripe from 'stripe';
import { startStripeEmulator, type StripeEmulator } from '../src/emulator/stripe/index.js';
import { createApiKey } from '../src/store/api-keys.js';
import { openDatabase } from '../src/store/db.js';
import {
  corpus,
  nearMisses,
  WEBHOOK_MAX_BYTES,
  type ApiCase,
  type ApiContext,
  type BadInput,
  type CsvFileCase,
  type CsvRowCase,
  type Fixture,
  type RawRequest,
  type Says,
  type WebhookPostCase,
  type WebhookRowCase,
} from './bad-input/corpus.js';
import { freePort, kill9, startServeChild } from './support/child-sluice.js';
import { startHarness, tempDir, TEST_KEY, writeImportFile, type Harness, type RunBody } from './support/harness.js';

/**
 * Bad input (test/bad-input/corpus.ts) thrown at a real server: every case gets its clear error —
 * the field, the value and what is allowed — the good rows around it reach Stripe exactly once, a
 * bad row is `failed` in the ledger or refused at the door, and the process stays up. The corpus
 * runs case by case against an in-process server, then all at once against `sluice serve` as a
 * child process, which must still answer /health at the end.
 */

/** A Sluice to throw the corpus at, with the Stripe emulator it sends to. */
interface Target {
  url: string;
  apiKey: string;
  emulator: StripeEmulator;
  /** The server's import folder: CSV files given by path are written there. */
  importDir: string;
}

/** What the target was set up with before the corpus: an account, a customer, a CSV connection and its run. */
interface Prepared extends ApiContext {
  customerId: string;
}

interface Answer {
  status: number;
  text: string;
}

interface LedgerRow {
  rowKey: string;
  status: string;
  stripeId: string | null;
  error: string | null;
}

const FIXTURES: Record<Fixture, { action: string; columns: string[]; mapping: Record<string, string> }> = {
  customer: {
    action: 'stripe.create_customer',
    columns: ['Key', 'Email', 'Name', 'Phone', 'Description', 'City', 'Country', 'Note'],
    mapping: {
      email: '{{Email}}',
      name: '{{Name}}',
      phone: '{{Phone}}',
      description: '{{Description}}',
      'address.city': '{{City}}',
      'address.country': '{{Country}}',
      'metadata.note': '{{Note}}',
    },
  },
  item: {
    action: 'stripe.create_invoice_item',
    columns: ['Key', 'Customer', 'Amount', 'Currency', 'Description'],
    mapping: { customer: '{{Customer}}', amount: '{{Amount}}', currency: '{{Currency}}', description: '{{Description}}' },
  },
};
const HOOK_MAPPING = { email: '{{email}}', name: '{{name}}', description: '{{description}}', 'metadata.note': '{{note}}' };
const KIND: Record<Fixture, 'customer' | 'invoiceitem'> = { customer: 'customer', item: 'invoiceitem' };

const slug = (name: string) =>
  name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 48);

async function api<T = Record<string, unknown>>(
  t: Target,
  method: string,
  p: string,
  body?: unknown,
): Promise<{ status: number; body: T }> {
  const res = await fetch(`${t.url}${p}`, {
    method,
    headers: { authorization: `Bearer ${t.apiKey}`, ...(body !== undefined && { 'content-type': 'application/json' }) },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : {}) as T };
}

/**
 * Sends one request as given. A body cut short (`declaredLength`) goes over a bare socket, which
 * announces the full length, sends what there is and closes its side, as a client that died would.
 */
async function send(t: Target, p: string, req: RawRequest, auth: boolean): Promise<Answer> {
  const headers: Record<string, string> = { ...(auth && { authorization: `Bearer ${t.apiKey}` }), ...req.headers };
  let body = req.body;
  if (req.json !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(req.json);
  }
  if (req.declaredLength !== undefined) return sendCut(t, p, req.method ?? 'POST', headers, body ?? '', req.declaredLength);
  const res = await fetch(`${t.url}${p}`, { method: req.method ?? 'POST', headers, ...(body !== undefined && { body }) });
  return { status: res.status, text: await res.text() };
}

function sendCut(
  t: Target,
  p: string,
  method: string,
  headers: Record<string, string>,
  body: string | Uint8Array,
  length: number,
): Promise<Answer> {
  const { hostname, port } = new URL(t.url);
  const head = [
    `${method} ${p} HTTP/1.1`,
    `Host: ${hostname}`,
    ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`),
    `Content-Length: ${length}`,
  ];
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(port), hostname, () => {
      socket.write(`${head.join('\r\n')}\r\n\r\n`);
      socket.end(body);
    });
    const chunks: Buffer[] = [];
    socket.on('data', (d: Buffer) => chunks.push(d));
    socket.on('error', reject);
    socket.on('close', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0);
      resolve({ status, text: text.slice(text.indexOf('\r\n\r\n') + 4) });
    });
  });
}

/** The error sentence of an answer: `error.message`, or a preview's row errors joined. */
function errorText(answer: Answer, read: ApiCase['read'] = 'error'): string {
  let body: { error?: { message: string }; rows?: { errors: { message: string }[] }[] };
  try {
    body = JSON.parse(answer.text) as typeof body;
  } catch {
    return `(not JSON) ${answer.text}`;
  }
  if (read === 'preview') return (body.rows ?? []).flatMap((r) => r.errors.map((e) => e.message)).join('; ');
  return body.error?.message ?? '';
}

function assertSays(text: string | null | undefined, says: Says, label: string, secret?: string): void {
  const message = text ?? '';
  assert.match(message, says.field, `${label}: the error does not name the field: ${message.slice(0, 400)}`);
  if (says.value) assert.match(message, says.value, `${label}: the error does not show the value: ${message.slice(0, 400)}`);
  assert.match(message, says.allowed, `${label}: the error does not say what is allowed: ${message.slice(0, 400)}`);
  assert.ok(message.length < 2000, `${label}: the error is ${message.length} characters long; a huge value must be shortened`);
  if (secret) assert.ok(!message.includes(secret), `${label}: the error repeats the secret`);
}

async function waitForRun(t: Target, runId: string): Promise<RunBody> {
  const until = Date.now() + 30_000;
  for (;;) {
    const { body } = await api<RunBody & { finishedAt: string | null }>(t, 'GET', `/api/runs/${runId}`);
    if (body.finishedAt) return body;
    if (Date.now() > until) throw new Error(`run ${runId} did not end: ${JSON.stringify(body)}`);
    await sleep(50);
  }
}

async function ledger(t: Target, connectionId: string): Promise<LedgerRow[]> {
  const { status, body } = await api<{ data: LedgerRow[] }>(t, 'GET', `/api/connections/${connectionId}/rows?limit=10000`);
  assert.equal(status, 200, JSON.stringify(body));
  return body.data;
}

async function createConnection(t: Target, ctx: Prepared, body: Record<string, unknown>): Promise<{ id: string; hookUrl?: string }> {
  const res = await api<{ id: string; hookUrl?: string }>(t, 'POST', '/api/connections', { accountId: ctx.accountId, ...body });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return res.body;
}

async function prepare(t: Target): Promise<Prepared> {
  const account = await api<{ id: string }>(t, 'POST', '/api/accounts', { name: 'Bad input', secretKey: TEST_KEY });
  assert.equal(account.status, 201, JSON.stringify(account.body));
  const stripe = new Stripe(TEST_KEY, {
    host: '127.0.0.1',
    port: t.emulator.port,
    protocol: 'http',
    maxNetworkRetries: 0,
    telemetry: false,
  });
  const customer = await stripe.customers.create({ email: 'owner-of-items@example.com', name: 'Item Owner' });
  const ctx: Prepared = { accountId: account.body.id, customerId: customer.id, connectionId: '', runId: '' };
  const c = await createConnection(t, ctx, {
    name: 'API cases',
    source: { type: 'csv', content: 'Key,Email,Name\nctx,ctx@example.com,Ctx\n', keyColumn: 'Key' },
    action: 'stripe.create_customer',
    mapping: { email: '{{Email}}', name: '{{Name}}' },
  });
  const run = await api<{ runId: string }>(t, 'POST', `/api/connections/${c.id}/run`);
  assert.equal(run.status, 202);
  assert.equal((await waitForRun(t, run.body.runId)).status, 'succeeded');
  return { ...ctx, connectionId: c.id, runId: run.body.runId };
}

/** A valid row of the fixture, told apart from every other by `tag`. */
function goodRow(fixture: Fixture, tag: string, ctx: Prepared): Record<string, string> {
  return fixture === 'customer'
    ? { Key: tag, Email: `${tag}@good.example`, Name: 'Good Row' }
    : { Key: tag, Customer: ctx.customerId, Amount: '12.50', Currency: 'usd', Description: tag };
}

const csvLine = (fixture: Fixture, row: Record<string, string>) =>
  FIXTURES[fixture].columns
    .map((c) => row[c] ?? '')
    .map((v) => (/[",\n\r]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v))
    .join(',');

/** How many objects of the fixture's kind Stripe has, to count what one case created. */
const stripeCount = (t: Target, fixture: Fixture) => t.emulator.objects(KIND[fixture]).length;

/** Good rows went to Stripe exactly once: one object each, found by the tag the row carries. */
function assertSentOnce(t: Target, fixture: Fixture, tags: string[], label: string): void {
  for (const tag of tags) {
    const found = t.emulator.objects(KIND[fixture]).filter((o) => {
      const object = o as { email?: string | null; description?: string | null };
      return fixture === 'customer' ? object.email === `${tag}@good.example` : object.description === tag;
    });
    assert.equal(found.length, 1, `${label}: the good row ${tag} is in Stripe ${found.length} times`);
  }
}

/** A CSV connection over `rows` (keyed by their Key column), run once. */
async function runCsv(
  t: Target,
  ctx: Prepared,
  fixture: Fixture,
  lines: string,
  o: { mapping?: Record<string, string>; file?: Buffer } = {},
) {
  let source: Record<string, unknown> = { type: 'csv', content: lines, keyColumn: 'Key' };
  if (o.file) {
    const file = writeImportFile(t.importDir, `${slug(lines.slice(0, 40))}-${Date.now()}.csv`, o.file);
    source = { type: 'csv', path: file, keyColumn: 'Key' };
  }
  const c = await createConnection(t, ctx, {
    name: 'CSV',
    source,
    action: FIXTURES[fixture].action,
    mapping: o.mapping ?? FIXTURES[fixture].mapping,
  });
  const started = await api<{ runId: string }>(t, 'POST', `/api/connections/${c.id}/run`);
  assert.equal(started.status, 202, JSON.stringify(started.body));
  return { connectionId: c.id, run: await waitForRun(t, started.body.runId) };
}

/** CSV rows between good ones: each bad row `failed` with its error, in the run and the ledger; the good rows sent once. */
async function throwCsvRows(t: Target, ctx: Prepared, fixture: Fixture, cases: CsvRowCase[], prefix: string): Promise<void> {
  const header = FIXTURES[fixture].columns.join(',');
  const good: string[] = [];
  const lines = [header];
  for (const [i, c] of cases.entries()) {
    const tag = `${prefix}${i}-${slug(c.name)}`;
    const bad = { ...goodRow(fixture, `bad-${tag}`, ctx), ...c.row };
    lines.push(
      csvLine(fixture, goodRow(fixture, `${tag}-a`, ctx)),
      csvLine(fixture, bad),
      csvLine(fixture, goodRow(fixture, `${tag}-b`, ctx)),
    );
    good.push(`${tag}-a`, `${tag}-b`);
  }
  const before = stripeCount(t, fixture);
  const { connectionId, run } = await runCsv(t, ctx, fixture, `${lines.join('\r\n')}\r\n`);
  const rows = await ledger(t, connectionId);
  for (const [i, c] of cases.entries()) {
    const key = `bad-${prefix}${i}-${slug(c.name)}`;
    const inRun = run.rows.find((r) => r.rowKey === key);
    assert.equal(inRun?.status, 'failed', `${c.name}: the bad row is not failed in the run: ${JSON.stringify(inRun)}`);
    assertSays(inRun?.error, c.says, c.name);
    const inLedger = rows.find((r) => r.rowKey === key);
    assert.equal(inLedger?.status, 'failed', `${c.name}: the bad row is not failed in the ledger`);
    assert.equal(inLedger?.error, inRun?.error);
  }
  assert.equal(run.counts.sent, good.length, `the good rows were not all sent: ${JSON.stringify(run.counts)}`);
  assert.equal(run.status, cases.length > 0 ? 'partial' : 'succeeded', JSON.stringify(run));
  assert.equal(stripeCount(t, fixture) - before, good.length, 'a bad row reached Stripe, or a good one did not');
  const label = cases.length === 1 ? (cases[0]?.name ?? '') : 'csv rows';
  assertSentOnce(t, fixture, good, label);
  // A second run of the same file sends nothing: the good rows are sent, the bad ones stay failed.
  const again = await api<{ runId: string }>(t, 'POST', `/api/connections/${connectionId}/run`);
  const second = await waitForRun(t, again.body.runId);
  assert.equal(second.counts.sent, 0, `${label}: the second run sent again: ${JSON.stringify(second.counts)}`);
  assert.equal(stripeCount(t, fixture) - before, good.length, `${label}: the second run reached Stripe`);
  const failed = (await ledger(t, connectionId)).filter((r) => r.status === 'failed').length;
  assert.equal(failed, cases.length, `${label}: the bad rows are not all still failed`);
}

async function throwCsvFile(t: Target, ctx: Prepared, c: CsvFileCase, prefix: string): Promise<void> {
  const tag = `${prefix}${slug(c.name)}`;
  const text = c.content
    .replace('{{good1}}', csvLine(c.fixture, goodRow(c.fixture, `${tag}-a`, ctx)))
    .replace('{{good2}}', csvLine(c.fixture, goodRow(c.fixture, `${tag}-b`, ctx)))
    .replace('{{customer}}', ctx.customerId)
    .replace(/^bad,/m, `bad-${tag},`);
  const before = stripeCount(t, c.fixture);
  const { connectionId, run } = await runCsv(t, ctx, c.fixture, text, {
    ...(c.mapping && { mapping: c.mapping }),
    ...(c.encoding === 'latin1' && { file: Buffer.from(text, 'latin1') }),
  });
  const rows = await ledger(t, connectionId);
  if (c.outcome === 'run failed') {
    assert.equal(run.status, 'failed', `${c.name}: ${JSON.stringify(run)}`);
    assertSays(run.error, c.says, c.name);
    assert.deepEqual(rows, [], `${c.name}: a row of a file that cannot be read was taken in`);
    assert.equal(stripeCount(t, c.fixture), before, `${c.name}: something was sent`);
    return;
  }
  const bad = rows.find((r) => r.rowKey === `bad-${tag}`);
  assert.equal(bad?.status, 'failed', `${c.name}: ${JSON.stringify(rows)}`);
  assertSays(bad?.error, c.says, c.name);
  // A row the source could not read fails at intake and shows in the run's warnings; one that
  // fails on its values shows in the run's rows.
  const inRun = run.rows.find((r) => r.rowKey === `bad-${tag}`)?.error ?? run.warnings.join('\n');
  assertSays(inRun, c.says, `${c.name} (run)`);
  assert.equal(run.counts.sent, 2, `${c.name}: ${JSON.stringify(run)}`);
  assert.equal(stripeCount(t, c.fixture) - before, 2, `${c.name}: a bad row reached Stripe, or a good one did not`);
  assertSentOnce(t, c.fixture, [`${tag}-a`, `${tag}-b`], c.name);
}

/** Polls the ledger until `count` rows are there and none is pending. */
async function settledLedger(t: Target, connectionId: string, count: number): Promise<LedgerRow[]> {
  const until = Date.now() + 20_000;
  for (;;) {
    const rows = await ledger(t, connectionId);
    if (rows.length >= count && rows.every((r) => r.status !== 'pending')) return rows;
    if (Date.now() > until) throw new Error(`rows did not settle: ${JSON.stringify(rows)}`);
    await sleep(50);
  }
}

/** A webhook post between two good ones; it is accepted and fails in the ledger, or is refused at the door. */
async function throwWebhook(t: Target, ctx: Prepared, c: WebhookRowCase | WebhookPostCase, prefix: string): Promise<void> {
  const tag = `${prefix}${slug(c.name)}`;
  const hook = await createConnection(t, ctx, {
    name: 'Hook',
    source: { type: 'webhook' },
    action: 'stripe.create_customer',
    mapping: HOOK_MAPPING,
  });
  const hookPath = new URL(hook.hookUrl ?? '').pathname;
  const before = stripeCount(t, 'customer');
  const postGood = async (suffix: string) => {
    const res = await send(t, hookPath, { json: { email: `${tag}-${suffix}@good.example`, name: 'Good Row' } }, false);
    assert.equal(res.status, 202, `${c.name}: a good post was refused: ${res.text}`);
  };
  await postGood('a');
  const headers: Record<string, string> = c.entry === 'webhook row' ? { 'idempotency-key': `bad-${tag}` } : {};
  const answer = await send(t, hookPath, { ...c.request, headers: { ...headers, ...c.request.headers } }, false);
  await postGood('b');
  if (c.entry === 'webhook post') {
    assert.equal(answer.status, c.status, `${c.name}: ${answer.text.slice(0, 400)}`);
    assertSays(errorText(answer), c.says, c.name);
    const rows = await settledLedger(t, hook.id, 2);
    assert.equal(rows.length, 2, `${c.name}: a refused post was recorded: ${JSON.stringify(rows)}`);
  } else {
    assert.equal(answer.status, 202, `${c.name}: the post was not accepted: ${answer.text.slice(0, 400)}`);
    const rows = await settledLedger(t, hook.id, 3);
    const bad = rows.find((r) => r.rowKey === `key:bad-${tag}`);
    assert.equal(bad?.status, 'failed', `${c.name}: ${JSON.stringify(rows)}`);
    assertSays(bad?.error, c.says, c.name);
  }
  const good = [`${tag}-a`, `${tag}-b`];
  await settledLedger(t, hook.id, c.entry === 'webhook row' ? 3 : 2);
  assert.equal(stripeCount(t, 'customer') - before, 2, `${c.name}: a bad post reached Stripe, or a good one did not`);
  assertSentOnce(t, 'customer', good, c.name);
}

async function throwApi(t: Target, ctx: Prepared, c: ApiCase): Promise<void> {
  const connections = async () => (await api<{ data: unknown[] }>(t, 'GET', '/api/connections')).body.data.length;
  const before = await connections();
  const req = c.request(ctx);
  const answer = await send(t, req.path ?? '/', { method: 'POST', ...req }, true);
  assert.equal(answer.status, c.status, `${c.name}: ${answer.text.slice(0, 400)}`);
  assertSays(errorText(answer, c.read), c.says, c.name, c.secret);
  assert.equal(await connections(), before, `${c.name}: a refused request saved a connection`);
}

async function throwCase(t: Target, ctx: Prepared, c: BadInput, prefix: string): Promise<void> {
  switch (c.entry) {
    case 'csv row':
      return throwCsvRows(t, ctx, c.fixture, [c], prefix);
    case 'csv file':
      return throwCsvFile(t, ctx, c, prefix);
    case 'webhook row':
    case 'webhook post':
      return throwWebhook(t, ctx, c, prefix);
    case 'api':
      return throwApi(t, ctx, c);
  }
}

/** Near misses in one file per fixture: every row is sent, with the value it had. */
async function sendNearMisses(t: Target, ctx: Prepared, prefix: string): Promise<void> {
  for (const fixture of ['customer', 'item'] as const) {
    const cases = nearMisses.filter((n) => n.fixture === fixture);
    const rows = cases.map((n, i) => ({ ...goodRow(fixture, `${prefix}near-${i}`, ctx), ...n.row }));
    const { run } = await runCsv(
      t,
      ctx,
      fixture,
      `${[FIXTURES[fixture].columns.join(','), ...rows.map((r) => csvLine(fixture, r))].join('\n')}\n`,
    );
    assert.equal(run.status, 'succeeded', JSON.stringify(run.rows.filter((r) => r.status !== 'sent')));
    for (const [i, n] of cases.entries()) {
      const stripeId = run.rows.find((r) => r.rowKey === `${prefix}near-${i}`)?.stripeId;
      const object = t.emulator.objects(KIND[fixture]).find((o) => (o as { id: string }).id === stripeId);
      const value = n.sent.path.split('.').reduce<unknown>((v, k) => (v as Record<string, unknown> | undefined)?.[k], object);
      assert.equal(value, n.sent.value, `${n.name}: Stripe has ${JSON.stringify(value)}`);
    }
  }
}

describe('every case of the corpus, against an in-process server', () => {
  let h: Harness;
  let t: Target;
  let ctx: Prepared;
  before(async () => {
    h = await startHarness({ env: { SLUICE_WEBHOOK_MAX_BYTES: String(WEBHOOK_MAX_BYTES) } });
    t = { url: h.sluice.url, apiKey: h.apiKey, emulator: h.emulator, importDir: h.importDir };
    ctx = await prepare(t);
  });
  after(() => h.close());

  test('the corpus has at least 60 cases, each named once, in every category', () => {
    assert.ok(corpus.length >= 60, `only ${corpus.length} cases`);
    assert.equal(new Set(corpus.map((c) => c.name)).size, corpus.length, 'two cases share a name');
    const categories = new Set(corpus.map((c) => c.category));
    for (const category of [
      'email',
      'amount',
      'currency',
      'country',
      'length',
      'control characters',
      'formula',
      'nested JSON',
      'content type',
      'body',
      'csv shape',
      'mapping',
      'schedule',
      'query',
    ] as const) {
      assert.ok(categories.has(category), `no case of ${category}`);
    }
  });

  for (const c of corpus) {
    test(`${c.entry}: ${c.name}`, () => throwCase(t, ctx, c, 'in-'));
  }

  test('near misses go through: a phone number with +, a handle with @, a credit, a line break', () => sendNearMisses(t, ctx, 'in-'));

  test('the server is up after the corpus, and still takes rows', async () => {
    assert.equal((await fetch(`${h.sluice.url}/health`)).status, 200);
    await throwCsvRows(t, ctx, 'customer', [], 'last-');
  });
});

test('sluice serve, as a child process, answers /health after the whole corpus was thrown at it', async () => {
  const emulator = await startStripeEmulator({ port: 0 });
  const dataDir = tempDir('sluice-bad-input-serve-');
  let child: ChildProcess | undefined;
  try {
    const db = await openDatabase({ dataDir });
    const { key } = await createApiKey(db, 'bad input');
    await db.destroy();
    const port = await freePort();
    child = await startServeChild({
      PORT: String(port),
      SLUICE_DATA_DIR: dataDir,
      STRIPE_API_BASE: emulator.url,
      SLUICE_WEBHOOK_MAX_BYTES: String(WEBHOOK_MAX_BYTES),
    });
    const t: Target = { url: `http://127.0.0.1:${port}`, apiKey: key, emulator, importDir: path.join(dataDir, 'imports') };
    const ctx = await prepare(t);
    // Every bad CSV row of a fixture in one file, between good rows; the rest one by one.
    for (const fixture of ['customer', 'item'] as const) {
      await throwCsvRows(
        t,
        ctx,
        fixture,
        corpus.filter((c): c is CsvRowCase => c.entry === 'csv row' && c.fixture === fixture),
        'child-',
      );
    }
    for (const c of corpus.filter((x) => x.entry !== 'csv row')) await throwCase(t, ctx, c, 'child-');
    await sendNearMisses(t, ctx, 'child-');

    assert.equal(child.exitCode, null, 'sluice serve exited');
    const health = await fetch(`${t.url}/health`);
    assert.equal(health.status, 200);
    assert.deepEqual(await health.json(), { ok: true });
    await throwCsvRows(t, ctx, 'customer', [], 'child-last-');
  } finally {
    if (child) await kill9(child);
    await emulator.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
});
