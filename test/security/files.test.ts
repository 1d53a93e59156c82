import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { quote } from '../../src/core/field-error.js';
import { insertConnection } from '../../src/store/connections.js';
import { newId, nowIso } from '../../src/store/ids.js';
import { csv, startHarness, tempDir, type Harness } from '../support/harness.js';

/**
 * Issue 13, point 1: a CSV source reads only from the import folder. Every way out of it — an
 * absolute path, `..`, /proc, the data dir and its files, a link out, a folder, a FIFO, the data
 * dir inside an import folder set too wide — is refused with the same sentence through every API
 * that takes settings, and a connection saved before the rule fails its run without reading.
 * The content of every file outside (a marker, the encryption key, /etc/passwd, the environment)
 * never shows in any answer.
 */

const MARKER = `MARKER_${crypto.randomBytes(8).toString('hex')}`;
/** Every answer's text, searched at the end for what must never leak. */
const seen: string[] = [];

let h: Harness;
let accountId: string;
let outsideDir: string;
let secretFile: string;

const mapping = { email: '{{Email}}' };
const outside = (h: Harness, example: string) =>
  `is outside the import folder ${h.importDir}; put the file there and give its name, such as ${quote(example)}`;

async function call<T = Record<string, unknown>>(method: string, p: string, body?: unknown, on: Harness = h) {
  const res = await on.api<T>(method, p, body);
  seen.push(JSON.stringify(res.body));
  return res;
}

type ErrorBody = { error: { message: string; errors?: { field: string; message: string }[] } };

/** Each way a settings body reaches the server: unsaved fields, a new connection, a PATCH of a good one. */
async function refusedEverywhere(on: Harness, given: string, problem: string, good: string): Promise<void> {
  const expected = `source.path: ${quote(given)} ${problem}`;
  const source = { type: 'csv', path: given };
  const fields = await call<ErrorBody>('POST', '/api/sources/fields', { source }, on);
  assert.deepEqual([fields.status, fields.body.error?.message], [400, expected], `POST /api/sources/fields ${given}`);
  assert.deepEqual(
    fields.body.error.errors?.map((e) => e.field),
    ['source.path'],
  );
  const created = await call<ErrorBody>(
    'POST',
    '/api/connections',
    { name: 'Out', source, action: 'stripe.create_customer', accountId: on === h ? accountId : await on.account(), mapping },
    on,
  );
  assert.deepEqual([created.status, created.body.error?.message], [400, expected], `POST /api/connections ${given}`);
  const patched = await call<ErrorBody>('PATCH', `/api/connections/${good}`, { source }, on);
  assert.deepEqual([patched.status, patched.body.error?.message], [400, expected], `PATCH /api/connections ${given}`);
}

before(async () => {
  h = await startHarness();
  accountId = await h.account();
  outsideDir = tempDir('sluice-outside-');
  secretFile = path.join(outsideDir, 'secret.csv');
  fs.writeFileSync(secretFile, `${MARKER},Email\n${MARKER}-value,${MARKER}@example.com\n`);

  h.importFile('orders.csv', csv([{ Email: 'in-folder@example.com', Name: 'In' }]));
  h.importFile('2026/orders.csv', csv([{ Email: 'in-subfolder@example.com', Name: 'Sub' }]));
  h.importFile('.hidden.csv', csv([{ Email: 'hidden@example.com' }]));
  fs.symlinkSync('orders.csv', path.join(h.importDir, 'latest.csv'));
  fs.symlinkSync(secretFile, path.join(h.importDir, 'link-out.csv'));
  fs.mkdirSync(path.join(h.importDir, 'folder.csv'));
  execFileSync('mkfifo', [path.join(h.importDir, 'pipe.csv')]);
});

