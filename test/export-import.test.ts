import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { checkDocument, ImportRefused } from '../src/cli/import.js';
import { openDatabase } from '../src/store/db.js';
import { csv, runCli, startHarness, tempDir, TEST_KEY, waitFor, type Harness } from './support/harness.js';

/**
 * Moving an installation: `sluice export` on one data dir, `sluice import` into another with the
 * same encryption key. The accounts work there, the connections read back as they were (switched
 * off), hook URLs still take posts, and the rows a pull source had are not sent again, since the
 * row ledger does not move. A wrong key, a broken file, a dry run and ids already present write
 * nothing.
 */

const KEY = crypto.randomBytes(32).toString('hex');
const OTHER_KEY = crypto.randomBytes(32).toString('hex');
const KEY_REFUSED =
  "accounts[0].secretSealed: cannot be opened with this installation's encryption key; set SLUICE_ENCRYPTION_KEY to the key of the installation it was exported from";

let src: Harness;
let work: string;
let ordersCsv: string;
let exportFile: string;
/** The target of the main import, with the Sluice started on it. */
let target: string;
let t: Harness | undefined;
const ids = { account: '', orders: '', hook: '', keyless: '' };
let hookToken = '';

interface Customer {
  id: string;
  email: string | null;
}
interface ConnectionBody {
  id: string;
  enabled: boolean;
  nextRunAt: string | null;
  hookUrl?: string;
  lastRun?: unknown;
  rows?: Record<string, number>;
}
interface ExportBody {
  format: string;
  version: number;
  exportedAt: string;
  accounts: Record<string, unknown>[];
  connections: Record<string, unknown>[];
}

const orderRows = [
  { Id: '1', Email: 'ada@example.com', Name: 'Ada' },
  { Id: '2', Email: 'alan@example.com', Name: 'Alan' },
  { Id: '3', Email: 'grace@example.com', Name: 'Grace' },
];

/** Every installation of this file reads CSV files from one import folder, as a moved one would find its files again. */
let imports: string;
const withKey = (dataDir: string, key = KEY) => ({ dataDir, env: { SLUICE_ENCRYPTION_KEY: key, SLUICE_IMPORT_DIR: imports } });

/** `sluice <args>` that must fail: its stderr. */
async function refused(o: { dataDir: string; env?: Record<string, string> }, ...args: string[]): Promise<string> {
  const error = await runCli(o, ...args).then(
    (r) => assert.fail(`sluice ${args.join(' ')} succeeded: ${r.stdout}`),
    (e: Error & { stderr: string; code: number }) => e,
  );
  assert.equal(error.code, 1, error.stderr);
  return error.stderr;
}

