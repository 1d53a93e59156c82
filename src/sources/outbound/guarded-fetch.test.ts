import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer as createHttpServer, type IncomingHttpHeaders, type RequestListener, type Server } from 'node:http';
import { createServer as createTcpServer, type AddressInfo, type Server as TcpServer, type Socket } from 'node:net';
import { after, describe, it } from 'node:test';
import { checkAddress, type AddressVerdict } from './address-policy.js';
import { fetchOutbound, MAX_REDIRECTS, OutboundError, type OutboundFetchOptions, type Resolve } from './guarded-fetch.js';

// Every server here listens on loopback, and every address a test resolves to is loopback: the
// guard under test is never trusted to keep traffic off the network. Where a test needs an address
// the guard lets through while another is refused, `check` calls 127.0.0.2 "public".

const SOURCE = 'CSV URL';
const servers: (Server | TcpServer)[] = [];

after(async () => {
  for (const server of servers) {
    if ('closeAllConnections' in server) server.closeAllConnections();
    server.close();
  }
});

/** An HTTP server on `host`, counting the connections made to it (a refused fetch makes none). */
async function httpServer(
  host: string,
  handler: RequestListener,
  port = 0,
): Promise<{ port: number; connections: () => number; requests: IncomingHttpHeaders[]; paths: string[] }> {
  const server = createHttpServer(handler);
  let connections = 0;
  const requests: IncomingHttpHeaders[] = [];
  const paths: string[] = [];
  server.on('connection', () => connections++);
  server.on('request', (req) => {
    requests.push(req.headers);
    paths.push(req.url ?? '');
  });
  server.listen(port, host);
  await once(server, 'listening');
  servers.push(server);
  return { port: (server.address() as AddressInfo).port, connections: () => connections, requests, paths };
}

/** A TCP server that does `onSocket` with every connection (a port that does not speak HTTP). */
async function tcpServer(onSocket: (socket: Socket) => void): Promise<number> {
  const server = createTcpServer(onSocket);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  servers.push(server);
  return (server.address() as AddressInfo).port;
}

async function closedPort(): Promise<number> {
  const server = createTcpServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const port = (server.address() as AddressInfo).port;
  server.close();
  await once(server, 'close');
  return port;
}

async function read(url: string, o: Partial<OutboundFetchOptions> = {}): Promise<string> {
  const response = await fetchOutbound(url, { source: SOURCE, ...o });
  let text = '';
  for await (const chunk of response.body) text += Buffer.from(chunk).toString();
  return `${response.status} ${text}`;
}

async function failure(url: string, o: Partial<OutboundFetchOptions> = {}): Promise<OutboundError> {
  return read(url, o).then(
    (text) => assert.fail(`expected ${url} to fail, it read: ${text.slice(0, 80)}`),
    (error: unknown) => {
      assert.ok(error instanceof OutboundError, String(error));
      return error;
    },
  );
}

const LAN_HINT = 'Sluice reads only public addresses unless its operator sets SLUICE_ALLOW_PRIVATE_URLS=1';
const notAllowed = (what: string, hint = LAN_HINT) => `${SOURCE} could not be read: this address is not allowed (${what}; ${hint})`;
const NO_ANSWER = `${SOURCE} could not be read: no HTTP answer; check the address`;

/** A check that calls 127.0.0.2 public and refuses every other address as the real policy does. */
const twoIsPublic = (address: string): AddressVerdict =>
  address === '127.0.0.2' ? { allowed: true } : { allowed: false, kind: 'a loopback address', privateNetwork: true };

const local = { outbound: { allowPrivate: true } };

