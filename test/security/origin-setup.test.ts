import assert from 'node:assert/strict';
import http from 'node:http';
import { Writable } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import { loadConfig } from '../../src/config.js';
import { startSluice, type Sluice } from '../../src/server/start.js';
import { freePort } from '../support/child-sluice.js';
import { startHarness, tempDir, type Harness } from '../support/harness.js';

/**
 * Issue 13, point 3: the Origin check compares against the addresses Sluice is served on, never
 * the request's Host (DNS rebinding); a loopback Sluice answers only to its own names; a Sluice
 * other machines can reach needs the one-time setup code from its log to create the owner; and
 * HOST off loopback without SLUICE_PUBLIC_URL says why that is a problem.
 *
 * "Off loopback" is real: such a Sluice binds 0.0.0.0, and the tests reach it through 127.0.0.1.
 */

const OWNER = { email: 'owner@example.com', password: 'correct horse battery staple' };
const CODE = /setup code: ([0-9A-Z]{4}(?:-[0-9A-Z]{4}){3})/;
const WHERE =
  'the one-time setup code is printed in the server\'s log at start (look for "setup code"; with Docker Compose: docker compose logs serve), or create the owner on the server with `sluice owner create`';
const CODE_MISSING = `setupCode: is required, since this Sluice can be reached from other machines; ${WHERE}`;
const CODE_WRONG = `setupCode: the code is wrong or was used already; ${WHERE}`;

/** A log sink the test reads: every line Sluice wrote. */
function logSink(): { stream: Writable; text(): string } {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  return { stream, text: () => lines.join('') };
}

interface Answer {
  status: number;
  body: { error?: { message: string; errors?: { field: string; message: string }[] }; csrfToken?: string } & Record<string, unknown>;
  cookie?: string;
}

/**
 * A request through node:http, which sends the Host header it is given (fetch replaces it with the
 * URL's), as a browser does for a page whose name DNS re-pointed at Sluice.
 */