/** What a data dir's store holds, counted; opened and closed around the count. */
async function counts(dataDir: string) {
  const db = await openDatabase({ dataDir });
  try {
    const n = async (table: 'accounts' | 'connections' | 'rows' | 'runs') =>
      Number(
        (
          await db
            .selectFrom(table)
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    return { accounts: await n('accounts'), connections: await n('connections'), rows: await n('rows'), runs: await n('runs') };
  } finally {
    await db.destroy();
  }
}
const EMPTY = { accounts: 0, connections: 0, rows: 0, runs: 0 };

/** The problems the document checks find in `doc` (none: an empty list). */
function problemsOf(doc: unknown): readonly string[] {
  try {
    checkDocument(JSON.stringify(doc), 'doc.json');
    return [];
  } catch (error) {
    if (error instanceof ImportRefused) return error.problems;
    throw error;
  }
}

const readExport = () => JSON.parse(fs.readFileSync(exportFile, 'utf8')) as ExportBody;
function writeDoc(name: string, change: (doc: ExportBody) => void): string {
  const doc = readExport();
  change(doc);
  const file = path.join(work, name);
  fs.writeFileSync(file, JSON.stringify(doc));
  return file;
}

before(async () => {
  work = tempDir('sluice-export-');
  imports = path.join(work, 'imports');
  src = await startHarness({ env: { SLUICE_ENCRYPTION_KEY: KEY, SLUICE_IMPORT_DIR: imports } });
  ordersCsv = path.join(imports, 'orders.csv');
  exportFile = path.join(work, 'export.json');
  target = path.join(work, 'target');
  fs.writeFileSync(ordersCsv, csv(orderRows));

  ids.account = await src.account();
  const base = { action: 'stripe.create_customer', accountId: ids.account };
  ids.orders = (
    await src.connection({
      ...base,
      name: 'Orders',
      source: { type: 'csv', path: 'orders.csv', keyColumn: 'Id' },
      mapping: { email: '{{Email}}', name: '{{Name}}' },
      enabled: true,
      schedule: { kind: 'interval', minutes: 600 },
    })
  ).id;
  const sent = await src.run(ids.orders);
  assert.equal(sent.counts.sent, 3, JSON.stringify(sent));

  const hook = await src.connection({ ...base, name: 'Sign-ups', source: { type: 'webhook' }, mapping: { email: '{{email}}' } });
  ids.hook = hook.id;
  hookToken = new URL(hook.hookUrl ?? '').pathname.split('/').pop() ?? '';
  const posted = await fetch(`${src.sluice.url}/hooks/${hookToken}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: 'first-signup@example.com' }),
  });
  assert.equal(posted.status, 202);
  await waitFor('the first sign-up in Stripe', () =>
    (src.emulator.objects('customer') as Customer[]).find((c) => c.email === 'first-signup@example.com'),
  );

  // Rows keyed by content (no key column), baselined at creation, run after Orders.
  ids.keyless = (
    await src.connection({
      ...base,
      name: 'Keyless',
      source: {
        type: 'csv',
        content: csv([
          { Email: 'k1@example.com', Name: 'K1' },
          { Email: 'k2@example.com', Name: 'K2' },
        ]),
      },
      mapping: { email: '{{Email}}' },
      startFrom: 'new',
      enabled: true,
      schedule: { kind: 'after', connectionId: ids.orders },
    })
  ).id;

  await runCli(withKey(src.dataDir), 'export', '--out', exportFile);
});

after(async () => {
  await t?.close();
  await src.close();
  fs.rmSync(work, { recursive: true, force: true });
});

test('export writes a versioned document with every account and connection, secrets still sealed', async () => {
  const text = fs.readFileSync(exportFile, 'utf8');
  assert.equal(fs.statSync(exportFile).mode & 0o777, 0o600);
  assert.ok(!text.includes(TEST_KEY), 'the Stripe key is not in the file');
  assert.ok(!text.includes('sk_test_51'), 'no part of the key beyond its hint is in the file');
  const doc = JSON.parse(text) as ExportBody;
  assert.equal(doc.format, 'sluice-export');
  assert.equal(doc.version, 2);
  assert.ok(!Number.isNaN(Date.parse(doc.exportedAt)));
  assert.deepEqual(Object.keys(doc).sort(), ['accounts', 'connections', 'exportedAt', 'format', 'version']);

  assert.equal(doc.accounts.length, 1);
  const account = doc.accounts[0] ?? {};
  assert.equal(account.id, ids.account);
  assert.equal(account.mode, 'test');
  assert.equal(account.keyHint, 'sk_test_…abcd');
  assert.match(String(account.secretSealed), /^v1\./);

  const byId = new Map(doc.connections.map((c) => [c.id, c]));
  assert.deepEqual([...byId.keys()].sort(), [ids.orders, ids.hook, ids.keyless].sort());
  assert.equal(byId.get(ids.hook)?.hookToken, hookToken);
  assert.equal(byId.get(ids.orders)?.hookToken, null);
  // A CSV path is exported as its name in the import folder, so it is found in the target's.
  assert.deepEqual(byId.get(ids.orders)?.source, { type: 'csv', path: 'orders.csv', keyColumn: 'Id' });
  assert.deepEqual(byId.get(ids.orders)?.schedule, { kind: 'interval', minutes: 600 });
  assert.equal(byId.get(ids.orders)?.enabled, true);
  assert.equal(byId.get(ids.keyless)?.afterConnectionId, ids.orders);
  assert.equal(byId.get(ids.keyless)?.startFrom, 'new');

  // Without --out, the same document on stdout.
  const { stdout, stderr } = await runCli(withKey(src.dataDir), 'export');
  const again = JSON.parse(stdout) as ExportBody;
  assert.deepEqual({ ...again, exportedAt: '' }, { ...doc, exportedAt: '' });
  assert.match(stderr, /exported 1 account\(s\) and 3 connection\(s\)/);
});

test('import recreates the accounts and connections, switched off, and sends none of the rows already there', async () => {
  const { stdout } = await runCli(withKey(target), 'import', exportFile);
  assert.match(stdout, /^imported 1 account\(s\) and 3 connection\(s\); 5 row\(s\) baselined$/m);
  assert.match(stdout, new RegExp(`${ids.orders} {2}"Orders" {2}csv {2}off {2}3 row\\(s\\) recorded as skipped`));
  assert.match(stdout, new RegExp(`${ids.hook} {2}"Sign-ups" {2}webhook {2}off {2}hook URL kept`));

  t = await startHarness({ dataDir: target, env: { SLUICE_ENCRYPTION_KEY: KEY, SLUICE_IMPORT_DIR: imports } });
  const accounts = async (h: Harness) => (await h.api<{ data: unknown[] }>('GET', '/api/accounts')).body.data;
  assert.deepEqual(await accounts(t), await accounts(src));

  // The connections read back as they were, but switched off (and so with no next run).
  const list = async (h: Harness) => {
    const { body } = await h.api<{ data: ConnectionBody[] }>('GET', '/api/connections');
    return new Map(
      body.data.map(({ lastRun: _, hookUrl, ...c }) => [c.id, { ...c, ...(hookUrl && { hookPath: new URL(hookUrl).pathname }) }]),
    );
  };
  const before = await list(src);
  const now = await list(t);
  assert.equal(now.size, 3);
  for (const [id, c] of before) assert.deepEqual(now.get(id), { ...c, enabled: false, nextRunAt: null }, id);

  // The pull connections' rows present at import are in the ledger as skipped: a run sends nothing.
  const orders = await t.api<ConnectionBody>('GET', `/api/connections/${ids.orders}`);
  assert.equal(orders.body.rows?.skipped, 3);
  const rerun = await t.run(ids.orders);
  assert.deepEqual([rerun.status, rerun.counts.sent], ['succeeded', 0], JSON.stringify(rerun));
  assert.equal((await t.run(ids.keyless)).counts.sent, 0);
  assert.deepEqual(t.emulator.objects('customer'), []);
  const skipped = await t.api<{ data: { error: string | null }[] }>('GET', `/api/connections/${ids.orders}/rows?status=skipped`);
  assert.match(skipped.body.data[0]?.error ?? '', /imported/);

  // A row that appears later is sent, with the imported account's key: it opens here.
  fs.writeFileSync(ordersCsv, csv([...orderRows, { Id: '4', Email: 'edsger@example.com', Name: 'Edsger' }]));
  const next = await t.run(ids.orders);
  assert.deepEqual([next.status, next.counts.sent], ['succeeded', 1], JSON.stringify(next));
  assert.deepEqual(
    (t.emulator.objects('customer') as Customer[]).map((c) => c.email),
    ['edsger@example.com'],
  );

  // The hook URL forms post to still works.
  const posted = await fetch(`${t.sluice.url}/hooks/${hookToken}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: 'after-move@example.com' }),
  });
  assert.equal(posted.status, 202);
  await waitFor('the post after the move in Stripe', () =>
    (t?.emulator.objects('customer') as Customer[]).find((c) => c.email === 'after-move@example.com'),
  );
});

