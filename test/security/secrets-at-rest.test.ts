import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { Writable } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { startGoogleEmulator, type GoogleEmulator } from '../../src/emulator/google/index.js';
import { googleEnv } from '../support/google.js';
import { csv, runCli, startHarness, tempDir, type Harness } from '../support/harness.js';
import { asBrowser, browserSession, type BrowserSession } from '../support/session.js';
import { testStoreKind } from '../support/stores.js';

/**
 * Issue 13, point 7 — secrets at rest. A CSV URL's password and token are sealed like a Stripe key
 * and never shown, exported or logged in the clear; sluice.db and its -wal/-shm are 0600 whatever
 * the umask and the folder; the Google OAuth state is single-use, expires and is bound to the
 * browser session that started it.
 */

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const KEY = 'c0de'.repeat(16);
const MASK = '•••';
// Random per run, so that finding one anywhere can only mean it leaked.
const PASS = `pw-${crypto.randomBytes(9).toString('hex')}`;
const PASS2 = `pw2-${crypto.randomBytes(9).toString('hex')}`;
const TOKEN = `tok-${crypto.randomBytes(9).toString('hex')}`;
const SECRETS = [PASS, PASS2, TOKEN];

/**
 * A CSV file behind Basic auth and a token, on loopback, as a reporting tool or a storage bucket
 * would serve one. It counts the requests that came with the right credentials.
 */
class CsvServer {
  server: Server;
  port = 0;
  password = PASS;
  rows = [
    { Id: '1', Email: 'ada@example.com' },
    { Id: '2', Email: 'grace@example.com' },
  ];
  authorized = 0;
  refused = 0;

  constructor() {
    this.server = createServer((req: IncomingMessage, res: ServerResponse) => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const basic = `Basic ${Buffer.from(`reader:${this.password}`).toString('base64')}`;
      if (url.pathname !== '/orders.csv') return res.writeHead(404).end('no such file');
      if (req.headers.authorization !== basic || url.searchParams.get('token') !== TOKEN) {
        this.refused++;
        return res.writeHead(401, { 'www-authenticate': 'Basic' }).end('who are you?');
      }
      this.authorized++;
      res.writeHead(200, { 'content-type': 'text/csv' }).end(csv(this.rows));
    });
  }

  async start(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
  }

  url(password = this.password, file = 'orders.csv'): string {
    return `http://reader:${password}@127.0.0.1:${this.port}/${file}?token=${TOKEN}&gid=0`;
  }

  masked(file = 'orders.csv'): string {
    return `http://reader:${MASK}@127.0.0.1:${this.port}/${file}?token=${MASK}&gid=${MASK}`;
  }
}

const logLines: string[] = [];
const logTo = new Writable({
  write(chunk: Buffer, _enc, done) {
    logLines.push(chunk.toString('utf8'));
    done();
  },
});

let files: CsvServer;
let h: Harness;
let account: string;
let work: string;

/** Every answer the tests read, to look for the secrets in at the end as well. */
const answers: string[] = [];

async function api<T = Record<string, unknown>>(method: string, p: string, body?: unknown): Promise<{ status: number; body: T }> {
  const res = await h.api<T>(method, p, body);
  answers.push(JSON.stringify(res.body));
  return res;
}

function assertNoSecret(text: string, where: string): void {
  for (const secret of SECRETS) assert.ok(!text.includes(secret), `${where} holds a secret of the URL: ${text.slice(0, 2000)}`);
}

const env = (extra: Record<string, string> = {}) => ({
  ...h.storeEnv,
  SLUICE_ENCRYPTION_KEY: KEY,
  SLUICE_ALLOW_PRIVATE_URLS: '1',
  ...extra,
});

before(async () => {
  files = new CsvServer();
  await files.start();
  work = tempDir('sluice-secrets-');
  h = await startHarness({ env: { SLUICE_ENCRYPTION_KEY: KEY, SLUICE_ALLOW_PRIVATE_URLS: '1' }, logTo });
  account = await h.account();
});

