import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import { Writable } from 'node:stream';
import { after, before, test } from 'node:test';
import { runCli, startHarness, tempDir, TEST_KEY, type Harness } from './support/harness.js';

/**
 * Login for the web UI: the owner is created once, a session cookie stands in for the API key, and
 * a cookie-authenticated change needs the session's CSRF token. API keys keep working beside it.
 */

const OWNER = { email: 'owner@example.com', password: 'correct horse battery staple' };
const CSRF_REFUSED = 'missing or invalid CSRF token; reload the page';
const WRONG = { error: { message: 'wrong email or password' } };

interface Answer<T> {
  status: number;
  body: T;
  headers: Headers;
  /** The session cookie's Set-Cookie line, when the answer has one. */
  setCookie?: string;
}

interface Started {
  user: { id: string; email: string };
  csrfToken: string;
}

/** Everything secret the tests saw, to look for in the logs at the end. */
const secrets = new Set<string>([OWNER.password]);

/** A request as a browser (or a script) would send it: `cookie` is the session token, `csrf` the header. */
async function call<T = Record<string, unknown>>(
  base: string,
  method: string,
  path: string,
  o: { cookie?: string; csrf?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<Answer<T>> {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: {
      ...(o.cookie !== undefined && { cookie: `sluice_session=${o.cookie}` }),
      ...(o.csrf !== undefined && { 'x-csrf-token': o.csrf }),
      ...(o.body !== undefined && { 'content-type': 'application/json' }),
      ...o.headers,
    },
    ...(o.body !== undefined && { body: JSON.stringify(o.body) }),
  });
  const text = await res.text();
  const setCookie = res.headers.getSetCookie().find((c) => c.startsWith('sluice_session='));
  return { status: res.status, body: (text ? JSON.parse(text) : {}) as T, headers: res.headers, ...(setCookie && { setCookie }) };
}

/** The token a Set-Cookie line sets. */
function tokenOf(setCookie: string | undefined): string {
  const token = /^sluice_session=([^;]*)/.exec(setCookie ?? '')?.[1];
  assert.ok(token, `no session cookie in ${setCookie}`);
  secrets.add(token);
  return token;
}

let clients = 0;

/**
 * Logs in as the owner from an address of its own (through inject), so that the many tests that
 * only need a session stay clear of the login limit of 10 a minute per address.
 */
async function login(): Promise<{ cookie: string; csrf: string }> {
  const res = await h.sluice.app.inject({
    method: 'POST',
    url: '/api/session/login',
    remoteAddress: `10.1.${++clients}.1`,
    // inject's own Host (localhost:80) is not the port Sluice listens on, which a loopback Sluice refuses.
    headers: { host: new URL(url).host },
    payload: OWNER,
  });
  assert.equal(res.statusCode, 200, res.body);
  const csrf = (res.json() as Started).csrfToken;
  secrets.add(csrf);
  return { cookie: tokenOf([res.headers['set-cookie'] ?? []].flat().find((c) => c.startsWith('sluice_session='))), csrf };
}

const sha256 = (s: string) => crypto.createHash('sha256').update(s).digest('hex');

let h: Harness;
let url: string;
const logs: string[] = [];

before(async () => {
  const logTo = new Writable({
    write(chunk: Buffer, _encoding, done) {
      logs.push(chunk.toString());
      done();
    },
  });
  h = await startHarness({ logTo });
  url = h.sluice.url;
});
after(async () => {
  await h.close();
});

test('a fresh Sluice asks for the owner to be set up', async () => {
  const res = await call(url, 'GET', '/api/session');
  assert.equal(res.status, 200);
  // On loopback no setup code is needed (test/security/origin-setup.test.ts covers the other case).
  assert.deepEqual(res.body, { setupRequired: true, setupCodeRequired: false, user: null, csrfToken: null });
});

