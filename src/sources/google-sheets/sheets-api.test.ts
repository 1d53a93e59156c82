import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, beforeEach, describe, it } from 'node:test';
import { OAuth2Client } from 'google-auth-library';
import { GoogleSheetsError, SheetsApi, type SheetRowCells } from './sheets-api.js';
import type { GoogleEndpoints } from './endpoints.js';

/**
 * A stand-in for the Sheets API on loopback that answers what each test sets, to pin how answers
 * and errors are read. The Google emulator's tests (sheets-api.emulator.test.ts) cover the real flow.
 */
class SheetsStub {
  server: Server = createServer((req, res) => void this.handle(req, res));
  requests: Array<{ method: string; path: string; query: URLSearchParams; body: unknown; auth: string | undefined }> = [];
  answer: (req: { method: string; path: string; query: URLSearchParams; body: unknown }) => {
    status: number;
    body: unknown;
    headers?: Record<string, string>;
  } = () => ({ status: 500, body: {} });
  url = '';

  async start(): Promise<void> {
    this.server.listen(0, '127.0.0.1');
    await once(this.server, 'listening');
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let text = '';
    for await (const chunk of req) text += String(chunk);
    const url = new URL(req.url ?? '/', this.url);
    const request = {
      method: req.method ?? 'GET',
      path: decodeURIComponent(url.pathname),
      query: url.searchParams,
      body: text === '' ? undefined : JSON.parse(text),
    };
    this.requests.push({ ...request, auth: req.headers.authorization });
    const { status, body, headers } = this.answer(request);
    res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));
  }
}

const ID = '1BxiMVs0XRA5nFMdKvBdBZjgmUUqptlbs74OgvE2upms';
const googleError = (code: number, status: string, message: string) => ({ error: { code, message, status } });
const spreadsheet = (tabs: Array<[string, number, number]>) => ({
  sheets: tabs.map(([title, rowCount, columnCount], i) => ({
    properties: { sheetId: i * 100, title, sheetType: 'GRID', gridProperties: { rowCount, columnCount } },
  })),
});