after(async () => {
  await h.close();
  await new Promise((resolve) => files.server.close(resolve));
  fs.rmSync(work, { recursive: true, force: true });
});

interface ConnectionBody {
  id: string;
  name: string;
  source: { type: string; url?: string; keyColumn?: string; delimiter?: string };
  mapping: Record<string, string>;
  schedule: unknown;
  enabled: boolean;
  updatedAt: string;
}

async function createUrlConnection(name: string, url: string) {
  const res = await api<ConnectionBody>('POST', '/api/connections', {
    name,
    source: { type: 'csv', url, keyColumn: 'Id' },
    action: 'stripe.create_customer',
    accountId: account,
    mapping: { email: '{{Email}}' },
  });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return res.body;
}

describe('a CSV URL with a password and a token', () => {
  let id = '';

  test('is shown masked in every answer, and still reads with its credentials', async () => {
    const created = await createUrlConnection('Orders behind a password', files.url());
    id = created.id;
    assert.equal(created.source.url, files.masked());

    const one = await api<ConnectionBody>('GET', `/api/connections/${id}`);
    assert.equal(one.body.source.url, files.masked());
    const list = await api<{ data: ConnectionBody[] }>('GET', '/api/connections');
    assert.equal(list.body.data.find((c) => c.id === id)?.source.url, files.masked());

    const before = files.authorized;
    const fields = await api<{ columns: { name: string; samples: string[] }[] }>('GET', `/api/connections/${id}/source/fields`);
    assert.equal(fields.status, 200, JSON.stringify(fields.body));
    assert.deepEqual(
      fields.body.columns.map((c) => c.name),
      ['Id', 'Email'],
    );
    const preview = await api<{ rows: { fields: Record<string, string> }[] }>('POST', `/api/connections/${id}/preview`, {});
    assert.equal(preview.status, 200, JSON.stringify(preview.body));
    assert.equal(preview.body.rows[0]?.fields.Email, 'ada@example.com');

    // The wizard reads the columns of the settings it shows (masked) by naming the saved connection.
    const wizard = await api<{ columns: { name: string }[] }>('POST', '/api/sources/fields', {
      source: { type: 'csv', url: files.masked(), keyColumn: 'Id' },
      connectionId: id,
    });
    assert.equal(wizard.status, 200, JSON.stringify(wizard.body));
    assert.equal(wizard.body.columns.length, 2);
    // Without the connection, a masked address names no secret: refused, not fetched with "•••".
    const orphan = await api<{ error: { message: string } }>('POST', '/api/sources/fields', {
      source: { type: 'csv', url: files.masked() },
    });
    assert.equal(orphan.status, 400);
    assert.equal(
      orphan.body.error.message,
      `source.url: ${JSON.stringify(files.masked())} still has ${MASK} where a password or a query value was hidden, and is not this connection's saved address; type the whole address again, with its password and query`,
    );

    const run = await h.run(id);
    answers.push(JSON.stringify(run));
    assert.deepEqual([run.status, run.counts.sent], ['succeeded', 2], JSON.stringify(run));
    const runs = await api('GET', `/api/connections/${id}/runs`);
    assert.equal(runs.status, 200);
    assert.ok(files.authorized >= before + 4, `the source was read with its credentials (${files.authorized - before} times)`);
    assert.equal(files.refused, 0, 'no read went without the credentials');
  });

  test('a PATCH without the source, or with the masked address sent back, keeps the secret; a new address replaces it', async () => {
    const {
      lastRun: _l,
      rows: _r,
      ...before
    } = (await api<ConnectionBody & { lastRun: unknown; rows: unknown }>('GET', `/api/connections/${id}`)).body;

    // Another field only: everything else stays, and the source still reads.
    const renamed = await api<ConnectionBody>('PATCH', `/api/connections/${id}`, { name: 'Renamed' });
    assert.equal(renamed.status, 200, JSON.stringify(renamed.body));
    assert.deepEqual({ ...renamed.body, name: before.name, updatedAt: before.updatedAt }, before);
    files.rows.push({ Id: '3', Email: 'edsger@example.com' });
    assert.equal((await h.run(id)).counts.sent, 1);

    // The UI sends the settings it shows back, masked, with another setting changed.
    const edited = await api<ConnectionBody>('PATCH', `/api/connections/${id}`, {
      source: { type: 'csv', url: files.masked(), keyColumn: 'Id', delimiter: ',' },
    });
    assert.equal(edited.status, 200, JSON.stringify(edited.body));
    assert.deepEqual(edited.body.source, { type: 'csv', url: files.masked(), keyColumn: 'Id', delimiter: ',' });
    files.rows.push({ Id: '4', Email: 'barbara@example.com' });
    const afterEdit = await h.run(id);
    assert.deepEqual([afterEdit.status, afterEdit.counts.sent], ['succeeded', 1], JSON.stringify(afterEdit));

    // The masked address with another host (or path) would carry the old secret elsewhere: refused, nothing changed.
    const elsewhere = files.masked().replace('127.0.0.1', 'localhost');
    const moved = await api<{ error: { message: string } }>('PATCH', `/api/connections/${id}`, {
      source: { type: 'csv', url: elsewhere, keyColumn: 'Id' },
    });
    assert.equal(moved.status, 400);
    assert.equal(
      moved.body.error.message,
      `source.url: ${JSON.stringify(elsewhere)} still has ${MASK} where a password or a query value was hidden, and is not this connection's saved address; type the whole address again, with its password and query`,
    );
    assert.deepEqual((await api<ConnectionBody>('GET', `/api/connections/${id}`)).body.source.url, files.masked());

    // A new password: the new one is sealed and used, the old one is gone.
    files.password = PASS2;
    const replaced = await api<ConnectionBody>('PATCH', `/api/connections/${id}`, {
      source: { type: 'csv', url: files.url(PASS2), keyColumn: 'Id' },
    });
    assert.equal(replaced.status, 200, JSON.stringify(replaced.body));
    assert.equal(replaced.body.source.url, files.masked());
    const refusedBefore = files.refused;
    files.rows.push({ Id: '5', Email: 'margaret@example.com' });
    const withNew = await h.run(id);
    assert.deepEqual([withNew.status, withNew.counts.sent], ['succeeded', 1], JSON.stringify(withNew));
    assert.equal(files.refused, refusedBefore, 'the new password was sent');
  });

  test('a URL without a secret is kept and shown as it is', async () => {
    const plain = `http://127.0.0.1:${files.port}/public.csv`;
    const c = await createUrlConnection('Public file', plain);
    assert.equal(c.source.url, plain);
    const db = await h.openStore();
    try {
      const row = await db
        .selectFrom('connections')
        .select(['source_settings', 'source_secret_sealed'])
        .where('id', '=', c.id)
        .executeTakeFirstOrThrow();
      assert.deepEqual(row, { source_settings: JSON.stringify({ type: 'csv', url: plain, keyColumn: 'Id' }), source_secret_sealed: null });
    } finally {
      await db.destroy();
    }
  });

  test('a URL that fails to read: run errors, warnings and preview errors never show the secret', async () => {
    const missing = await createUrlConnection('Missing file', files.url(files.password, 'missing.csv'));
    const failed = await h.run(missing.id);
    answers.push(JSON.stringify(failed));
    assert.equal(failed.status, 'failed', JSON.stringify(failed));
    assert.ok(failed.error, 'the run says why it failed');
    const preview = await api<{ error: { message: string } }>('POST', `/api/connections/${missing.id}/preview`, {});
    assert.equal(preview.status, 422, JSON.stringify(preview.body));

    // Nothing listens on the port any more: a refused connection is described without the address's secrets.
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const gone = await createUrlConnection('Gone server', `http://reader:${PASS}@127.0.0.1:${port}/x.csv?token=${TOKEN}`);
    const goneRun = await h.run(gone.id);
    answers.push(JSON.stringify(goneRun));
    assert.equal(goneRun.status, 'failed', JSON.stringify(goneRun));

    // A URL refused at save time is repeated masked in the error.
    const bad = await api<{ error: { message: string } }>('POST', '/api/connections', {
      name: 'Bad',
      source: { type: 'csv', url: `ftp://reader:${PASS}@127.0.0.1/x.csv?token=${TOKEN}` },
      action: 'stripe.create_customer',
      accountId: account,
      mapping: { email: '{{Email}}' },
    });
    assert.equal(bad.status, 400);
    assert.match(bad.body.error.message, /^source\.url: "ftp:\/\/reader:•••@127\.0\.0\.1\/x\.csv\?token=•••" url must be a full http/);
  });

  test('sluice export carries the secret sealed; import restores a connection that still reads', async () => {
    const file = path.join(work, 'export.json');
    await runCli({ dataDir: h.dataDir, env: env() }, 'export', '--out', file);
    const text = fs.readFileSync(file, 'utf8');
    assertNoSecret(text, 'the export document');
    const doc = JSON.parse(text) as {
      version: number;
      connections: { id: string; source: { url?: string }; sourceSecretSealed: string | null }[];
    };
    assert.equal(doc.version, 2);
    const exported = doc.connections.find((c) => c.id === id);
    assert.equal(exported?.source.url, files.masked());
    assert.match(exported?.sourceSecretSealed ?? '', /^v1\./);

    const target = await startHarness({ env: { SLUICE_ENCRYPTION_KEY: KEY, SLUICE_ALLOW_PRIVATE_URLS: '1' }, logTo });
    try {
      const targetEnv = { ...target.storeEnv, SLUICE_ENCRYPTION_KEY: KEY, SLUICE_ALLOW_PRIVATE_URLS: '1' };
      const only = path.join(work, 'only.json');
      fs.writeFileSync(only, JSON.stringify({ ...doc, connections: [exported] }));
      // The import's baseline reads the source with the sealed credentials: the five rows there now.
      const { stdout } = await runCli({ dataDir: target.dataDir, env: targetEnv }, 'import', only);
      assert.match(stdout, /imported \d+ account\(s\) and 1 connection\(s\); 5 row\(s\) baselined/);
      const moved = await target.api<ConnectionBody>('GET', `/api/connections/${id}`);
      answers.push(JSON.stringify(moved.body));
      assert.equal(moved.body.source.url, files.masked());
      files.rows.push({ Id: '6', Email: 'frances@example.com' });
      const run = await target.run(id);
      assert.deepEqual([run.status, run.counts.sent], ['succeeded', 1], JSON.stringify(run));

      // A version 1 document (the URL in the clear, no sealed field) still imports, sealed on the way in.
      const v1 = path.join(work, 'v1.json');
      const { sourceSecretSealed: _, ...clear } = exported ?? { sourceSecretSealed: null };
      fs.writeFileSync(
        v1,
        JSON.stringify({ ...doc, version: 1, connections: [{ ...clear, source: { type: 'csv', url: files.url(), keyColumn: 'Id' } }] }),
      );
      await runCli({ dataDir: target.dataDir, env: targetEnv }, 'import', '--replace', v1);
      const fromV1 = await target.api<ConnectionBody>('GET', `/api/connections/${id}`);
      answers.push(JSON.stringify(fromV1.body));
      assert.equal(fromV1.body.source.url, files.masked());
      files.rows.push({ Id: '7', Email: 'radia@example.com' });
      assert.equal((await target.run(id)).counts.sent, 1);
      fs.rmSync(v1);
    } finally {
      await target.close();
    }
  });

  test('the store holds the secret only sealed, and no answer and no log line holds it', async () => {
    if (testStoreKind() === 'postgres') {
      const db = await h.openStore();
      try {
        const rows = await db.selectFrom('connections').selectAll().execute();
        assertNoSecret(JSON.stringify(rows), 'the connections table');
      } finally {
        await db.destroy();
      }
    } else {
      let read = 0;
      let masked = false;
      for (const name of ['sluice.db', 'sluice.db-wal']) {
        const file = path.join(h.dataDir, name);
        if (!fs.existsSync(file)) continue;
        const bytes = fs.readFileSync(file);
        read += bytes.length;
        for (const secret of SECRETS) assert.equal(bytes.indexOf(secret), -1, `${name} holds ${secret} in plain text`);
        masked ||= bytes.includes(`reader:${MASK}@`);
      }
      assert.ok(read > 0 && masked, 'the database files were read, and the masked address is seen in them');
    }
    for (const a of answers) assertNoSecret(a, 'an answer');
    assert.ok(logLines.length > 10, `the log was captured (${logLines.length} lines)`);
    assertNoSecret(logLines.join(''), 'the log');
  });
});