test('ids already in the store are refused without --replace; with it (and --keep-enabled) the ledger stays', async () => {
  const stderr = await refused(withKey(target), 'import', exportFile);
  assert.match(stderr, /^sluice: nothing was imported:$/m);
  assert.ok(
    stderr.includes(`accounts[0].id: "${ids.account}" already exists in this installation; pass --replace to overwrite it`),
    stderr,
  );
  assert.match(stderr, /connections\[\d\]\.id: "con_[0-9a-z]+" already exists in this installation; pass --replace to overwrite it/);

  const { stdout } = await runCli(withKey(target), 'import', exportFile, '--replace', '--keep-enabled');
  // Every row the sources have is in the ledger already: none is new, none is baselined.
  assert.match(stdout, /^imported 1 account\(s\) and 3 connection\(s\); 0 row\(s\) baselined$/m);
  const doc = readExport();
  for (const c of doc.connections) {
    const { body } = await (t as Harness).api<ConnectionBody>('GET', `/api/connections/${String(c.id)}`);
    assert.deepEqual([body.enabled, body.nextRunAt], [c.enabled, c.nextRunAt], String(c.id));
  }
  const orders = await (t as Harness).api<ConnectionBody>('GET', `/api/connections/${ids.orders}`);
  assert.deepEqual(orders.body.rows, { pending: 0, sent: 1, failed: 0, skipped: 3 });
});

test('a wrong encryption key is refused, naming the account, and nothing is written', async () => {
  const dir = path.join(work, 'wrong-key');
  const stderr = await refused(withKey(dir, OTHER_KEY), 'import', exportFile);
  assert.ok(stderr.includes(KEY_REFUSED), stderr);
  assert.deepEqual(await counts(dir), EMPTY);
});

test('--dry-run checks everything, reports what it would import, and writes nothing', async () => {
  const dir = path.join(work, 'dry-run');
  const { stdout } = await runCli(withKey(dir), 'import', exportFile, '--dry-run');
  // Orders has 4 rows by now, Keyless 2.
  assert.match(stdout, /^dry run, nothing was written: would import 1 account\(s\) and 3 connection\(s\); 6 row\(s\) baselined$/m);
  assert.deepEqual(await counts(dir), EMPTY);
});