test('setup refuses a bad email or password, naming the field and what is allowed', async () => {
  const cases: [unknown, string][] = [
    [
      { email: 'not-an-email', password: OWNER.password },
      'email: "not-an-email" is not an email address; use one such as owner@example.com',
    ],
    [{ email: OWNER.email, password: 'short pw' }, 'password: must be at least 10 characters'],
    [{ email: OWNER.email, password: 'x'.repeat(201) }, 'password: must be at most 200 characters'],
    [{ email: OWNER.email }, 'password: is required'],
    [{ ...OWNER, role: 'admin' }, 'unknown field(s) "role"'],
  ];
  for (const [body, message] of cases) {
    const res = await call<{ error: { message: string } }>(url, 'POST', '/api/session/setup', { body });
    assert.equal(res.status, 400, JSON.stringify(body));
    assert.equal(res.body.error.message, message);
    assert.equal(res.setCookie, undefined);
  }
  // The password is never repeated back, even when it is the problem.
  const res = await call(url, 'POST', '/api/session/setup', { body: { email: OWNER.email, password: 'hunter2!!' } });
  assert.ok(!JSON.stringify(res.body).includes('hunter2'));
  assert.equal((await call(url, 'GET', '/api/session')).body.setupRequired, true);
});

test('racing setups create exactly one owner; later setups get 409', async () => {
  const emails = ['  Owner@Example.com ', 'b@example.com', 'c@example.com', 'd@example.com', 'e@example.com'];
  const answers = await Promise.all(
    emails.map((email) =>
      call<Started & { error?: { message: string } }>(url, 'POST', '/api/session/setup', { body: { ...OWNER, email } }),
    ),
  );
  const won = answers.filter((a) => a.status === 201);
  assert.equal(won.length, 1, answers.map((a) => a.status).join(','));
  for (const a of answers.filter((x) => x.status !== 201)) {
    assert.equal(a.status, 409);
    assert.deepEqual(a.body, { error: { message: 'the owner already exists; log in instead' } });
    assert.equal(a.setCookie, undefined);
  }
  const users = await h.sluice.engine.db.selectFrom('users').selectAll().execute();
  assert.equal(users.length, 1);
  // Whichever won, rename it to the owner's address so the rest of the file can log in.
  await h.sluice.engine.db.updateTable('users').set({ email: OWNER.email }).execute();
  const winner = won[0]!;
  secrets.add(winner.body.csrfToken);
  tokenOf(winner.setCookie);

  const again = await call(url, 'POST', '/api/session/setup', { body: { email: 'late@example.com', password: OWNER.password } });
  assert.equal(again.status, 409);
  assert.deepEqual(again.body, { error: { message: 'the owner already exists; log in instead' } });
  assert.equal((await call(url, 'GET', '/api/session')).body.setupRequired, false);
});

test('setup begins a session for the owner, with the email stored trimmed and lower-cased', async () => {
  const fresh = await startHarness();
  try {
    const res = await call<Started>(fresh.sluice.url, 'POST', '/api/session/setup', {
      body: { email: '  Boss@Example.COM ', password: OWNER.password },
    });
    assert.equal(res.status, 201);
    assert.equal(res.body.user.email, 'boss@example.com');
    assert.match(res.body.user.id, /^usr_/);
    secrets.add(res.body.csrfToken);
    const cookie = tokenOf(res.setCookie);
    const session = await call(fresh.sluice.url, 'GET', '/api/session', { cookie });
    assert.deepEqual(session.body, { setupRequired: false, setupCodeRequired: false, user: res.body.user, csrfToken: res.body.csrfToken });
  } finally {
    await fresh.close();
  }
});

