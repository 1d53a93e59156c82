import assert from 'node:assert/strict';
import net from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, test } from 'node:test';
import { startHarness, type Harness } from '../support/harness.js';

/**
 * Slow and many clients (issue 13, point 4), the quick cases; test/security/slow-clients.stress.ts
 * has the thousands. A Sluice with short limits: headers within 500 ms, a whole request within
 * 1.5 s, and 16 connections at most.
 */

const HEADERS_MS = 500;
const REQUEST_MS = 1500;
const MAX_CONNECTIONS = 16;

let h: Harness;
let port: number;
let hookPath: string;

before(async () => {
  h = await startHarness({
    env: {
      SLUICE_HEADERS_TIMEOUT_MS: String(HEADERS_MS),
      SLUICE_REQUEST_TIMEOUT_MS: String(REQUEST_MS),
      SLUICE_MAX_CONNECTIONS: String(MAX_CONNECTIONS),
    },
  });
  port = Number(new URL(h.sluice.url).port);
  const accountId = await h.account();
  const c = await h.connection({
    name: 'Limits',
    source: { type: 'webhook' },
    action: 'stripe.create_customer',
    accountId,
    mapping: { email: '{{email}}' },
  });
  hookPath = new URL(c.hookUrl!).pathname;
});
after(() => h?.close());

/** A raw connection, to send requests byte by byte as a slow or hostile client does. */
interface Raw {
  socket: net.Socket;
  /** Everything received so far. */
  received(): string;
  /** Resolves when the server has closed the connection, with the time it took from `opened`. */
  closed: Promise<number>;
  opened: number;
}

async function connect(): Promise<Raw> {
  const socket = net.connect(port, '127.0.0.1');
  let text = '';
  socket.on('data', (d: Buffer) => (text += d.toString()));
  socket.on('error', () => {});
  await new Promise((resolve) => socket.once('connect', resolve));
  const opened = Date.now();
  const closed = new Promise<number>((resolve) => socket.once('close', () => resolve(Date.now() - opened)));
  return { socket, received: () => text, closed, opened };
}

/** Writes `chunk` every `everyMs` until the connection closes or `stop` says so. */
function trickle(raw: Raw, chunk: string, everyMs: number): () => void {
  const timer = setInterval(() => {
    if (!raw.socket.destroyed) raw.socket.write(chunk);
  }, everyMs);
  raw.socket.once('close', () => clearInterval(timer));
  return () => clearInterval(timer);
}

const waitUntil = async (what: string, ok: () => boolean, timeoutMs: number) => {
  const until = Date.now() + timeoutMs;
  while (!ok()) {
    if (Date.now() > until) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(10);
  }
};

test('a post to an unknown hook token gets 404 while its body is still being sent, and the connection is closed', async () => {
  const raw = await connect();
  const size = 200_000;
  raw.socket.write(
    `POST /hooks/hk_no_such_token HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Type: application/json\r\nContent-Length: ${size}\r\n\r\n{"email":"`,
  );
  const stop = trickle(raw, 'a', 50);
  try {
    await waitUntil('the 404', () => raw.received().includes('\r\n\r\n'), 1000);
    assert.match(raw.received(), /^HTTP\/1\.1 404 /);
    assert.match(raw.received(), /\r\nconnection: close\r\n/i);
    assert.ok(raw.received().endsWith('{"error":{"message":"no connection has this hook URL"}}'), raw.received());
    // The server does not wait for the other ~200 KB: it hangs up.
    const closedAfter = await Promise.race([raw.closed, sleep(1000).then(() => -1)]);
    assert.notEqual(closedAfter, -1, 'the connection was kept open to drain the body');
  } finally {
    stop();
    raw.socket.destroy();
  }
});