after(async () => {
  await h.close();
  fs.rmSync(outsideDir, { recursive: true, force: true });
  // What every answer said, together: no outside file's content anywhere.
  const all = seen.join('\n');
  assert.ok(!all.includes(MARKER), 'a marker from a file outside the import folder was in an answer');
  assert.ok(!/root:x?:0:0/.test(all), '/etc/passwd was in an answer');
  assert.ok(!all.includes('PATH='), '/proc/self/environ was in an answer');
});

test('the import folder is made at start, for its owner alone', () => {
  assert.equal(h.importDir, path.join(h.dataDir, 'imports'));
  assert.equal(fs.statSync(h.importDir).mode & 0o777, 0o700);
});

describe('a path out of the import folder is refused at save, through every API, with one sentence', () => {
  let good = '';
  before(async () => {
    good = (
      await h.connection({
        name: 'Good',
        source: { type: 'csv', path: 'orders.csv' },
        action: 'stripe.create_customer',
        accountId,
        mapping,
      })
    ).id;
  });

  const cases: Array<[string, () => string, (h: Harness) => string]> = [
    ['/etc/passwd', () => '/etc/passwd', (h) => outside(h, 'passwd')],
    ['../../etc/passwd', () => '../../etc/passwd', (h) => outside(h, 'passwd')],
    ['the encryption key', () => path.join(h.dataDir, 'encryption.key'), (h) => outside(h, 'encryption.key')],
    ['the SQLite WAL', () => path.join(h.dataDir, 'sluice.db-wal'), (h) => outside(h, 'sluice.db-wal')],
    ['the data dir by ..', () => '../sluice.db', (h) => outside(h, 'sluice.db')],
    ['/proc/self/environ', () => '/proc/self/environ', (h) => outside(h, 'environ')],
    ['a file outside', () => secretFile, (h) => outside(h, 'secret.csv')],
    ['a symlink in the folder that points out', () => 'link-out.csv', (h) => outside(h, 'link-out.csv')],
    [
      'a directory',
      () => 'folder.csv',
      (h) => `is a folder, not a file; give the name of a CSV file in the import folder ${h.importDir}, such as "orders.csv"`,
    ],
    [
      'a FIFO (answered at once, not hung)',
      () => 'pipe.csv',
      (h) => `is not a regular file (a pipe, socket or device); give the name of a CSV file in the import folder ${h.importDir}`,
    ],
  ];
  for (const [what, given, problem] of cases) {
    test(`${what}`, { timeout: 30_000 }, () => refusedEverywhere(h, given(), problem(h), good));
  }

  test('the good connection kept its settings through the refused PATCHes', async () => {
    const { body } = await call<{ source: unknown }>('GET', `/api/connections/${good}`);
    assert.deepEqual(body.source, { type: 'csv', path: 'orders.csv' });
  });
});

test('SLUICE_IMPORT_DIR set to a parent of the data dir still never reads the data dir', { timeout: 60_000 }, async () => {
  const parent = tempDir('sluice-wide-import-');
  const dataDir = path.join(parent, 'data');
  const wide = await startHarness({ dataDir, env: { SLUICE_IMPORT_DIR: parent } });
  try {
    const wideAccount = await wide.account();
    fs.writeFileSync(path.join(parent, 'fine.csv'), csv([{ Email: 'fine@example.com' }]));
    const good = (
      await wide.connection({
        name: 'Fine',
        source: { type: 'csv', path: 'fine.csv' },
        action: 'stripe.create_customer',
        accountId: wideAccount,
        mapping,
      })
    ).id;
    // On Postgres the key comes from SLUICE_ENCRYPTION_KEY and there is no key file: the paths are refused all the same.
    const keyFile = path.join(dataDir, 'encryption.key');
    const key = fs.existsSync(keyFile) ? fs.readFileSync(keyFile, 'utf8').trim() : undefined;
    const problem =
      `is in Sluice's data dir ${dataDir}, which holds its database and keys and is never read as a source; ` +
      `put the file in the import folder ${parent} and give its name, such as "orders.csv"`;
    for (const given of ['data/encryption.key', path.join(dataDir, 'encryption.key'), 'data/sluice.db', 'data/imports/../sluice.db-wal'])
      await refusedEverywhere(wide, given, problem, good);
    // Nor is the data dir listed.
    const list = await call<{ folder: string; files: { name: string }[] }>('GET', '/api/sources/csv/files', undefined, wide);
    assert.deepEqual(
      list.body.files.map((f) => f.name),
      ['fine.csv'],
    );
    if (key !== undefined) assert.ok(!seen.join('\n').includes(key), 'the encryption key was in an answer');
  } finally {
    await wide.close();
    fs.rmSync(parent, { recursive: true, force: true });
  }
});