describe('fetchOutbound: addresses', () => {
  it('refuses loopback however it is spelled, and the server never hears of it', async () => {
    const internal = await httpServer('127.0.0.1', (_req, res) => res.end('SECRET'));
    const P = internal.port;
    const cases: [string, string][] = [
      [`http://127.0.0.1:${P}/`, '127.0.0.1 is a loopback address'],
      [`http://2130706433:${P}/`, '127.0.0.1 is a loopback address'],
      [`http://0x7f000001:${P}/`, '127.0.0.1 is a loopback address'],
      [`http://0177.0.0.1:${P}/`, '127.0.0.1 is a loopback address'],
      [`http://127.1:${P}/`, '127.0.0.1 is a loopback address'],
      [`http://[::ffff:127.0.0.1]:${P}/`, '::ffff:7f00:1 is a loopback address'],
      [`http://[::ffff:7f00:1]:${P}/`, '::ffff:7f00:1 is a loopback address'],
      [`http://localhost:${P}/`, 'localhost resolves to a loopback address'],
      [`http://LocalHost:${P}/`, 'localhost resolves to a loopback address'],
      [`https://127.0.0.1:${P}/`, '127.0.0.1 is a loopback address'],
    ];
    for (const [url, what] of cases) assert.equal((await failure(url)).message, notAllowed(what), url);
    assert.equal(internal.connections(), 0);
  });

  it('refuses IPv6 loopback', async () => {
    const internal = await httpServer('::1', (_req, res) => res.end('SECRET'));
    assert.equal((await failure(`http://[::1]:${internal.port}/`)).message, notAllowed('::1 is a loopback address'));
    assert.equal((await failure(`http://[0:0:0:0:0:0:0:1]:${internal.port}/`)).message, notAllowed('::1 is a loopback address'));
    assert.equal(internal.connections(), 0);
  });

  it('refuses a name when any of its addresses is not allowed', async () => {
    const internal = await httpServer('127.0.0.1', (_req, res) => res.end('SECRET'));
    const resolve: Resolve = async () => [
      { address: '127.0.0.2', family: 4 },
      { address: '127.0.0.1', family: 4 },
    ];
    const error = await failure(`http://files.example:${internal.port}/`, { resolve, check: twoIsPublic });
    assert.equal(error.message, notAllowed('files.example resolves to a loopback address'));
    assert.equal(internal.connections(), 0);
  });

  it('reads loopback when the operator allows private addresses, but never a metadata address', async () => {
    const lan = await httpServer('127.0.0.1', (_req, res) => res.end('A,B\n1,2\n'));
    assert.equal(await read(`http://127.0.0.1:${lan.port}/a.csv`, local), '200 A,B\n1,2\n');
    assert.equal(await read(`http://localhost:${lan.port}/a.csv`, local), '200 A,B\n1,2\n');
    // Only loopback is ever connected to: here 127.0.0.1 is judged as if it were 169.254.169.254
    // (address-policy.test.ts shows the real addresses refused with the flag on).
    const asMetadata = (address: string) => checkAddress(address === '127.0.0.1' ? '169.254.169.254' : address, { allowPrivate: true });
    const resolve: Resolve = async () => [{ address: '127.0.0.1', family: 4 }];
    assert.equal(
      (await failure(`http://metadata.google.internal:${lan.port}/computeMetadata/v1/`, { ...local, resolve, check: asMetadata })).message,
      notAllowed('metadata.google.internal resolves to a cloud metadata address', 'Sluice never reads from it'),
    );
    assert.equal(
      (await failure(`http://127.0.0.1:${lan.port}/latest/meta-data/`, { ...local, check: asMetadata })).message,
      notAllowed('127.0.0.1 is a cloud metadata address', 'Sluice never reads from it'),
    );
    assert.equal(lan.requests.length, 2);
  });

  it('connects to the address it checked: a name that rebinds to loopback after the check goes nowhere', async () => {
    // The same port on two loopback addresses: 127.0.0.2 stands for the public address the name
    // answers first, 127.0.0.1 for the internal one it answers on every later lookup.
    const internal = await httpServer('127.0.0.1', (_req, res) => res.end('SECRET'));
    const outside = await httpServer('127.0.0.2', (_req, res) => res.end('public'), internal.port);
    const answers: string[] = [];
    const resolve: Resolve = async () => {
      const address = answers.length === 0 ? '127.0.0.2' : '127.0.0.1';
      answers.push(address);
      return [{ address, family: 4 }];
    };
    const url = `http://rebind.example:${internal.port}/`;
    assert.equal(await read(url, { resolve, check: twoIsPublic }), '200 public');
    assert.equal(
      (await failure(url, { resolve, check: twoIsPublic })).message,
      notAllowed('rebind.example resolves to a loopback address'),
    );
    // One lookup per connection: the one checked is the one connected to.
    assert.deepEqual(answers, ['127.0.0.2', '127.0.0.1']);
    assert.equal(outside.connections(), 1);
    assert.equal(internal.connections(), 0);
  });
});