test("a known token's body is read, within the request timeout: a body that never ends gets 408", async () => {
  const raw = await connect();
  raw.socket.write(
    `POST ${hookPath} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"email":"`,
  );
  const stop = trickle(raw, 'a', 50);
  try {
    const closedAfter = await Promise.race([raw.closed, sleep(REQUEST_MS + 3000).then(() => -1)]);
    assert.notEqual(closedAfter, -1, 'a body trickling in was read for ever');
    assert.ok(closedAfter >= REQUEST_MS - 100, `closed after ${closedAfter} ms, before the request timeout`);
    assert.match(raw.received(), /^HTTP\/1\.1 408 /);
  } finally {
    stop();
    raw.socket.destroy();
  }
  // A well-behaved post to the same hook is taken.
  const res = await fetch(`${h.sluice.url}${hookPath}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: 'ok@example.com' }),
  });
  assert.equal(res.status, 202);
});

test('the headers timeout closes a slowloris (headers a line at a time) and a connection that sends nothing', async () => {
  const slowloris = await connect();
  slowloris.socket.write(`GET /health HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n`);
  const stop = trickle(slowloris, 'X-Padding: x\r\n', 100);
  const silent = await connect();
  try {
    // Node checks the deadlines once a second (connectionsCheckingInterval): 500 ms + up to 1 s.
    for (const [name, raw] of [
      ['slowloris', slowloris],
      ['silent', silent],
    ] as const) {
      const closedAfter = await Promise.race([raw.closed, sleep(HEADERS_MS + 3000).then(() => -1)]);
      assert.notEqual(closedAfter, -1, `the ${name} connection was still open`);
      assert.ok(closedAfter >= HEADERS_MS - 100, `${name} closed after ${closedAfter} ms, before the headers timeout`);
      assert.match(raw.received(), /^HTTP\/1\.1 408 /, name);
    }
  } finally {
    stop();
    slowloris.socket.destroy();
    silent.socket.destroy();
  }
});

/** GET /health on a new connection, left open (kept alive) once answered. */
async function getHealth(): Promise<Raw> {
  const raw = await connect();
  raw.socket.write(`GET /health HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n\r\n`);
  await waitUntil('the answer to GET /health', () => raw.received().endsWith('{"ok":true}'), 1000);
  assert.match(raw.received(), /^HTTP\/1\.1 200 /);
  return raw;
}

test('at the connection cap, a new connection closes the longest-idle one instead of being refused', async () => {
  // Kept-alive connections between two requests, as many as the cap allows (the keep-alive
  // timeout, 5 s, outlasts the test; a connection that sent nothing would meet the 500 ms headers timeout).
  // (Raw connections: fetch would reuse one of its pool's instead of opening a new one.)
  const idle: Raw[] = [];
  for (let i = 0; i < MAX_CONNECTIONS; i++) idle.push(await getHealth());
  try {
    // Each request made now on a new connection is over the cap: the oldest idle ones make room.
    // They stay open too, so that each next one is over the cap again.
    for (let i = 0; i < 3; i++) {
      const started = Date.now();
      idle.push(await getHealth());
      assert.ok(Date.now() - started < 1000);
    }
    await waitUntil('the three oldest idle connections to close', () => idle.slice(0, 3).every((r) => r.socket.destroyed), 1000);
    assert.ok(
      idle.slice(3).every((r) => !r.socket.destroyed),
      `younger idle connections were closed: ${idle.map((r) => (r.socket.destroyed ? 'x' : '.')).join('')}`,
    );
  } finally {
    for (const r of idle) r.socket.destroy();
  }
});

test('at the cap with every connection busy, the new connection is the one refused', async () => {
  // Requests in flight (bodies on their way) are never closed to make room.
  const busy: Raw[] = [];
  for (let i = 0; i < MAX_CONNECTIONS; i++) {
    const raw = await connect();
    raw.socket.write(
      `POST ${hookPath} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{`,
    );
    busy.push(raw);
  }
  try {
    await sleep(100);
    const refused = await connect();
    const closedAfter = await Promise.race([refused.closed, sleep(1000).then(() => -1)]);
    assert.notEqual(closedAfter, -1, 'a connection over the cap was kept');
    assert.equal(refused.received(), '');
    assert.ok(
      busy.every((r) => !r.socket.destroyed),
      'a connection with a request in flight was closed',
    );
  } finally {
    for (const r of busy) r.socket.destroy();
  }
  // Once they are gone, requests are served again.
  await sleep(100);
  assert.equal((await fetch(`${h.sluice.url}/health`)).status, 200);
});