test('SLUICE_IMPORT_DIR=/ still never reads /proc, /sys, /dev or the data dir', { timeout: 60_000 }, async () => {
  const everything = await startHarness({ env: { SLUICE_IMPORT_DIR: '/' } });
  try {
    const good = (
      await everything.connection({
        name: 'Content',
        source: { type: 'csv', content: csv([{ Email: 'c@example.com' }]) },
        action: 'stripe.create_customer',
        accountId: await everything.account(),
        mapping,
      })
    ).id;
    const tree = (t: string) =>
      `is in ${t}, which is never read as a source; put the file in the import folder / and give its name, such as "orders.csv"`;
    await refusedEverywhere(everything, '/proc/self/environ', tree('/proc'), good);
    await refusedEverywhere(everything, 'proc/self/environ', tree('/proc'), good);
    await refusedEverywhere(everything, '/dev/zero', tree('/dev'), good);
    await refusedEverywhere(
      everything,
      path.join(everything.dataDir, 'sluice.db'),
      `is in Sluice's data dir ${everything.dataDir}, which holds its database and keys and is never read as a source; ` +
        'put the file in the import folder / and give its name, such as "orders.csv"',
      good,
    );
    // A file anywhere else is the operator's choice with this setting: the outside marker is read.
    const fields = await everything.api<{ columns: { name: string }[] }>('POST', '/api/sources/fields', {
      source: { type: 'csv', path: secretFile },
    });
    assert.equal(fields.status, 200);
  } finally {
    await everything.close();
  }
});

describe('a connection saved before the rule, with a path outside', () => {
  let old = '';
  before(async () => {
    // As an older Sluice stored it: straight into the store, no check.
    const db = await h.openStore();
    try {
      const now = nowIso();
      old = newId('con');
      await insertConnection(db, {
        id: old,
        name: 'Old export',
        source_type: 'csv',
        source_settings: JSON.stringify({ type: 'csv', path: secretFile }),
        action: 'stripe.create_customer',
        account_id: accountId,
        source_account_id: null,
        mapping: JSON.stringify(mapping),
        start_from: 'all',
        enabled: 0,
        schedule: null,
        after_connection_id: null,
        next_run_at: null,
        hook_token: null,
        created_at: now,
        updated_at: now,
      });
    } finally {
      await db.destroy();
    }
  });

  const readError = () => `CSV file ${quote(secretFile)} ${outside(h, 'secret.csv')}`;

  test('fails its next run with an error saying what to move where, and reads nothing', async () => {
    const run = await h.run(old);
    seen.push(JSON.stringify(run));
    assert.equal(run.status, 'failed');
    assert.equal(run.error, `source: ${readError()}`);
    assert.deepEqual(run.rows, []);
    assert.equal(h.emulator.objects('customer').length, 0);
  });

  test('its preview, test send and fields are refused the same way', async () => {
    const expected = `source: ${readError()}`;
    for (const [method, p] of [
      ['POST', `/api/connections/${old}/preview`],
      ['POST', `/api/connections/${old}/test`],
      ['GET', `/api/connections/${old}/source/fields`],
    ] as const) {
      const res = await call<ErrorBody>(method, p, method === 'POST' ? {} : undefined);
      assert.deepEqual([res.status, res.body.error?.message], [422, expected], `${method} ${p}`);
    }
  });

  test('keeps its settings: it can still be renamed or switched off, its path is not rewritten', async () => {
    const renamed = await call<{ name: string; source: unknown }>('PATCH', `/api/connections/${old}`, { name: 'Old export, to fix' });
    assert.equal(renamed.status, 200, JSON.stringify(renamed.body));
    assert.deepEqual(renamed.body.source, { type: 'csv', path: secretFile });
    const fetched = await call<{ source: unknown }>('GET', `/api/connections/${old}`);
    assert.deepEqual(fetched.body.source, { type: 'csv', path: secretFile });
  });

  test('moved into the folder and named there, it runs', async () => {
    h.importFile('secret-moved.csv', csv([{ Email: 'moved@example.com' }]));
    const fixed = await call('PATCH', `/api/connections/${old}`, { source: { type: 'csv', path: 'secret-moved.csv' } });
    assert.equal(fixed.status, 200, JSON.stringify(fixed.body));
    const run = await h.run(old);
    assert.deepEqual([run.status, run.counts.sent], ['succeeded', 1], JSON.stringify(run));
  });
});