describe('SheetsApi against a stub', () => {
  const stub = new SheetsStub();
  let endpoints: GoogleEndpoints;
  const auth = new OAuth2Client();
  auth.setCredentials({ access_token: 'ya29.test', expiry_date: Date.now() + 3_600_000 });
  const api = (o: ConstructorParameters<typeof SheetsApi>[2] = {}) =>
    new SheetsApi(auth, endpoints, { retry: { attempts: 3, baseMs: 1, maxMs: 5 }, ...o });

  before(async () => {
    await stub.start();
    endpoints = { sheetsApiBase: new URL(stub.url), tokenUrl: new URL(`${stub.url}/token`), authUrl: new URL(`${stub.url}/auth`) };
  });
  after(() => stub.server.close());
  beforeEach(() => {
    stub.requests = [];
  });

  it('lists tabs, leaving out chart sheets', async () => {
    stub.answer = () => ({
      status: 200,
      body: {
        sheets: [
          { properties: { sheetId: 0, title: 'Orders', sheetType: 'GRID', gridProperties: { rowCount: 1000, columnCount: 26 } } },
          { properties: { sheetId: 7, title: 'Chart', sheetType: 'OBJECT' } },
          { properties: { sheetId: 9, title: 'Invoices', gridProperties: { rowCount: 5, columnCount: 3 } } },
        ],
      },
    });
    assert.deepEqual(await api().tabs(ID), [
      { title: 'Orders', sheetId: 0, rowCount: 1000, columnCount: 26 },
      { title: 'Invoices', sheetId: 9, rowCount: 5, columnCount: 3 },
    ]);
    assert.equal(stub.requests[0]?.path, `/v4/spreadsheets/${ID}`);
    assert.equal(stub.requests[0]?.auth, 'Bearer ya29.test');
  });

  it('keeps a path prefix of the API base', async () => {
    stub.answer = () => ({ status: 200, body: spreadsheet([['Orders', 10, 3]]) });
    const prefixed = new SheetsApi(auth, { ...endpoints, sheetsApiBase: new URL(`${stub.url}/google/`) });
    await prefixed.tabs(ID);
    assert.equal(stub.requests[0]?.path, `/google/v4/spreadsheets/${ID}`);
  });

  it('reads page by page, quoting the tab, up to the grid and to the first empty page', async () => {
    const rows = [['Name', 'Email'], ['Ann', 'a@x.com'], [], ['Bob'], ['Cy', 'c@x.com']];
    stub.answer = (req) => {
      if (req.path === `/v4/spreadsheets/${ID}`) return { status: 200, body: spreadsheet([["Jon's Orders", 100, 2]]) };
      const match = /!A(\d+):B(\d+)$/.exec(req.path) ?? [];
      const values = rows.slice(Number(match[1]) - 1, Number(match[2]));
      return { status: 200, body: { range: req.path, majorDimension: 'ROWS', ...(values.length === 0 ? {} : { values }) } };
    };
    const read: SheetRowCells[] = [];
    for await (const row of api({ pageRows: 2 }).readRows(ID, "jon's orders", 1)) read.push(row);
    assert.deepEqual(read, [
      { rowNumber: 1, cells: ['Name', 'Email'] },
      { rowNumber: 2, cells: ['Ann', 'a@x.com'] },
      { rowNumber: 3, cells: [] },
      { rowNumber: 4, cells: ['Bob'] },
      { rowNumber: 5, cells: ['Cy', 'c@x.com'] },
    ]);
    assert.deepEqual(
      stub.requests.slice(1).map((r) => [r.path.split('/values/')[1], r.query.get('valueRenderOption'), r.query.get('majorDimension')]),
      [
        ["'Jon''s Orders'!A1:B2", 'FORMATTED_VALUE', 'ROWS'],
        ["'Jon''s Orders'!A3:B4", 'FORMATTED_VALUE', 'ROWS'],
        ["'Jon''s Orders'!A5:B6", 'FORMATTED_VALUE', 'ROWS'],
        ["'Jon''s Orders'!A7:B8", 'FORMATTED_VALUE', 'ROWS'],
      ],
    );
  });

  it('never asks beyond the last row of the grid', async () => {
    stub.answer = (req) =>
      req.path === `/v4/spreadsheets/${ID}`
        ? { status: 200, body: spreadsheet([['T', 5, 1]]) }
        : { status: 200, body: { values: [['x'], ['y']] } };
    const read: number[] = [];
    for await (const row of api({ pageRows: 2 }).readRows(ID, 'T', 2)) read.push(row.rowNumber);
    assert.deepEqual(
      stub.requests.slice(1).map((r) => r.path.split('/values/')[1]),
      ["'T'!A2:A3", "'T'!A4:A5"],
    );
    assert.deepEqual(read, [2, 3, 4, 5]);
  });

  it('retries 429 and 5xx, honouring Retry-After, then succeeds', async () => {
    let calls = 0;
    stub.answer = () => {
      calls++;
      if (calls === 1)
        return { status: 429, body: googleError(429, 'RESOURCE_EXHAUSTED', 'Quota exceeded'), headers: { 'retry-after': '0' } };
      if (calls === 2) return { status: 503, body: googleError(503, 'UNAVAILABLE', 'The service is currently unavailable.') };
      return { status: 200, body: spreadsheet([['Orders', 10, 3]]) };
    };
    assert.equal((await api().tabs(ID)).length, 1);
    assert.equal(calls, 3);
  });

  it('gives up after the attempts with a quota or unavailable error', async () => {
    stub.answer = () => ({ status: 429, body: googleError(429, 'RESOURCE_EXHAUSTED', 'Quota exceeded') });
    await assert.rejects(api().tabs(ID), (error) => {
      assert.ok(error instanceof GoogleSheetsError);
      assert.equal(error.kind, 'quota');
      assert.equal(
        error.message,
        'Google Sheets is still refusing requests for quota (HTTP 429 RESOURCE_EXHAUSTED) after 3 attempts; the per-minute quota refills within a minute: try again then',
      );
      return true;
    });
    assert.equal(stub.requests.length, 3);
    stub.answer = () => ({ status: 500, body: googleError(500, 'INTERNAL', 'Internal error encountered.') });
    await assert.rejects(api().tabs(ID), {
      kind: 'unavailable',
      message: 'Google Sheets answered HTTP 500 (Internal error encountered.) 3 times; try again later',
    });
  });

  it('translates 403, 404, 401 and 400 for a person, without retrying', async () => {
    const cases: Array<[number, string, string, string, string]> = [
      [
        403,
        'PERMISSION_DENIED',
        'The caller does not have permission',
        'not_shared',
        'the sheet is not shared with reader@p.iam.gserviceaccount.com — share it with that address',
      ],
      [404, 'NOT_FOUND', 'Requested entity was not found.', 'not_found', `spreadsheet ${ID} not found: check the link`],
      [
        401,
        'UNAUTHENTICATED',
        'Request had invalid authentication credentials.',
        'auth',
        'Google refused the credentials: Request had invalid authentication credentials.',
      ],
      [
        400,
        'INVALID_ARGUMENT',
        'Invalid value at fields',
        'bad_request',
        'Google Sheets refused the request (HTTP 400): Invalid value at fields',
      ],
      [
        403,
        'PERMISSION_DENIED',
        'Google Sheets API has not been used in project 42 before or it is disabled.',
        'auth',
        "the Google Sheets API is not enabled for the credentials' Google Cloud project: Google Sheets API has not been used in project 42 before or it is disabled.",
      ],
      [
        403,
        'PERMISSION_DENIED',
        'Request had insufficient authentication scopes.',
        'auth',
        'the credentials were not granted access to Google Sheets (Request had insufficient authentication scopes.); sign in again and allow Sluice to see and edit the spreadsheets',
      ],
    ];
    for (const [status, googleStatus, text, kind, message] of cases) {
      stub.requests = [];
      stub.answer = () => ({ status, body: googleError(status, googleStatus, text) });
      await assert.rejects(api({ identity: 'reader@p.iam.gserviceaccount.com' }).tabs(ID), { kind, message, status });
      assert.equal(stub.requests.length, 1, `${status} is not retried`);
    }
    stub.answer = () => ({ status: 403, body: googleError(403, 'PERMISSION_DENIED', 'The caller does not have permission') });
    await assert.rejects(api().tabs(ID), {
      message: `the sheet is not shared with the Google account Sluice uses — share it with that account (spreadsheet ${ID})`,
    });
  });

  it('names a missing tab and lists the tabs there are', async () => {
    stub.answer = () => ({
      status: 200,
      body: spreadsheet([
        ['Sheet1', 10, 3],
        ['Invoices', 10, 3],
      ]),
    });
    await assert.rejects(api().readRows(ID, 'Orders', 1).next(), {
      kind: 'tab_not_found',
      message: "tab 'Orders' not found; tabs are: Sheet1, Invoices",
    });
    await assert.rejects(api().writeCells(ID, [{ tab: 'Orders', row: 2, column: 0, value: 'x' }]), {
      kind: 'tab_not_found',
      message: "tab 'Orders' not found; tabs are: Sheet1, Invoices",
    });
  });

  it('turns "Unable to parse range" for a tab deleted meanwhile into the list of tabs', async () => {
    let deleted = false;
    stub.answer = (req) => {
      if (req.path === `/v4/spreadsheets/${ID}`)
        return { status: 200, body: spreadsheet(deleted ? [['Sheet1', 10, 3]] : [['Orders', 10, 3]]) };
      deleted = true;
      return { status: 400, body: googleError(400, 'INVALID_ARGUMENT', "Unable to parse range: 'Orders'!A1:C10") };
    };
    await assert.rejects(api().readRows(ID, 'Orders', 1).next(), {
      kind: 'tab_not_found',
      message: "tab 'Orders' not found; tabs are: Sheet1",
    });
  });

  it('writes cells RAW, 500 ranges per call, to the tab as titled', async () => {
    stub.answer = (req) =>
      req.method === 'GET' ? { status: 200, body: spreadsheet([['Orders', 2000, 5]]) } : { status: 200, body: { totalUpdatedCells: 1 } };
    const updates = Array.from({ length: 1001 }, (_, i) => ({ tab: 'orders', row: i + 2, column: 4, value: `cus_${i}` }));
    await api().writeCells(ID, updates);
    const writes = stub.requests.filter((r) => r.method === 'POST');
    assert.deepEqual(
      writes.map((w) => w.path),
      Array(3).fill(`/v4/spreadsheets/${ID}/values:batchUpdate`),
    );
    const bodies = writes.map((w) => w.body as { valueInputOption: string; data: Array<{ range: string; values: string[][] }> });
    assert.deepEqual(
      bodies.map((b) => [b.valueInputOption, b.data.length]),
      [
        ['RAW', 500],
        ['RAW', 500],
        ['RAW', 1],
      ],
    );
    assert.deepEqual(bodies[0]?.data[0], { range: "'Orders'!E2", values: [['cus_0']] });
    assert.deepEqual(bodies[2]?.data[0], { range: "'Orders'!E1002", values: [['cus_1000']] });
    stub.requests = [];
    await api().writeCells(ID, []);
    assert.equal(stub.requests.length, 0);
  });

  it('says when Google cannot be reached', async () => {
    const closed = createServer();
    closed.listen(0, '127.0.0.1');
    await once(closed, 'listening');
    const port = (closed.address() as AddressInfo).port;
    closed.close();
    const away = new SheetsApi(
      auth,
      { ...endpoints, sheetsApiBase: new URL(`http://127.0.0.1:${port}`) },
      { retry: { attempts: 2, baseMs: 1, maxMs: 2 } },
    );
    await assert.rejects(away.tabs(ID), {
      kind: 'unavailable',
      message: `could not reach Google (127.0.0.1:${port}) after 2 attempts: ECONNREFUSED`,
    });
  });

  it('stops when the signal aborts', async () => {
    stub.answer = () => ({ status: 429, body: googleError(429, 'RESOURCE_EXHAUSTED', 'Quota exceeded'), headers: { 'retry-after': '30' } });
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('run stopped')), 50);
    await assert.rejects(api().tabs(ID, { signal: controller.signal }), { message: 'run stopped' });
  });
});
