import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer as createHttpServer, type RequestListener, type Server } from 'node:http';
import { createServer as createTcpServer, type AddressInfo, type Server as TcpServer } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { startHarness, TEST_KEY, type Harness } from '../support/harness.js';

// Issue 13, point 2: a URL a user types (a CSV URL, a published sheet link) never makes Sluice
// connect to an internal address. The servers below are real and on loopback, with content a
// broken guard would hand back; every test asserts that content never comes back and that the
// server saw no connection at all. Only loopback is ever used (see the workplace's network rule);
// other ranges, rebinding and redirect hops are covered by src/sources/outbound/*.test.ts.

const SECRET = 'INTERNAL-ONLY-7d1f';
const servers: (Server | TcpServer)[] = [];

async function listen<S extends Server | TcpServer>(server: S, host: string, port = 0): Promise<number> {
  server.listen(port, host);
  await once(server, 'listening');
  servers.push(server);
  return (server.address() as AddressInfo).port;
}

/** An HTTP server with an internal CSV, counting every TCP connection made to it. */
async function internalServer(host: string, handler?: RequestListener, port = 0): Promise<{ port: number; connections: () => number }> {
  const server = createHttpServer(
    handler ??
      ((_req, res) => {
        res.writeHead(200, { 'content-type': 'text/csv' });
        res.end(`Email,Token\nadmin@internal,${SECRET}\n`);
      }),
  );
  let connections = 0;
  server.on('connection', () => connections++);
  return { port: await listen(server, host, port), connections: () => connections };
}

async function ipv6Works(): Promise<boolean> {
  const probe = createTcpServer();
  return new Promise((resolve) => {
    probe.once('error', () => resolve(false));
    probe.listen(0, '::1', () => probe.close(() => resolve(true)));
  });
}

const IPV6 = await ipv6Works();

const NOT_ALLOWED_HINT = 'Sluice reads only public addresses unless its operator sets SLUICE_ALLOW_PRIVATE_URLS=1';

type ErrorBody = { error: { message: string } };

async function fields(h: Harness, source: Record<string, unknown>): Promise<{ status: number; text: string; message: string }> {
  const res = await h.api<ErrorBody>('POST', '/api/sources/fields', { source });
  return { status: res.status, text: JSON.stringify(res.body), message: res.body.error?.message ?? '' };
}

let h: Harness;
let stripeAccount: string;

before(async () => {
  // As `npm start` runs: SLUICE_ALLOW_PRIVATE_URLS is not set.
  h = await startHarness();
  stripeAccount = await h.account(TEST_KEY);
});

after(async () => {
  for (const server of servers) {
    if ('closeAllConnections' in server) server.closeAllConnections();
    server.close();
  }
  await h?.close();
});

