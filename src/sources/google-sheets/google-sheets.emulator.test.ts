import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { after, before, beforeEach, describe, it } from 'node:test';
import { sheets } from '@googleapis/sheets';
import type { JWT } from 'google-auth-library';
import { startGoogleEmulator, type GoogleEmulator } from '../../emulator/google/index.js';
import type { GoogleEndpoints } from './endpoints.js';
import { authorizationUrl, checkAuth, exchangeCode, oauthClient, parseServiceAccountKey, serviceAccountClient } from './google-auth.js';
import { readSheetTable, rowHash, sampleSheet, type SheetRow } from './read-sheet.js';
import type { GoogleSheetsSettings } from './settings.js';
import { GoogleSheetsError, SheetsApi } from './sheets-api.js';

/** A service account of our own making: Google's key file shape, with a fresh RSA key. */
function serviceAccount(name: string): { email: string; client: (endpoints: GoogleEndpoints) => JWT } {
  const { privateKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });
  const email = `${name}@sluice-test.iam.gserviceaccount.com`;
  const key = parseServiceAccountKey({
    type: 'service_account',
    project_id: 'sluice-test',
    private_key_id: name,
    private_key: privateKey,
    client_email: email,
  });
  assert.ok(key.ok, key.ok ? '' : key.error);
  return { email, client: (endpoints) => serviceAccountClient(key.value, endpoints) };
}

const FAST_RETRY = { attempts: 4, baseMs: 1, maxMs: 10 };
const HEADER = ['Order #', 'Email', 'Amount', 'Stripe ID'];
const order = (n: number) => [`A-${n}`, `customer${n}@example.com`, `${n}.50`];

/** A full garbage collection, so that the memory check starts from live data only. */
function settleHeap(): void {
  setFlagsFromString('--expose-gc');
  const gc: unknown = runInNewContext('gc');
  if (typeof gc === 'function') gc();
}

async function readAll(table: { rows: AsyncIterable<SheetRow> }): Promise<SheetRow[]> {
  const rows: SheetRow[] = [];
  for await (const row of table.rows) rows.push(row);
  return rows;
}