function call(base: string, method: string, path: string, o: { body?: unknown; headers?: Record<string, string> } = {}): Promise<Answer> {
  const payload = o.body === undefined ? undefined : JSON.stringify(o.body);
  return new Promise((resolve, reject) => {
    const req = http.request(
      `${base}${path}`,
      { method, headers: { ...(payload !== undefined && { 'content-type': 'application/json' }), ...o.headers } },
      (res) => {
        let text = '';
        res.on('data', (d: Buffer) => (text += d.toString()));
        res.on('end', () => {
          const setCookie = (res.headers['set-cookie'] ?? []).find((c) => c.startsWith('sluice_session='));
          const cookie = /^sluice_session=([^;]*)/.exec(setCookie ?? '')?.[1];
          resolve({ status: res.statusCode ?? 0, body: text ? (JSON.parse(text) as Answer['body']) : {}, ...(cookie && { cookie }) });
        });
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

/** Sets the owner up (no code: a loopback Sluice) and returns a session: its cookie and CSRF token. */
async function ownerSession(base: string, setupCode?: string): Promise<{ cookie: string; csrf: string }> {
  const res = await call(base, 'POST', '/api/session/setup', { body: { ...OWNER, ...(setupCode && { setupCode }) } });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return { cookie: res.cookie!, csrf: res.body.csrfToken! };
}

const ACCOUNT = { name: 'Rebound', secretKey: 'sk_test_51SluiceTestKey000000000000abcd' };

describe('a Sluice bound to loopback', () => {
  let h: Harness;
  let port: number;
  const log = logSink();
  before(async () => {
    h = await startHarness({ logTo: log.stream });
    port = Number(new URL(h.sluice.url).port);
  });
  after(() => h?.close());

  test('a DNS-rebinding page cannot create the owner: its Host is refused with 421, and its Origin would be too', async () => {
    const rebound = { host: `evil.example:${port}`, origin: `http://evil.example:${port}` };
    const session = await call(h.sluice.url, 'GET', '/api/session', { headers: rebound });
    assert.equal(session.status, 421);
    assert.equal(
      session.body.error?.message,
      `Host: "evil.example:${port}" is not an address this Sluice answers to; it listens on loopback and answers to 127.0.0.1:${port}, localhost:${port}, [::1]:${port} (behind a proxy that sends another name, set SLUICE_PUBLIC_URL to the address browsers use)`,
    );
    const setup = await call(h.sluice.url, 'POST', '/api/session/setup', { body: OWNER, headers: rebound });
    assert.equal(setup.status, 421);
    // The Origin alone, with the right Host, is refused as well.
    const foreign = await call(h.sluice.url, 'POST', '/api/session/setup', { body: OWNER, headers: { origin: rebound.origin } });
    assert.equal(foreign.status, 403);
    assert.equal(
      foreign.body.error?.message,
      `Origin: "http://evil.example:${port}" is not this server's origin (http://127.0.0.1:${port}); requests from other sites' pages are refused`,
    );
    assert.equal((await call(h.sluice.url, 'GET', '/api/session')).body.setupRequired, true);
  });

  test('on loopback the owner is created as before, with no code; no code is printed and no warning', async () => {
    const state = await call(h.sluice.url, 'GET', '/api/session');
    assert.deepEqual(state.body, { setupRequired: true, setupCodeRequired: false, user: null, csrfToken: null });
    await ownerSession(h.sluice.url);
    assert.doesNotMatch(log.text(), /setup code|SLUICE_PUBLIC_URL is not set/);
  });

  test('a rebinding request carrying the session cookie and CSRF token is refused; the loopback names are accepted', async () => {
    const login = await call(h.sluice.url, 'POST', '/api/session/login', { body: OWNER });
    const { cookie, csrfToken: csrf } = { cookie: login.cookie!, csrfToken: login.body.csrfToken! };
    const withSession = { cookie: `sluice_session=${cookie}`, 'x-csrf-token': csrf };
    const rebound = await call(h.sluice.url, 'POST', '/api/accounts', {
      body: ACCOUNT,
      headers: { ...withSession, host: `evil.example:${port}`, origin: `http://evil.example:${port}` },
    });
    assert.equal(rebound.status, 421);
    for (const name of ['127.0.0.1', 'localhost', '[::1]']) {
      const own = await call(h.sluice.url, 'POST', '/api/accounts', {
        body: ACCOUNT,
        headers: { ...withSession, host: `${name}:${port}`, origin: `http://${name}:${port}` },
      });
      assert.equal(own.status, 201, `${name}: ${JSON.stringify(own.body)}`);
    }
    // A loopback name without its port (as scripts send it) is no rebinding page: answered.
    assert.equal((await call(h.sluice.url, 'GET', '/api/session', { headers: { host: '127.0.0.1' } })).status, 200);
    // Another port on loopback is another site.
    const otherPort = await call(h.sluice.url, 'POST', '/api/accounts', {
      body: ACCOUNT,
      headers: { ...withSession, origin: `http://127.0.0.1:${port + 1}` },
    });
    assert.equal(otherPort.status, 403);
  });
});

describe('a Sluice bound to 0.0.0.0 with SLUICE_PUBLIC_URL', () => {
  let h: Harness;
  let base: string;
  const log = logSink();
  before(async () => {
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    h = await startHarness({ logTo: log.stream, env: { HOST: '0.0.0.0', PORT: String(port), SLUICE_PUBLIC_URL: base } });
  });
  after(() => h?.close());
  const code = () => CODE.exec(log.text())?.[1];

  test('it prints a setup code once at start, and says a code is needed; no warning about the public URL', () => {
    assert.match(code() ?? '', /^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){3}$/);
    assert.equal(log.text().split(code()!).length, 2, 'the code appears more than once in the log');
    assert.doesNotMatch(log.text(), /SLUICE_PUBLIC_URL is not set/);
  });

  test('GET /api/session tells the UI that a code is needed', async () => {
    const state = await call(base, 'GET', '/api/session');
    assert.deepEqual(state.body, { setupRequired: true, setupCodeRequired: true, user: null, csrfToken: null });
  });

  test('setup without the code, or with a wrong one, is refused with 403 naming where the code is', async () => {
    const cases: [Record<string, string>, string][] = [
      [{}, CODE_MISSING],
      [{ setupCode: '  ' }, CODE_MISSING],
      [{ setupCode: 'AAAA-BBBB-CCCC-DDDD' }, CODE_WRONG],
      [{ setupCode: 'not a code at all' }, CODE_WRONG],
    ];
    for (const [extra, message] of cases) {
      const res = await call(base, 'POST', '/api/session/setup', { body: { ...OWNER, ...extra } });
      assert.equal(res.status, 403, JSON.stringify(extra));
      assert.equal(res.body.error?.message, message);
      assert.deepEqual(res.body.error?.errors, [{ field: 'setupCode', message }]);
      assert.equal(res.cookie, undefined);
    }
    assert.equal((await call(base, 'GET', '/api/session')).body.setupRequired, true);
  });

  test('the right code with a bad password is refused for the password, and the code stays usable', async () => {
    const res = await call(base, 'POST', '/api/session/setup', { body: { email: OWNER.email, password: 'short', setupCode: code() } });
    assert.equal(res.status, 400);
    assert.equal(res.body.error?.message, 'password: must be at least 10 characters');
    const rows = await h.sluice.engine.db.selectFrom('setup_codes').select('id').execute();
    assert.equal(rows.length, 1);
  });

  test("a rebinding page's request (Host and Origin its own) with the session cookie is refused", async () => {
    // The code as a person may type it: lower case, without dashes, with an O for a 0.
    const typed = code()!.toLowerCase().replace(/-/g, ' ').replace(/0/g, 'o');
    const { cookie, csrf } = await ownerSession(base, typed);
    const res = await call(base, 'POST', '/api/accounts', {
      body: ACCOUNT,
      headers: { cookie: `sluice_session=${cookie}`, 'x-csrf-token': csrf, host: 'evil.example', origin: 'http://evil.example' },
    });
    assert.equal(res.status, 403);
    assert.equal(
      res.body.error?.message,
      `Origin: "http://evil.example" is not this server's origin (${base}); requests from other sites' pages are refused`,
    );
    // Nor do loopback names count for a Sluice bound elsewhere: only the public URL's origin.
    const port = new URL(base).port;
    const local = await call(base, 'POST', '/api/accounts', {
      body: ACCOUNT,
      headers: { cookie: `sluice_session=${cookie}`, 'x-csrf-token': csrf, origin: `http://localhost:${port}` },
    });
    assert.equal(local.status, 403);
    const own = await call(base, 'POST', '/api/accounts', {
      body: ACCOUNT,
      headers: { cookie: `sluice_session=${cookie}`, 'x-csrf-token': csrf, origin: base },
    });
    assert.equal(own.status, 201, JSON.stringify(own.body));
  });

  test('the code is single use: it is gone with the owner, and never logged or returned again', async () => {
    const again = await call(base, 'POST', '/api/session/setup', { body: { ...OWNER, email: 'second@example.com', setupCode: code() } });
    assert.equal(again.status, 409);
    assert.equal(again.body.error?.message, 'the owner already exists; log in instead');
    assert.deepEqual(await h.sluice.engine.db.selectFrom('setup_codes').selectAll().execute(), []);
    assert.equal(log.text().split(code()!).length, 2, 'the code was logged again');
    assert.deepEqual((await call(base, 'GET', '/api/session')).body.setupCodeRequired, false);
  });

  test('setup attempts are rate-limited per client address: the 11th in a minute gets 429', async () => {
    // Seven attempts were made above; three more are allowed, then 429.
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) {
      statuses.push((await call(base, 'POST', '/api/session/setup', { body: { ...OWNER, setupCode: 'AAAA-BBBB-CCCC-DDDD' } })).status);
    }
    assert.deepEqual(statuses, [409, 409, 409, 429]);
    const limited = await call(base, 'POST', '/api/session/setup', { body: { ...OWNER, setupCode: 'AAAA-BBBB-CCCC-DDDD' } });
    assert.match(limited.body.error?.message ?? '', /^too many setup attempts; try again in \d+ seconds$/);
  });
});

describe('HOST off loopback without SLUICE_PUBLIC_URL', () => {
  test('prints a warning that says why and what to set', async () => {
    const log = logSink();
    const h = await startHarness({ logTo: log.stream, env: { HOST: '0.0.0.0' } });
    try {
      const warning = log
        .text()
        .split('\n')
        .filter((l) => l.includes('SLUICE_PUBLIC_URL is not set'))
        .map((l) => JSON.parse(l) as { level: number; msg: string });
      assert.equal(warning.length, 1, log.text());
      assert.equal(warning[0]!.level, 40);
      assert.equal(
        warning[0]!.msg,
        `HOST=0.0.0.0 listens on an address other machines can reach, but SLUICE_PUBLIC_URL is not set: hook URLs will read ${h.sluice.engine.publicUrl}, and the web UI refuses to sign in from any other address (a page's Origin is compared with SLUICE_PUBLIC_URL, never with the Host header, which a DNS-rebinding page chooses). Set SLUICE_PUBLIC_URL to the address browsers and web forms use, e.g. https://sluice.example.com`,
      );
      assert.match(log.text(), CODE);
    } finally {
      await h.close();
    }
  });
});

describe('a loopback Sluice behind a proxy (SLUICE_PUBLIC_URL names another host)', () => {
  test('needs the setup code too, and answers to the public name', async () => {
    const log = logSink();
    const h = await startHarness({ logTo: log.stream, env: { SLUICE_PUBLIC_URL: 'https://sluice.example.com' } });
    try {
      const state = await call(h.sluice.url, 'GET', '/api/session', { headers: { host: 'sluice.example.com' } });
      assert.equal(state.status, 200);
      assert.equal(state.body.setupCodeRequired, true);
      assert.match(log.text(), CODE);
      const refused = await call(h.sluice.url, 'POST', '/api/session/setup', {
        body: OWNER,
        headers: { host: 'sluice.example.com', origin: 'https://sluice.example.com' },
      });
      assert.equal(refused.status, 403);
      assert.equal(refused.body.error?.message, CODE_MISSING);
    } finally {
      await h.close();
    }
  });
});

describe('several serve processes on one store', () => {
  test("each prints its own code, and any process accepts any one's code", async () => {
    const dataDir = tempDir('sluice-codes-');
    const logs = [logSink(), logSink()];
    const sluices: Sluice[] = [];
    try {
      for (const log of logs) {
        const port = await freePort();
        const config = loadConfig({
          HOST: '0.0.0.0',
          PORT: String(port),
          SLUICE_PUBLIC_URL: `http://127.0.0.1:${port}`,
          SLUICE_DATA_DIR: dataDir,
        });
        sluices.push(await startSluice(config, { worker: false, logTo: log.stream }));
      }
      const [first, second] = logs.map((l) => CODE.exec(l.text())?.[1]);
      assert.ok(first && second && first !== second, `codes: ${first}, ${second}`);
      const base = `http://127.0.0.1:${new URL(sluices[1]!.engine.publicUrl).port}`;
      await ownerSession(base, first);
      assert.deepEqual(await sluices[0]!.engine.db.selectFrom('setup_codes').selectAll().execute(), []);
    } finally {
      for (const s of sluices) await s.close();
    }
  });
});