describe('files in the folder are read', () => {
  const fieldsOf = async (p: string) => {
    const res = await call<{ columns: { name: string; samples: string[] }[] }>('POST', '/api/sources/fields', {
      source: { type: 'csv', path: p },
    });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    return res.body.columns.map((c) => [c.name, c.samples[0]]);
  };

  test('by name, in a subfolder, and through a symlink inside that points inside', async () => {
    assert.deepEqual(await fieldsOf('orders.csv'), [
      ['Email', 'in-folder@example.com'],
      ['Name', 'In'],
    ]);
    assert.deepEqual(await fieldsOf('2026/orders.csv'), [
      ['Email', 'in-subfolder@example.com'],
      ['Name', 'Sub'],
    ]);
    assert.deepEqual(await fieldsOf('latest.csv'), await fieldsOf('orders.csv'));
  });

  test('an absolute path inside the folder is saved as its name there, and runs', async () => {
    const c = await call<{ id: string; source: unknown }>('POST', '/api/connections', {
      name: 'Absolute inside',
      source: { type: 'csv', path: path.join(h.importDir, '2026', 'orders.csv') },
      action: 'stripe.create_customer',
      accountId,
      mapping,
    });
    assert.equal(c.status, 201, JSON.stringify(c.body));
    assert.deepEqual(c.body.source, { type: 'csv', path: '2026/orders.csv' });
    const run = await h.run(c.body.id);
    assert.deepEqual([run.status, run.counts.sent], ['succeeded', 1], JSON.stringify(run));
  });

  test('GET /api/sources/csv/files lists the folder: regular files, subfolders too; no hidden files, links out, folders or FIFOs', async () => {
    const res = await call<{ folder: string; files: { name: string; size: number; modifiedAt: string }[]; truncated: boolean }>(
      'GET',
      '/api/sources/csv/files',
    );
    assert.equal(res.status, 200);
    assert.equal(res.body.folder, h.importDir);
    assert.equal(res.body.truncated, false);
    assert.deepEqual(
      res.body.files.map((f) => f.name),
      ['2026/orders.csv', 'latest.csv', 'orders.csv', 'secret-moved.csv'].filter(
        (n) => n !== 'secret-moved.csv' || fs.existsSync(path.join(h.importDir, n)),
      ),
    );
    const orders = res.body.files.find((f) => f.name === 'orders.csv');
    assert.equal(orders?.size, fs.statSync(path.join(h.importDir, 'orders.csv')).size);
    assert.equal(orders?.modifiedAt, fs.statSync(path.join(h.importDir, 'orders.csv')).mtime.toISOString());
  });

  test('the list needs credentials', async () => {
    const res = await fetch(`${h.sluice.url}/api/sources/csv/files`);
    assert.equal(res.status, 401);
  });
});