test('the password is stored as a slow hash, the session token as its sha256', async () => {
  const { cookie } = await login();
  const user = await h.sluice.engine.db.selectFrom('users').selectAll().executeTakeFirstOrThrow();
  assert.equal(user.email, OWNER.email);
  assert.equal(user.role, 'owner');
  assert.match(user.password_hash, /^scrypt\$32768\$8\$1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
  assert.ok(!user.password_hash.includes(OWNER.password));
  const sessions = await h.sluice.engine.db.selectFrom('sessions').selectAll().execute();
  assert.ok(sessions.some((s) => s.token_hash === sha256(cookie)));
  assert.ok(!JSON.stringify(sessions).includes(cookie), 'a session token is stored as itself');
});

test('a wrong password and an unknown email get the same 401', async () => {
  const wrongPassword = await call(url, 'POST', '/api/session/login', { body: { ...OWNER, password: 'not the password!' } });
  const unknownEmail = await call(url, 'POST', '/api/session/login', { body: { ...OWNER, email: 'nobody@example.com' } });
  for (const res of [wrongPassword, unknownEmail]) {
    assert.equal(res.status, 401);
    assert.deepEqual(res.body, WRONG);
    assert.equal(res.setCookie, undefined);
  }
  // The email is matched as stored: trimmed and lower-cased.
  const right = await call<Started>(url, 'POST', '/api/session/login', { body: { ...OWNER, email: ' OWNER@example.com' } });
  assert.equal(right.status, 200);
  assert.equal(right.body.user.email, OWNER.email);
  secrets.add(right.body.csrfToken);
  tokenOf(right.setCookie);
});

test('the session cookie is HttpOnly, SameSite=Lax, Path=/, lasts 14 days, and is not Secure over plain http', async () => {
  const res = await call(url, 'POST', '/api/session/login', { body: OWNER });
  tokenOf(res.setCookie);
  const attributes = res.setCookie!.split(';').map((a) => a.trim().toLowerCase());
  assert.ok(attributes.includes('httponly'), res.setCookie);
  assert.ok(attributes.includes('samesite=lax'), res.setCookie);
  assert.ok(attributes.includes('path=/'), res.setCookie);
  assert.ok(attributes.includes(`max-age=${14 * 24 * 3600}`), res.setCookie);
  assert.ok(!attributes.includes('secure'), res.setCookie);
});

test('the session cookie is Secure when the public URL is https://', async () => {
  const plain = h.sluice.engine.publicUrl;
  h.sluice.engine.publicUrl = 'https://sluice.example.com';
  try {
    const res = await call(url, 'POST', '/api/session/login', { body: OWNER });
    assert.equal(res.status, 200);
    tokenOf(res.setCookie);
    assert.ok(
      res.setCookie!.split(';').some((a) => a.trim().toLowerCase() === 'secure'),
      res.setCookie,
    );
  } finally {
    h.sluice.engine.publicUrl = plain;
  }
});

test('a session cookie reads the API; a change needs the CSRF token', async () => {
  const { cookie, csrf } = await login();
  const list = await call<{ data: unknown[] }>(url, 'GET', '/api/accounts', { cookie });
  assert.equal(list.status, 200);
  const before = list.body.data.length;

  const account = { name: 'Cookie', secretKey: TEST_KEY };
  const stripeCalls = h.emulator.requests().length;
  for (const csrfHeader of [undefined, '', 'x'.repeat(43), csrf.slice(0, -1)]) {
    const res = await call(url, 'POST', '/api/accounts', { cookie, body: account, ...(csrfHeader !== undefined && { csrf: csrfHeader }) });
    assert.equal(res.status, 403, `X-CSRF-Token: ${csrfHeader}`);
    assert.deepEqual(res.body, { error: { message: CSRF_REFUSED } });
  }
  assert.equal(h.emulator.requests().length, stripeCalls, 'a refused request reached Stripe');
  assert.equal((await call<{ data: unknown[] }>(url, 'GET', '/api/accounts', { cookie })).body.data.length, before);

  const made = await call<{ id: string }>(url, 'POST', '/api/accounts', { cookie, csrf, body: account });
  assert.equal(made.status, 201, JSON.stringify(made.body));
  for (const [method, path] of [
    ['POST', `/api/accounts/${made.body.id}/check`],
    ['DELETE', `/api/accounts/${made.body.id}`],
    ['PATCH', '/api/connections/con_unknown'],
  ] as const) {
    const res = await call(url, method, path, { cookie, body: {} });
    assert.equal(res.status, 403, `${method} ${path}`);
  }
  assert.equal((await call(url, 'DELETE', `/api/accounts/${made.body.id}`, { cookie, csrf })).status, 204);
});

test("one session's CSRF token does not work with another session", async () => {
  const a = await login();
  const b = await login();
  assert.notEqual(a.csrf, b.csrf);
  const res = await call(url, 'POST', '/api/accounts', { cookie: a.cookie, csrf: b.csrf, body: { name: 'x', secretKey: TEST_KEY } });
  assert.equal(res.status, 403);
});

test("a cookie-authenticated change from another site's page is refused, even with the CSRF token", async () => {
  const { cookie, csrf } = await login();
  const body = { name: 'Cross', secretKey: TEST_KEY };
  for (const origin of ['https://evil.example', 'null', 'http://127.0.0.1:1']) {
    const res = await call<{ error: { message: string } }>(url, 'POST', '/api/accounts', { cookie, csrf, body, headers: { origin } });
    assert.equal(res.status, 403, origin);
    assert.equal(
      res.body.error.message,
      `Origin: ${JSON.stringify(origin)} is not this server's origin (${h.sluice.engine.publicUrl}); requests from other sites' pages are refused`,
    );
  }
  // Login and setup refuse a foreign page too.
  const foreignLogin = await call(url, 'POST', '/api/session/login', { body: OWNER, headers: { origin: 'https://evil.example' } });
  assert.equal(foreignLogin.status, 403);
  // The server's own origin is fine.
  const own = await call<{ id: string }>(url, 'POST', '/api/accounts', { cookie, csrf, body, headers: { origin: url } });
  assert.equal(own.status, 201, JSON.stringify(own.body));
  assert.equal((await h.api('DELETE', `/api/accounts/${own.body.id}`)).status, 204);
});

test('API keys work as before, with no CSRF token, even from another origin', async () => {
  const made = await call<{ id: string }>(url, 'POST', '/api/accounts', {
    headers: { authorization: `Bearer ${h.apiKey}`, origin: 'https://zapier.example' },
    body: { name: 'Key', secretKey: TEST_KEY },
  });
  assert.equal(made.status, 201, JSON.stringify(made.body));
  assert.equal((await h.api('DELETE', `/api/accounts/${made.body.id}`)).status, 204);
  // A wrong key is judged alone: a session cookie beside it does not rescue it.
  const { cookie } = await login();
  const res = await call<{ error: { message: string } }>(url, 'GET', '/api/accounts', {
    cookie,
    headers: { authorization: `Bearer slk_${'A'.repeat(43)}` },
  });
  assert.equal(res.status, 401);
});

test('without a key or a live session the 401 is the same as before', async () => {
  for (const cookie of [undefined, 'garbage', 'A'.repeat(43)]) {
    const res = await call(url, 'GET', '/api/accounts', { ...(cookie !== undefined && { cookie }) });
    assert.equal(res.status, 401);
    assert.equal(res.headers.get('www-authenticate'), 'Bearer');
    assert.deepEqual(res.body, { error: { message: 'a valid API key is required: Authorization: Bearer <key>' } });
  }
  const session = await call(url, 'GET', '/api/session', { cookie: 'A'.repeat(43) });
  assert.deepEqual(session.body, { setupRequired: false, setupCodeRequired: false, user: null, csrfToken: null });
});

test('logout needs the CSRF token, ends the session and clears the cookie', async () => {
  const { cookie, csrf } = await login();
  const refused = await call(url, 'POST', '/api/session/logout', { cookie });
  assert.equal(refused.status, 403);
  assert.deepEqual(refused.body, { error: { message: CSRF_REFUSED } });
  assert.equal((await call(url, 'GET', '/api/accounts', { cookie })).status, 200, 'a refused logout ended the session');

  const out = await call(url, 'POST', '/api/session/logout', { cookie, csrf, body: {} });
  assert.equal(out.status, 204);
  assert.match(out.setCookie ?? '', /^sluice_session=;/);
  assert.match(out.setCookie ?? '', /Max-Age=0/i);
  const row = await h.sluice.engine.db.selectFrom('sessions').select('id').where('token_hash', '=', sha256(cookie)).executeTakeFirst();
  assert.equal(row, undefined);
  assert.equal((await call(url, 'GET', '/api/accounts', { cookie })).status, 401);
  const after = await call(url, 'GET', '/api/session', { cookie });
  assert.deepEqual(after.body, { setupRequired: false, setupCodeRequired: false, user: null, csrfToken: null });
  // Logging out again is no error.
  assert.equal((await call(url, 'POST', '/api/session/logout', { cookie, csrf })).status, 204);
});

test('an expired session is refused and deleted', async () => {
  const { cookie } = await login();
  const db = h.sluice.engine.db;
  await db
    .updateTable('sessions')
    .set({ expires_at: new Date(Date.now() - 1000).toISOString() })
    .where('token_hash', '=', sha256(cookie))
    .execute();
  const res = await call(url, 'GET', '/api/accounts', { cookie });
  assert.equal(res.status, 401);
  assert.match(res.setCookie ?? '', /^sluice_session=;/, 'the stale cookie is cleared');
  assert.equal(await db.selectFrom('sessions').select('id').where('token_hash', '=', sha256(cookie)).executeTakeFirst(), undefined);
  assert.equal((await call(url, 'GET', '/api/session', { cookie })).body.user, null);
});

test('using a session moves its expiry on, at most once a minute', async () => {
  const { cookie } = await login();
  const db = h.sluice.engine.db;
  const row = () => db.selectFrom('sessions').selectAll().where('token_hash', '=', sha256(cookie)).executeTakeFirstOrThrow();
  const fresh = await row();
  // Used again within the minute: nothing is written, no new cookie.
  const soon = await call(url, 'GET', '/api/accounts', { cookie });
  assert.equal(soon.setCookie, undefined);
  assert.deepEqual(await row(), fresh);

  const earlier = (ms: number) => new Date(Date.now() - ms).toISOString();
  await db
    .updateTable('sessions')
    .set({ last_seen_at: earlier(2 * 60_000), expires_at: new Date(Date.now() + 60_000).toISOString() })
    .where('id', '=', fresh.id)
    .execute();
  const later = await call(url, 'GET', '/api/accounts', { cookie });
  assert.equal(later.status, 200);
  assert.match(later.setCookie ?? '', new RegExp(`^sluice_session=${cookie};`));
  const moved = await row();
  assert.ok(Date.parse(moved.expires_at) > Date.now() + 14 * 24 * 3600_000 - 60_000, moved.expires_at);
  assert.ok(Date.parse(moved.last_seen_at) > Date.now() - 60_000, moved.last_seen_at);
});

test('login is rate-limited per client address: the 11th attempt in a minute gets 429 with Retry-After', async () => {
  const limited = await startHarness();
  try {
    const setup = await call(limited.sluice.url, 'POST', '/api/session/setup', { body: OWNER });
    assert.equal(setup.status, 201);
    tokenOf(setup.setCookie);
    for (let i = 0; i < 10; i++) {
      const res = await call(limited.sluice.url, 'POST', '/api/session/login', { body: { ...OWNER, password: `wrong password ${i}` } });
      assert.equal(res.status, 401, `attempt ${i + 1}`);
    }
    // Even the right password is refused now: the limit is on attempts.
    const res = await call<{ error: { message: string } }>(limited.sluice.url, 'POST', '/api/session/login', { body: OWNER });
    assert.equal(res.status, 429);
    const retryAfter = Number(res.headers.get('retry-after'));
    assert.ok(retryAfter >= 1 && retryAfter <= 60, `Retry-After: ${res.headers.get('retry-after')}`);
    assert.deepEqual(Object.keys(res.body), ['error']);
    assert.match(res.body.error.message, /^too many login attempts; try again in \d+ seconds$/);
    assert.equal(res.body.error.message, `too many login attempts; try again in ${retryAfter} seconds`);
    assert.equal(res.setCookie, undefined);
    // Other routes are not limited.
    assert.equal((await call(limited.sluice.url, 'GET', '/api/session')).status, 200);
  } finally {
    await limited.close();
  }
});

test('login is rate-limited per email: after 10 failures from any addresses, that email waits 15 minutes', async () => {
  const limited = await startHarness();
  const { app } = limited.sluice;
  const attempt = (remoteAddress: string, body: object) =>
    app.inject({
      method: 'POST',
      url: '/api/session/login',
      remoteAddress,
      headers: { host: new URL(limited.sluice.url).host },
      payload: body as Record<string, string>,
    });
  try {
    assert.equal((await call(limited.sluice.url, 'POST', '/api/session/setup', { body: OWNER })).status, 201);
    for (let i = 0; i < 10; i++) {
      const res = await attempt(`10.0.0.${i + 1}`, { ...OWNER, password: `wrong password ${i}` });
      assert.equal(res.statusCode, 401, `attempt ${i + 1}`);
    }
    const refused = await attempt('10.0.1.1', OWNER);
    assert.equal(refused.statusCode, 429);
    const retryAfter = Number(refused.headers['retry-after']);
    assert.ok(retryAfter > 14 * 60 && retryAfter <= 15 * 60, `Retry-After: ${refused.headers['retry-after']}`);
    assert.deepEqual(refused.json(), { error: { message: `too many login attempts; try again in ${retryAfter} seconds` } });
    // Another email from the same address is only told it is wrong.
    const other = await attempt('10.0.1.1', { ...OWNER, email: 'someone@example.com' });
    assert.equal(other.statusCode, 401);
    assert.deepEqual(other.json(), WRONG);
  } finally {
    await limited.close();
  }
});

test('sluice owner create makes the owner from a password on stdin or in the environment, once', async () => {
  const dataDir = tempDir('sluice-owner-');
  try {
    const made = await runCli({ dataDir, input: `${OWNER.password}\n` }, 'owner', 'create', '--email', ' Owner@Example.com');
    assert.match(made.stdout, /^created the owner owner@example\.com \(usr_[0-9a-z]+\)\n$/);
    assert.ok(!made.stdout.includes(OWNER.password) && !made.stderr.includes(OWNER.password));
    const again = runCli({ dataDir, env: { SLUICE_OWNER_PASSWORD: OWNER.password } }, 'owner', 'create', '--email', 'b@example.com');
    await assert.rejects(again, (error: { code: number; stderr: string }) => {
      assert.equal(error.code, 1);
      assert.equal(error.stderr, 'sluice: the owner already exists; log in instead\n');
      return true;
    });
    // A bad password gets the API's message.
    const short = runCli({ dataDir, env: { SLUICE_OWNER_PASSWORD: 'short' } }, 'owner', 'create', '--email', 'a@b.co');
    await assert.rejects(short, /password: must be at least 10 characters/);

    // The server on that data dir lets the owner log in with the piped password (the newline is not part of it).
    const served = await startHarness({ dataDir });
    try {
      const res = await call(served.sluice.url, 'POST', '/api/session/login', { body: OWNER });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      tokenOf(res.setCookie);
      secrets.add((res.body as unknown as Started).csrfToken);
    } finally {
      await served.close();
    }
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
});

test('no password, session token or CSRF token reaches the log', () => {
  const text = logs.join('');
  assert.match(text, /\/api\/session\/login/, 'requests were not logged at all');
  for (const secret of secrets) assert.ok(!text.includes(secret), `a secret reached the log: ${secret.slice(0, 4)}…`);
});