describe('outbound requests, as Sluice runs by default', () => {
  it('refuses a CSV URL on loopback however the address is spelled, and never connects', async () => {
    const internal = await internalServer('127.0.0.1');
    const P = internal.port;
    const cases: [string, string][] = [
      [`http://127.0.0.1:${P}/users.csv`, '127.0.0.1 is a loopback address'],
      [`http://localhost:${P}/users.csv`, 'localhost resolves to a loopback address'],
      [`http://2130706433:${P}/users.csv`, '127.0.0.1 is a loopback address'],
      [`http://0x7f000001:${P}/users.csv`, '127.0.0.1 is a loopback address'],
      [`http://0177.0.0.1:${P}/users.csv`, '127.0.0.1 is a loopback address'],
      [`http://127.1:${P}/users.csv`, '127.0.0.1 is a loopback address'],
      [`http://[::ffff:127.0.0.1]:${P}/users.csv`, '::ffff:7f00:1 is a loopback address'],
      [`http://admin:hunter2@127.0.0.1:${P}/users.csv?token=t0ken`, '127.0.0.1 is a loopback address'],
    ];
    for (const [url, what] of cases) {
      const res = await fields(h, { type: 'csv', url });
      const shown = new URL(url);
      assert.equal(res.status, 422, url);
      assert.equal(
        res.message,
        `source: CSV URL ${shown.origin}${shown.pathname} could not be read: this address is not allowed (${what}; ${NOT_ALLOWED_HINT})`,
      );
      assert.doesNotMatch(res.text, new RegExp(`${SECRET}|hunter2|t0ken`));
    }
    assert.equal(internal.connections(), 0);
  });

  it('refuses IPv6 loopback', { skip: !IPV6 && 'no IPv6 loopback here' }, async () => {
    const internal = await internalServer('::1');
    const res = await fields(h, { type: 'csv', url: `http://[::1]:${internal.port}/users.csv` });
    assert.equal(res.status, 422);
    assert.match(res.message, /this address is not allowed \(::1 is a loopback address;/);
    assert.doesNotMatch(res.text, new RegExp(SECRET));
    assert.equal(internal.connections(), 0);
  });

  it("refuses a saved connection's preview and run, which read nothing", async () => {
    const internal = await internalServer('127.0.0.1');
    const c = await h.connection({
      name: 'Internal file',
      source: { type: 'csv', url: `http://localhost:${internal.port}/users.csv` },
      action: 'stripe.create_customer',
      accountId: stripeAccount,
      mapping: { email: '{{Email}}', name: '{{Token}}' },
    });
    const refusal = `CSV URL http://localhost:${internal.port}/users.csv could not be read: this address is not allowed (localhost resolves to a loopback address; ${NOT_ALLOWED_HINT})`;

    const preview = await h.api<ErrorBody>('POST', `/api/connections/${c.id}/preview`, {});
    assert.equal(preview.status, 422);
    assert.equal(preview.body.error.message, `source: ${refusal}`);

    const run = await h.run(c.id);
    assert.equal(run.status, 'failed', JSON.stringify(run));
    assert.match(run.error ?? '', new RegExp(refusal.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
    assert.deepEqual(run.counts, { sent: 0, failed: 0, skipped: 0, pending: 0 });
    assert.doesNotMatch(JSON.stringify(run), new RegExp(SECRET));
    assert.equal((await h.stripe().customers.list({ limit: 100 })).data.length, 0);
    assert.equal(internal.connections(), 0);
  });

  it('refuses a published sheet link on loopback', async () => {
    const internal = await internalServer('127.0.0.1');
    const link = `http://127.0.0.1:${internal.port}/spreadsheets/d/e/2PACX-1vInternal/pub?gid=0&single=true&output=csv`;
    const res = await fields(h, { type: 'google_sheets', spreadsheet: link });
    assert.equal(res.status, 422);
    assert.equal(
      res.message,
      `source: the published sheet could not be read: this address is not allowed (127.0.0.1 is a loopback address; ${NOT_ALLOWED_HINT})`,
    );
    assert.doesNotMatch(res.text, new RegExp(SECRET));
    assert.equal(internal.connections(), 0);
  });

  it('answers alike for a closed port, an open port that does not speak HTTP and an HTTP server', async () => {
    const closed = createTcpServer();
    const closedPort = await listen(closed, '127.0.0.1');
    closed.close();
    const ssh = createTcpServer((socket) => socket.end('SSH-2.0-OpenSSH_9.6\r\n'));
    let sshConnections = 0;
    ssh.on('connection', () => sshConnections++);
    const sshPort = await listen(ssh, '127.0.0.1');
    const http = await internalServer('127.0.0.1');

    const messages: string[] = [];
    for (const port of [closedPort, sshPort, http.port]) {
      const res = await fields(h, { type: 'csv', url: `http://127.0.0.1:${port}/a.csv` });
      assert.equal(res.status, 422);
      messages.push(res.message.replace(`:${port}/`, ':PORT/'));
    }
    assert.deepEqual(new Set(messages), new Set([messages[0]]));
    assert.match(messages[0] ?? '', /this address is not allowed/);
    assert.equal(sshConnections + http.connections(), 0);
  });
});

describe('outbound requests, with SLUICE_ALLOW_PRIVATE_URLS=1', () => {
  let lan: Harness;
  before(async () => {
    lan = await startHarness({
      env: { SLUICE_ALLOW_PRIVATE_URLS: '1', SLUICE_FETCH_TIMEOUT_MS: '1000', SLUICE_FETCH_MAX_BYTES: '4096' },
    });
  });
  after(async () => lan?.close());

  it('reads a CSV URL on the local network', async () => {
    const server = await internalServer('127.0.0.1');
    const res = await lan.api<{ columns: { name: string; samples: string[] }[] }>('POST', '/api/sources/fields', {
      source: { type: 'csv', url: `http://localhost:${server.port}/users.csv` },
    });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.deepEqual(res.body.columns, [
      { name: 'Email', samples: ['admin@internal'] },
      { name: 'Token', samples: [SECRET] },
    ]);
  });

  it(`stops a body still arriving after SLUICE_FETCH_TIMEOUT_MS`, async () => {
    const slow = await internalServer('127.0.0.1', (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/csv' });
      // One row that never ends: the read waits for more until the deadline.
      res.write('Email\na');
      const timer = setInterval(() => res.write('a'), 100);
      res.on('close', () => clearInterval(timer));
    });
    const started = Date.now();
    const res = await lan.api<ErrorBody>('POST', '/api/sources/fields', {
      source: { type: 'csv', url: `http://127.0.0.1:${slow.port}/slow.csv` },
    });
    assert.equal(res.status, 422);
    assert.equal(
      res.body.error.message,
      `source: CSV URL http://127.0.0.1:${slow.port}/slow.csv could not be read to the end: timed out after 1 s`,
    );
    assert.ok(Date.now() - started < 5000, `took ${Date.now() - started} ms`);
  });

  it('stops a body larger than SLUICE_FETCH_MAX_BYTES', async () => {
    const big = await internalServer('127.0.0.1', (_req, res) => {
      // No content-length: the limit is found by counting, in a row that never ends.
      res.writeHead(200, { 'content-type': 'text/csv' });
      res.write('Email\n');
      for (let i = 0; i < 10; i++) res.write('a'.repeat(1000));
      res.end();
    });
    const res = await lan.api<ErrorBody>('POST', '/api/sources/fields', {
      source: { type: 'csv', url: `http://127.0.0.1:${big.port}/big.csv` },
    });
    assert.equal(res.status, 422);
    assert.equal(
      res.body.error.message,
      `source: CSV URL http://127.0.0.1:${big.port}/big.csv is larger than 4096 bytes, the most Sluice reads from one file`,
    );
  });

  it('follows at most 5 redirects', async () => {
    let requests = 0;
    const loop = await internalServer('127.0.0.1', (req, res) => {
      requests++;
      res.writeHead(302, { location: `/hop${requests}` }).end();
    });
    const res = await lan.api<ErrorBody>('POST', '/api/sources/fields', {
      source: { type: 'csv', url: `http://127.0.0.1:${loop.port}/start` },
    });
    assert.equal(res.status, 422);
    assert.equal(
      res.body.error.message,
      `source: CSV URL http://127.0.0.1:${loop.port}/start could not be read: it redirects more than 5 times`,
    );
    assert.equal(requests, 6);
  });

  it('answers alike for a closed port and an open port that does not speak HTTP', async () => {
    const closed = createTcpServer();
    const closedPort = await listen(closed, '127.0.0.1');
    closed.close();
    const ssh = createTcpServer((socket) => socket.end('SSH-2.0-OpenSSH_9.6\r\n'));
    const sshPort = await listen(ssh, '127.0.0.1');
    const reset = createTcpServer((socket) => socket.resetAndDestroy());
    const resetPort = await listen(reset, '127.0.0.1');
    const messages: string[] = [];
    for (const port of [closedPort, sshPort, resetPort]) {
      const res = await lan.api<ErrorBody>('POST', '/api/sources/fields', {
        source: { type: 'csv', url: `http://127.0.0.1:${port}/a.csv` },
      });
      assert.equal(res.status, 422);
      messages.push(res.body.error.message.replace(`:${port}/`, ':PORT/'));
    }
    assert.deepEqual(
      messages,
      Array(3).fill('source: CSV URL http://127.0.0.1:PORT/a.csv could not be read: no HTTP answer; check the address'),
    );
  });
});