describe('fetchOutbound: redirects', () => {
  it('checks every hop: an allowed server cannot redirect to loopback', async () => {
    const internal = await httpServer('127.0.0.1', (_req, res) => res.end('SECRET'));
    const outside = await httpServer('127.0.0.2', (req, res) => {
      const to = req.url === '/by-name' ? `http://localhost:${internal.port}/x` : `http://127.0.0.1:${internal.port}/secret?token=t0ken`;
      res.writeHead(302, { location: to }).end();
    });
    const o = { check: twoIsPublic };
    const direct = await failure(`http://127.0.0.2:${outside.port}/`, o);
    assert.equal(direct.message, notAllowed(`it redirects to http://127.0.0.1:${internal.port}/secret: 127.0.0.1 is a loopback address`));
    const byName = await failure(`http://127.0.0.2:${outside.port}/by-name`, o);
    assert.equal(
      byName.message,
      notAllowed(`it redirects to http://localhost:${internal.port}/x: localhost resolves to a loopback address`),
    );
    assert.equal(internal.connections(), 0);
  });

  it(`follows at most ${MAX_REDIRECTS} redirects`, async () => {
    const hops = await httpServer('127.0.0.1', (req, res) => {
      const [, kind, hop] = (req.url ?? '').split('/');
      const n = Number(hop);
      if (kind === 'five' && n === MAX_REDIRECTS) res.end('arrived');
      else res.writeHead(n % 2 === 0 ? 301 : 307, { location: `/${kind}/${n + 1}` }).end();
    });
    const base = `http://127.0.0.1:${hops.port}`;
    assert.equal(await read(`${base}/five/0`, local), '200 arrived');
    assert.equal(hops.paths.length, MAX_REDIRECTS + 1);
    hops.paths.length = 0;
    assert.equal(
      (await failure(`${base}/endless/0`, local)).message,
      `${SOURCE} could not be read: it redirects more than ${MAX_REDIRECTS} times`,
    );
    assert.deepEqual(hops.paths, ['/endless/0', '/endless/1', '/endless/2', '/endless/3', '/endless/4', '/endless/5']);
  });

  it('reads only http and https, also where a redirect goes', async () => {
    const hops = await httpServer('127.0.0.1', (_req, res) => res.writeHead(302, { location: 'file:///etc/passwd' }).end());
    assert.equal(
      (await failure(`http://127.0.0.1:${hops.port}/`, local)).message,
      `${SOURCE} could not be read: it redirects to a file: address; only http and https are read`,
    );
    assert.equal(
      (await failure('ftp://127.0.0.1/a.csv', local)).message,
      `${SOURCE} could not be read: it is a ftp: address; only http and https are read`,
    );
  });

  it('sends credentials as Basic auth to the origin they were typed for, never to another', async () => {
    const other = await httpServer('127.0.0.2', (_req, res) => res.end('elsewhere'));
    const first = await httpServer('127.0.0.1', (req, res) => {
      if (req.url === '/start?token=t0ken') res.writeHead(302, { location: '/same-origin' }).end();
      else if (req.url === '/same-origin') res.writeHead(302, { location: `http://127.0.0.2:${other.port}/file` }).end();
      else res.writeHead(302, { location: `http://intruder:pw@127.0.0.2:${other.port}/typed-by-server` }).end();
    });
    const basic = `Basic ${Buffer.from('user:s3cret').toString('base64')}`;
    assert.equal(await read(`http://user:s3cret@127.0.0.1:${first.port}/start?token=t0ken`, local), '200 elsewhere');
    assert.deepEqual(first.paths, ['/start?token=t0ken', '/same-origin']);
    assert.deepEqual(
      first.requests.map((h) => h.authorization),
      [basic, basic],
    );
    assert.equal(other.requests[0]?.authorization, undefined);
    // Credentials a redirect carries are not the user's: never sent either.
    assert.equal(await read(`http://127.0.0.1:${first.port}/redirect-with-credentials`, local), '200 elsewhere');
    assert.equal(other.requests[1]?.authorization, undefined);
  });
});