/** Runs `script` in a child Node with umask 0 and prints its stdout; the store code is the real one. */
function childWithUmask0(script: string): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', '--input-type=module', '-e', `process.umask(0);\n${script}`],
      { cwd: root },
      (error, stdout, stderr) => (error ? reject(new Error(`${error.message}\n${stderr}`)) : resolve(stdout)),
    );
  });
}

const modesScript = (dataDir: string) => `
import fs from 'node:fs';
import { openStore } from './src/store/db.ts';
const dir = ${JSON.stringify(dataDir)};
const db = await openStore({ dataDir: dir });
await db.insertInto('api_keys').values({ id: 'key_' + Date.now(), name: 'n', key_hash: 'h' + Date.now(), key_prefix: 'p', created_at: 'x', last_used_at: null }).execute();
const modes = {};
for (const f of ['sluice.db', 'sluice.db-wal', 'sluice.db-shm']) modes[f] = (fs.statSync(dir + '/' + f).mode & 0o777).toString(8);
modes['.'] = (fs.statSync(dir).mode & 0o777).toString(8);
process.stdout.write(JSON.stringify(modes));
await db.destroy();
`;

describe('the SQLite files', () => {
  test('sluice.db, -wal and -shm are 0600 under umask 0 in a 0777 folder, and a folder Sluice makes is 0700', async () => {
    const open = tempDir('sluice-modes-');
    try {
      fs.chmodSync(open, 0o777);
      const dataDir = path.join(open, 'data');
      const modes = JSON.parse(await childWithUmask0(modesScript(dataDir))) as Record<string, string>;
      assert.deepEqual(modes, { 'sluice.db': '600', 'sluice.db-wal': '600', 'sluice.db-shm': '600', '.': '700' });
    } finally {
      fs.rmSync(open, { recursive: true, force: true });
    }
  });

  test("an existing install's readable files are made 0600 at start; an operator's folder keeps its mode", async () => {
    const dataDir = tempDir('sluice-modes-');
    try {
      fs.chmodSync(dataDir, 0o750);
      await childWithUmask0(modesScript(dataDir));
      // As an older Sluice (or a copy) left them: readable by everyone.
      fs.chmodSync(path.join(dataDir, 'sluice.db'), 0o644);
      fs.writeFileSync(path.join(dataDir, 'sluice.db-wal'), '', { mode: 0o666 });
      fs.chmodSync(path.join(dataDir, 'sluice.db-wal'), 0o666);
      const modes = JSON.parse(await childWithUmask0(modesScript(dataDir))) as Record<string, string>;
      assert.deepEqual(modes, { 'sluice.db': '600', 'sluice.db-wal': '600', 'sluice.db-shm': '600', '.': '750' });
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe('the Google OAuth state', () => {
  const CLIENT = 'sluice-client.apps.googleusercontent.com';
  let google: GoogleEmulator;
  let o: Harness;
  let skewMs = 0;
  let first: BrowserSession;
  let second: BrowserSession;

  before(async () => {
    google = await startGoogleEmulator({ port: 0 });
    google.registerOAuthClient(CLIENT, 'client-secret');
    google.setOAuthUser('person@example.com');
    o = await startHarness({
      env: { ...googleEnv(google), GOOGLE_OAUTH_CLIENT_ID: CLIENT, GOOGLE_OAUTH_CLIENT_SECRET: 'client-secret' },
      now: () => new Date(Date.now() + skewMs),
    });
    first = await browserSession(o.sluice.url, { setup: true });
    second = await browserSession(o.sluice.url);
  });
  after(async () => {
    await o.close();
    await google.close();
  });

  /** Starts "Connect Google account" as `session`'s browser and goes through Google's consent: the callback URL Google sends the browser to. */
  async function consented(session: BrowserSession, name = 'Person'): Promise<string> {
    const res = await fetch(`${o.sluice.url}/api/accounts/google/connect`, asBrowser(session, { method: 'POST', json: { name } }));
    const body = (await res.json()) as { authUrl: string };
    assert.equal(res.status, 200, JSON.stringify(body));
    const consent = await fetch(body.authUrl, { redirect: 'manual' });
    assert.equal(consent.status, 302);
    return String(consent.headers.get('location'));
  }

  async function callback(url: string, session: BrowserSession | undefined) {
    const res = await fetch(url, asBrowser(session, { headers: { accept: 'application/json' } }));
    return { status: res.status, body: (await res.json()) as { name?: string; error?: { message: string } } };
  }

  const AGAIN = 'start "Connect Google account" again';

  test('a good state works once; replayed, it is refused', async () => {
    const url = await consented(first, 'Once');
    const ok = await callback(url, first);
    assert.equal(ok.status, 201, JSON.stringify(ok.body));
    assert.equal(ok.body.name, 'Once');
    const replay = await callback(url, first);
    assert.deepEqual(replay, {
      status: 400,
      body: { error: { message: `the link is not one this Sluice started, or it was used already; ${AGAIN}` } },
    });
  });

  test('two callbacks at once with one state: exactly one connects (the state is taken by one delete … returning)', async () => {
    const url = await consented(first, 'Raced');
    const answers = await Promise.all([callback(url, first), callback(url, first), callback(url, first)]);
    assert.deepEqual(answers.map((a) => a.status).sort(), [201, 400, 400], JSON.stringify(answers));
    const { body } = await o.api<{ data: { name: string }[] }>('GET', '/api/accounts');
    assert.equal(body.data.filter((a) => a.name === 'Raced').length, 1);
  });

  test("another browser's session, or none, is refused; the session that started it still can", async () => {
    const url = await consented(first, 'Mine');
    assert.deepEqual(await callback(url, second), {
      status: 400,
      body: { error: { message: `the link was started in another browser or login session; ${AGAIN} from this one` } },
    });
    assert.deepEqual(await callback(url, undefined), {
      status: 400,
      body: {
        error: {
          message: `this browser is not logged in to Sluice; log in, then ${AGAIN} (the link works only in the session that started it)`,
        },
      },
    });
    const ok = await callback(url, first);
    assert.equal(ok.status, 201, JSON.stringify(ok.body));
  });

  test('an expired state is refused (15 minutes)', async () => {
    const url = await consented(first, 'Late');
    skewMs = 15 * 60_000 + 1000;
    try {
      assert.deepEqual(await callback(url, first), {
        status: 400,
        body: { error: { message: `the link has expired (15 minutes); ${AGAIN}` } },
      });
    } finally {
      skewMs = 0;
    }
    // And it is gone: coming back in time does not revive it.
    assert.equal((await callback(url, first)).status, 400);
  });

  test('an API key cannot start it: there is no browser session to bind the state to', async () => {
    const res = await o.api<{ error: { message: string } }>('POST', '/api/accounts/google/connect', { name: 'Script' });
    assert.equal(res.status, 403);
    assert.equal(
      res.body.error.message,
      '"Connect Google account" must be started from the web UI, logged in: Google sends the browser back to Sluice, and the link works only in the login session that started it. An API key has no such session; log in to the web UI, or add a service account (POST /api/accounts) instead',
    );
  });
});
