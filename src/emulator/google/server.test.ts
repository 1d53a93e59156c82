import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { after, before, beforeEach, describe, it } from 'node:test';
import { startGoogleEmulator } from './index.js';
import { googleError, startHarness, type Harness } from './test-support.js';

const OWNER = 'owner-bot@proj.iam.gserviceaccount.com';

describe('server', () => {
  let h: Harness;
  let token: string;
  before(async () => {
    h = await startHarness();
    token = await h.tokenFor(OWNER);
  });
  after(() => h.emulator.close());
  beforeEach(() => {
    h.emulator.reset();
    h.emulator.configure({ latencyMs: 0, quotaPerMinute: 0 });
  });

  const admin = async (method: string, path: string, body?: unknown) =>
    h.raw(method, `/_emulator/${path}`, body === undefined ? {} : { body: JSON.stringify(body) });
  const create = async (): Promise<string> =>
    ((await h.raw('POST', '/v4/spreadsheets', { token, body: '{}' })).json as { spreadsheetId: string }).spreadsheetId;

  it('listens on loopback only and refuses other hosts and bad options with clear errors', async () => {
    assert.match(h.emulator.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    await assert.rejects(startGoogleEmulator({ port: 0, host: '0.0.0.0' }), /^Error: host: "0\.0\.0\.0" is not a loopback address/);
    await assert.rejects(startGoogleEmulator({ port: 0, host: '192.168.1.10' }), /not a loopback address/);
    await assert.rejects(startGoogleEmulator({ port: 70_000 }), /port: 70000 is not allowed/);
    assert.throws(
      () => h.emulator.configure({ quotaPerMinute: 1.5 }),
      /quotaPerMinute: 1\.5 is not allowed; it must be an integer from 0 to 1000000/,
    );
    assert.throws(() => h.emulator.configure({ latencyMs: -1 }), /latencyMs: -1 is not allowed/);
    const local = await startGoogleEmulator({ port: 0, host: 'localhost' });
    await local.close();
  });

  it('answers unknown URLs with Google’s HTML 404', async () => {
    const response = await h.raw('GET', '/v4/nothing/here');
    assert.equal(response.status, 404);
    assert.match(response.headers.get('content-type') ?? '', /^text\/html/);
    assert.match(response.text, /The requested URL \/v4\/nothing\/here was not found on this server\./);
    assert.equal((await h.raw('DELETE', '/v4/spreadsheets')).status, 404);
  });

  it('survives garbage: bad JSON, a non-object body, a huge body, junk on the socket', async () => {
    const id = await create();
    const badJson = await h.raw('POST', `/v4/spreadsheets/${id}:batchUpdate`, { token, body: '{"requests": [' });
    assert.equal(badJson.status, 400);
    assert.match(String(googleError(badJson).message), /^Invalid JSON payload received\. Unexpected token\./);
    const array = await h.raw('POST', `/v4/spreadsheets/${id}:batchUpdate`, { token, body: '[1]' });
    assert.equal(googleError(array).message, 'Invalid JSON payload received. Unknown name "": Root element must be a message.');
    const huge = await h.raw('PUT', `/v4/spreadsheets/${id}/values/A1?valueInputOption=RAW`, {
      token,
      body: `{"values":[["${'x'.repeat(11 * 1024 * 1024)}"]]}`,
    });
    assert.equal(huge.status, 413);
    const oddRange = await h.raw('GET', `/v4/spreadsheets/${id}/values/%E0%A4%A`, { token });
    assert.equal(oddRange.status, 400);
    await new Promise<void>((resolve) => {
      const socket = connect(h.emulator.port, '127.0.0.1', () => socket.end('NOT HTTP AT ALL\r\n\r\n'));
      socket.on('data', () => undefined);
      socket.on('close', () => resolve());
      socket.on('error', () => resolve());
    });
    assert.equal((await h.raw('GET', `/v4/spreadsheets/${id}`, { token })).status, 200, 'still serving');
  });

  it('delays every answer by latencyMs', async () => {
    h.emulator.configure({ latencyMs: 150 });
    const started = performance.now();
    await h.raw('GET', '/v4/nothing');
    assert.ok(performance.now() - started >= 140);
  });

  it('offers JSON admin endpoints for a child process, unrecorded', async () => {
    const id = await create();
    assert.deepEqual((await admin('POST', 'config', { latencyMs: 5, quotaPerMinute: 100 })).json, { latencyMs: 5, quotaPerMinute: 100 });
    assert.equal((await admin('POST', 'config', { faultRate: 1 })).status, 400);
    assert.match(String((await admin('POST', 'config', { latencyMs: 'slow' })).text), /latencyMs: \\"slow\\" is not allowed/);

    const other = 'other@example.com';
    assert.equal((await admin('POST', 'share', { spreadsheetId: id, email: other, role: 'owner' })).status, 400);
    assert.equal((await admin('POST', 'share', { spreadsheetId: id, email: other, role: 'reader' })).status, 200);
    const otherToken = await h.tokenFor(other);
    assert.equal((await h.raw('GET', `/v4/spreadsheets/${id}`, { token: otherToken })).status, 200);

    await h.raw('PUT', `/v4/spreadsheets/${id}/values/A1?valueInputOption=RAW`, { token, body: '{"values":[["a","b"]]}' });
    const published = (await admin('POST', 'publish', { spreadsheetId: id })).json as { url: string };
    assert.equal(await (await fetch(published.url)).text(), 'a,b');
    assert.deepEqual((await admin('GET', `grid?spreadsheetId=${id}&tab=Sheet1`)).json, { values: [['a', 'b']] });
    assert.equal((await admin('GET', `grid?spreadsheetId=${id}&tab=Nope`)).status, 400);

    assert.equal((await admin('POST', 'oauth-client', { clientId: 'c1', clientSecret: 's1' })).status, 200);
    assert.equal((await admin('POST', 'oauth-user', { email: 'bo@example.com' })).status, 200);
    const consent = await h.raw(
      'GET',
      `/o/oauth2/v2/auth?client_id=c1&redirect_uri=${encodeURIComponent('http://127.0.0.1:1/cb')}&response_type=code&scope=s`,
    );
    assert.equal(consent.status, 302);
    assert.equal(h.emulator.requests().at(-1)?.caller, 'bo@example.com');

    assert.equal((await admin('POST', 'fail-next', { n: 1 })).status, 200);
    assert.equal((await h.raw('GET', `/v4/spreadsheets/${id}`, { token })).status, 429);

    const log = (await admin('GET', 'requests')).json as { path: string }[];
    assert.ok(log.length > 0 && log.every((r) => !r.path.startsWith('/_emulator')), 'admin calls are not recorded');
    assert.equal((await admin('POST', 'reset')).status, 200);
    assert.deepEqual((await admin('GET', 'requests')).json, []);
    assert.equal((await h.raw('GET', `/v4/spreadsheets/${id}`, { token })).status, 404, 'reset forgot the spreadsheet');
    assert.equal((await h.raw('POST', '/v4/spreadsheets', { token, body: '{}' })).status, 200, 'reset kept the token');

    assert.equal((await admin('POST', 'nothing')).status, 404);
    assert.equal((await h.raw('POST', '/_emulator/share', { body: '{oops' })).status, 400);
  });
});