test('--resend imports without baselines: the ledger starts empty', async () => {
  const dir = path.join(work, 'resend');
  const { stdout } = await runCli(withKey(dir), 'import', exportFile, '--resend');
  assert.match(stdout, /; 0 row\(s\) baselined$/m);
  assert.match(stdout, /"Orders" {2}csv {2}off {2}rows not baselined \(--resend\)/);
  assert.deepEqual(await counts(dir), { accounts: 1, connections: 3, rows: 0, runs: 0 });
});

test('a source that cannot be read stops the whole import, accounts included', async () => {
  const dir = path.join(work, 'unreadable');
  const file = writeDoc('unreadable.json', (doc) => {
    const orders = doc.connections.find((c) => c.id === ids.orders);
    if (orders) orders.source = { type: 'csv', path: 'gone.csv', keyColumn: 'Id' };
  });
  const stderr = await refused(withKey(dir), 'import', file);
  assert.match(stderr, /connections\[\d\] \("Orders"\): its source could not be read to record the rows it has now as skipped: .*--resend/);
  assert.deepEqual(await counts(dir), EMPTY);
});

test('a CSV path outside the import folder is refused like a save through the API, and nothing is written', async () => {
  const dir = path.join(work, 'outside');
  const outside = path.join(work, 'orders-elsewhere.csv');
  fs.writeFileSync(outside, csv(orderRows));
  const file = writeDoc('outside.json', (doc) => {
    const orders = doc.connections.find((c) => c.id === ids.orders);
    if (orders) orders.source = { type: 'csv', path: outside, keyColumn: 'Id' };
  });
  const at = readExport().connections.findIndex((c) => c.id === ids.orders);
  const stderr = await refused(withKey(dir), 'import', file, '--resend');
  assert.equal(
    stderr,
    `sluice: nothing was imported:\n  connections[${at}].source.path: ${JSON.stringify(outside)} is outside the import folder ${imports}; ` +
      'put the file there and give its name, such as "orders-elsewhere.csv"\n',
  );
  assert.deepEqual(await counts(dir), EMPTY);
});

test('a broken document is refused, naming the field, the value and what is allowed', async () => {
  const dir = path.join(work, 'broken');
  // Through the command: the whole answer, and a problem only the store's checks find (the action).
  let stderr = await refused(
    withKey(dir),
    'import',
    writeDoc('version.json', (doc) => (doc.version = 3)),
  );
  assert.equal(
    stderr,
    'sluice: nothing was imported:\n  version: "3" is not a version this Sluice can import; it imports versions 1 and 2\n',
  );
  stderr = await refused(
    withKey(dir),
    'import',
    writeDoc('action.json', (doc) => ((doc.connections[2] ?? {}).action = 'stripe.make_money')),
  );
  assert.ok(stderr.includes('connections[2].action: "stripe.make_money" is not an action; use one of:'), stderr);
  assert.deepEqual(await counts(dir), EMPTY);

  // The document's own checks, in-process (each spawn of the command takes seconds).
  const cases: [(doc: ExportBody) => void, string][] = [
    [(doc) => (doc.format = 'zapier'), 'format: "zapier" is not "sluice-export": this file is not a Sluice export'],
    [(doc) => delete (doc as Partial<ExportBody>).format, 'format: is required'],
    [(doc) => delete doc.connections[1]?.mapping, 'connections[1].mapping: is required'],
    [(doc) => ((doc.accounts[0] ?? {}).status = 'frozen'), 'accounts[0].status: "frozen" is not allowed; use one of: active, inactive'],
    [(doc) => ((doc.connections[0] ?? {}).colour = 'red'), 'connections[0]: unknown field(s) "colour"'],
    [(doc) => ((doc.connections[0] ?? {}).nextRunAt = 'tomorrow'), 'connections[0].nextRunAt: "tomorrow" is not an ISO-8601 UTC time'],
    [(doc) => ((doc.connections[1] ?? {}).hookToken = null), 'connections[1].hookToken: is null; a webhook source needs its hook token'],
    [
      (doc) => ((doc.connections[2] ?? {}).id = ids.orders),
      `connections[2].id: "${ids.orders}" is also the id of connections[0]; it must be unique`,
    ],
    [
      (doc) => ((doc.accounts[0] ?? {}).secretSealed = 'sk_test_cleartext'),
      'accounts[0].secretSealed: is not a sealed secret (v1.<iv>.<tag>.<ciphertext>)',
    ],
  ];
  for (const [change, message] of cases) {
    const doc = readExport();
    change(doc);
    const problems = problemsOf(doc);
    assert.ok(
      problems.some((p) => p.startsWith(message)),
      `${message}\n${problems.join('\n')}`,
    );
    // A secret is never echoed back, even a malformed one.
    assert.ok(!problems.join('\n').includes('sk_test_cleartext'));
  }
});