describe('fetchOutbound: deadline and size', () => {
  it('gives up on a body that is still arriving at the deadline', async () => {
    const slow = await httpServer('127.0.0.1', (req, res) => {
      if (req.url === '/no-headers') return; // never answers
      res.writeHead(200, { 'content-type': 'text/csv' });
      res.write('N\n');
      // A byte every 50 ms: never idle long, but never done either.
      const timer = setInterval(() => res.write('1\n'), 50);
      res.on('close', () => clearInterval(timer));
    });
    const o = { outbound: { allowPrivate: true, timeoutMs: 400 } };
    const started = Date.now();
    assert.equal(
      (await failure(`http://127.0.0.1:${slow.port}/trickle`, o)).message,
      `${SOURCE} could not be read to the end: timed out after 0.4 s`,
    );
    assert.ok(Date.now() - started < 2000);
    assert.equal(
      (await failure(`http://127.0.0.1:${slow.port}/no-headers`, o)).message,
      `${SOURCE} could not be read: timed out after 0.4 s`,
    );
  });

  it('cuts the body at the byte limit, the smaller of the operator’s and the caller’s', async () => {
    const big = await httpServer('127.0.0.1', (req, res) => {
      if (req.url === '/announced') res.writeHead(200, { 'content-length': '5000' }).end('x'.repeat(5000));
      else {
        res.write('x'.repeat(1500));
        res.end('x'.repeat(1500));
      }
    });
    const base = `http://127.0.0.1:${big.port}`;
    const limited = { outbound: { allowPrivate: true, maxBytes: 2048 } };
    const tooLarge = (limit: string) => `${SOURCE} is larger than ${limit}, the most Sluice reads from one file`;
    assert.equal((await failure(`${base}/chunked`, limited)).message, tooLarge('2048 bytes'));
    assert.equal((await failure(`${base}/announced`, limited)).message, tooLarge('2048 bytes'));
    assert.equal((await failure(`${base}/chunked`, { ...limited, maxBytes: 10 })).message, tooLarge('10 bytes'));
    assert.equal((await read(`${base}/chunked`, { outbound: { allowPrivate: true, maxBytes: 3000 } })).length, '200 '.length + 3000);
  });

  it("stops with the caller's signal, throwing its reason", async () => {
    const slow = await httpServer('127.0.0.1', (_req, res) => res.write('N\n'));
    const controller = new AbortController();
    const response = await fetchOutbound(`http://127.0.0.1:${slow.port}/`, { source: SOURCE, ...local, signal: controller.signal });
    const reading = (async () => {
      for await (const _chunk of response.body) controller.abort();
    })();
    await assert.rejects(reading, { name: 'AbortError' });
  });
});

describe('fetchOutbound: failures before an HTTP answer', () => {
  it('reads the same whether the port is closed, resets, speaks another protocol or TLS fails, or the name does not resolve', async () => {
    const http = await httpServer('127.0.0.1', (_req, res) => res.end('A\n'));
    const ports = {
      closed: await closedPort(),
      reset: await tcpServer((socket) => socket.resetAndDestroy()),
      ssh: await tcpServer((socket) => socket.end('SSH-2.0-OpenSSH_9.6\r\n')),
      silentClose: await tcpServer((socket) => socket.end()),
    };
    const messages = [
      (await failure(`http://127.0.0.1:${ports.closed}/a.csv`, local)).message,
      (await failure(`http://127.0.0.1:${ports.reset}/a.csv`, local)).message,
      (await failure(`http://127.0.0.1:${ports.ssh}/a.csv`, local)).message,
      (await failure(`http://127.0.0.1:${ports.silentClose}/a.csv`, local)).message,
      // TLS to a port that speaks plain HTTP.
      (await failure(`https://127.0.0.1:${http.port}/a.csv`, local)).message,
      (
        await failure('http://no-such-name.example/a.csv', {
          ...local,
          resolve: async () => {
            throw Object.assign(new Error('getaddrinfo ENOTFOUND no-such-name.example'), { code: 'ENOTFOUND' });
          },
        })
      ).message,
    ];
    assert.deepEqual(new Set(messages), new Set([NO_ANSWER]));
  });
});