describe('Google Sheets source against the Google emulator', () => {
  let emulator: GoogleEmulator;
  let endpoints: GoogleEndpoints;
  const owner = serviceAccount('sluice-owner');
  const stranger = serviceAccount('sluice-stranger');
  let ownerAuth: JWT;
  let spreadsheetId = '';
  let ordersGid = 0;

  const api = (auth: JWT, pageRows?: number) =>
    new SheetsApi(auth, endpoints, { retry: FAST_RETRY, ...(pageRows === undefined ? {} : { pageRows }) });
  const settings = (more: Partial<GoogleSheetsSettings> = {}): GoogleSheetsSettings => ({
    type: 'google_sheets',
    accountId: 'acc_owner',
    spreadsheet: `https://docs.google.com/spreadsheets/d/${spreadsheetId}/edit#gid=0`,
    tab: 'Orders',
    headerRow: 1,
    firstDataRow: 2,
    ...more,
  });

  /** A new spreadsheet owned by the owner service account, made through Google's own client. */
  async function createSpreadsheet(tabs: Record<string, string[][]>): Promise<{ id: string; gids: number[] }> {
    const client = sheets({ version: 'v4', auth: ownerAuth, rootUrl: `${emulator.url}/` });
    const created = await client.spreadsheets.create({
      requestBody: { properties: { title: 'Sluice test' }, sheets: Object.keys(tabs).map((title) => ({ properties: { title } })) },
    });
    const id = created.data.spreadsheetId ?? '';
    for (const [title, values] of Object.entries(tabs)) {
      if (values.length === 0) continue;
      await client.spreadsheets.values.update({
        spreadsheetId: id,
        range: `'${title}'!A1`,
        valueInputOption: 'RAW',
        requestBody: { values },
      });
    }
    return { id, gids: (created.data.sheets ?? []).map((s) => s.properties?.sheetId ?? 0) };
  }

  before(async () => {
    emulator = await startGoogleEmulator({ port: 0 });
    endpoints = {
      sheetsApiBase: new URL(`${emulator.url}/`),
      tokenUrl: new URL(`${emulator.url}/token`),
      authUrl: new URL(`${emulator.url}/o/oauth2/v2/auth`),
    };
    ownerAuth = owner.client(endpoints);
  });
  after(async () => {
    await emulator.close();
  });
  beforeEach(async () => {
    emulator.reset();
    const made = await createSpreadsheet({
      Orders: [HEADER, ...Array.from({ length: 10 }, (_, i) => order(i + 1))],
      Invoices: [['Invoice']],
    });
    spreadsheetId = made.id;
    ordersGid = made.gids[0] ?? 0;
  });

  it('checks the service account key against the token endpoint', async () => {
    assert.deepEqual(await checkAuth(ownerAuth), { ok: true, value: { email: owner.email } });
  });

  it('reads a tab page by page as the service account', async () => {
    const before = emulator.requests().length;
    const table = await readSheetTable({ api: api(ownerAuth, 3), settings: settings() });
    assert.deepEqual(table.columns, HEADER);
    const rows = await readAll(table);
    assert.equal(rows.length, 10);
    assert.deepEqual(rows[0], {
      rowNumber: 2,
      fields: { 'Order #': 'A-1', Email: 'customer1@example.com', Amount: '1.50', 'Stripe ID': '' },
      cells: order(1),
    });
    assert.equal(rows[9]?.rowNumber, 11);
    const reads = emulator
      .requests()
      .slice(before)
      .filter((r) => r.path.includes('/values/'))
      .map((r) => r.path.split('/values/')[1]);
    // 11 rows with data in pages of 3: four pages with data, then an empty page ends the read.
    assert.deepEqual(reads, ["'Orders'!A1:Z3", "'Orders'!A4:Z6", "'Orders'!A7:Z9", "'Orders'!A10:Z12", "'Orders'!A13:Z15"]);
  });

  it('tells a person to share the sheet with the service account, and reads once it is shared', async () => {
    await assert.rejects(readSheetTable({ api: api(stranger.client(endpoints)), settings: settings() }), (error) => {
      assert.ok(error instanceof GoogleSheetsError);
      assert.equal(error.kind, 'not_shared');
      assert.equal(error.message, `the sheet is not shared with ${stranger.email} — share it with that address`);
      return true;
    });
    emulator.share(spreadsheetId, stranger.email, 'reader');
    assert.equal((await readAll(await readSheetTable({ api: api(stranger.client(endpoints)), settings: settings() }))).length, 10);
  });

  it('names a missing tab and lists the tabs, and a missing spreadsheet', async () => {
    await assert.rejects(readSheetTable({ api: api(ownerAuth), settings: settings({ tab: 'Customers' }) }), {
      kind: 'tab_not_found',
      message: "tab 'Customers' not found; tabs are: Orders, Invoices",
    });
    const missing = '1ZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZ';
    await assert.rejects(readSheetTable({ api: api(ownerAuth), settings: settings({ spreadsheet: missing }) }), {
      kind: 'not_found',
      message: `spreadsheet ${missing} not found: check the link`,
    });
  });

  it('retries 429 RESOURCE_EXHAUSTED and then reads', async () => {
    const sheetsApi = api(ownerAuth);
    await sheetsApi.tabs(spreadsheetId); // the token is fetched before failNext counts
    const before = emulator.requests().length;
    emulator.failNext(2);
    const tabs = await sheetsApi.tabs(spreadsheetId);
    assert.deepEqual(
      tabs.map((t) => t.title),
      ['Orders', 'Invoices'],
    );
    assert.deepEqual(
      emulator
        .requests()
        .slice(before)
        .map((r) => r.status),
      [429, 429, 200],
    );
  });

  it('gives up on a quota that stays used up, saying so', async () => {
    const sheetsApi = api(ownerAuth);
    await sheetsApi.tabs(spreadsheetId);
    emulator.failNext(FAST_RETRY.attempts);
    await assert.rejects(sheetsApi.tabs(spreadsheetId), { kind: 'quota', status: 429 });
  });

  it('reads a sheet published as CSV without an account, like the API does', async () => {
    const url = emulator.publish(spreadsheetId, ordersGid);
    // The emulator is on loopback, which only SLUICE_ALLOW_PRIVATE_URLS=1 lets a link reach.
    const published = await readSheetTable({
      settings: { type: 'google_sheets', spreadsheet: url, headerRow: 1, firstDataRow: 2 },
      outbound: { allowPrivate: true },
    });
    const viaCsv = await readAll(published);
    const viaApi = await readAll(await readSheetTable({ api: api(ownerAuth), settings: settings() }));
    assert.deepEqual(published.columns, HEADER);
    assert.deepEqual(
      viaCsv.map((r) => [r.rowNumber, r.fields]),
      viaApi.map((r) => [r.rowNumber, r.fields]),
    );
    // The CSV has every column of every row, the API leaves trailing empty cells out: same hashes.
    assert.deepEqual(
      viaCsv.map((r) => rowHash(r.cells)),
      viaApi.map((r) => rowHash(r.cells)),
    );
  });

  it('writes cells and reads them back', async () => {
    const sheetsApi = api(ownerAuth);
    await sheetsApi.writeCells(spreadsheetId, [
      { tab: 'Orders', row: 2, column: 3, value: 'cus_A1' },
      { tab: 'Orders', row: 4, column: 3, value: 'cus_A3' },
      { tab: 'Orders', row: 4, column: 5, value: '=1+1' },
    ]);
    const sample = await sampleSheet({ api: sheetsApi, settings: settings() }, 3);
    assert.deepEqual(sample.columns, [...HEADER, 'Column F']);
    assert.deepEqual(
      sample.rows.map((r) => [r.rowNumber, r.fields['Stripe ID'], r.fields['Column F']]),
      [
        [2, 'cus_A1', undefined],
        [3, '', undefined],
        [4, 'cus_A3', '=1+1'],
      ],
    );
    assert.deepEqual(emulator.grid(spreadsheetId, 'Orders')[3], ['A-3', 'customer3@example.com', '3.50', 'cus_A3', '', '=1+1']);
  });

  it('reads 5,000 rows in pages in flat memory', async () => {
    const values = [HEADER, ...Array.from({ length: 5000 }, (_, i) => order(i + 1))];
    const made = await createSpreadsheet({ Big: values });
    const table = await readSheetTable({ api: api(ownerAuth, 500), settings: settings({ spreadsheet: made.id, tab: 'Big' }) });
    settleHeap();
    const start = process.memoryUsage().heapUsed;
    let peak = start;
    let count = 0;
    let last = 0;
    for await (const row of table.rows) {
      count++;
      last = row.rowNumber;
      if (count % 250 === 0) peak = Math.max(peak, process.memoryUsage().heapUsed);
    }
    assert.equal(count, 5000);
    assert.equal(last, 5001);
    // Loose: one page of 500 rows is well under a megabyte; the whole sheet held at once would not
    // fit this either way, but a read that kept every row would grow with the sheet.
    assert.ok(peak - start < 40 * 1024 * 1024, `heap grew by ${Math.round((peak - start) / 1024 / 1024)} MB`);
    const pages = emulator.requests().filter((r) => r.path.includes("/values/'Big'!"));
    assert.equal(pages.length, 12); // eleven pages hold the 5,001 rows; the empty page after them ends the read
  });

  it('signs a person in with the OAuth code flow and reads as them', async () => {
    emulator.registerOAuthClient('sluice-client', 'sluice-secret');
    emulator.setOAuthUser('ann@example.com');
    const client = oauthClient({
      clientId: 'sluice-client',
      clientSecret: 'sluice-secret',
      redirectUri: 'http://127.0.0.1:1/oauth/google/callback',
      endpoints,
    });
    const consent = await fetch(authorizationUrl(client, 'st4te'), { redirect: 'manual' });
    const back = new URL(consent.headers.get('location') ?? '');
    assert.equal(back.searchParams.get('state'), 'st4te');
    const { refreshToken } = await exchangeCode(client, back.searchParams.get('code') ?? '');
    assert.ok(refreshToken !== '');

    const later = oauthClient({
      clientId: 'sluice-client',
      clientSecret: 'sluice-secret',
      redirectUri: 'http://127.0.0.1:1/oauth/google/callback',
      endpoints,
      refreshToken,
    });
    assert.equal((await checkAuth(later)).ok, true);
    const asAnn = new SheetsApi(later, endpoints, { retry: FAST_RETRY, identity: 'ann@example.com' });
    await assert.rejects(readSheetTable({ api: asAnn, settings: settings() }), {
      message: 'the sheet is not shared with ann@example.com — share it with that address',
    });
    emulator.share(spreadsheetId, 'ann@example.com');
    assert.equal((await readAll(await readSheetTable({ api: asAnn, settings: settings() }))).length, 10);
  });
});
