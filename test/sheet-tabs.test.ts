import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startGoogleEmulator, type GoogleEmulator } from '../src/emulator/google/index.js';
import { googleEnv, serviceAccountKey, sheetsAs, TestSheet } from './support/google.js';
import { startHarness, type Harness } from './support/harness.js';

const SLUICE = 'sluice@sluice-test.iam.gserviceaccount.com';
const owner = serviceAccountKey('owner@sluice-test.iam.gserviceaccount.com');

let google: GoogleEmulator;
let h: Harness;
let googleAccount: string;

before(async () => {
  google = await startGoogleEmulator({ port: 0 });
  h = await startHarness({ env: googleEnv(google) });
  const res = await h.api<{ id: string }>('POST', '/api/accounts', {
    name: 'Sheets',
    type: 'google_service_account',
    credentials: serviceAccountKey(SLUICE),
  });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  googleAccount = res.body.id;
});
after(async () => {
  await h.close();
  await google.close();
});

type Tabs = { tabs: { title: string; sheetId: number }[]; linked?: string; error?: { message: string; errors?: { field: string }[] } };

/** A spreadsheet with the tabs Orders and Refunds, shared with Sluice's service account unless `shared` is false. */
async function spreadsheet(shared = true): Promise<{ sheet: TestSheet; refunds: number }> {
  const api = sheetsAs(google, owner);
  const sheet = await TestSheet.create(api, 'Orders', [['Email'], ['a@example.com']]);
  const added = await api.spreadsheets.batchUpdate({
    spreadsheetId: sheet.id,
    requestBody: { requests: [{ addSheet: { properties: { title: 'Refunds' } } }] },
  });
  const refunds = added.data.replies?.[0]?.addSheet?.properties?.sheetId ?? -1;
  if (shared) google.share(sheet.id, SLUICE, 'reader');
  return { sheet, refunds };
}

test('lists the tabs of a spreadsheet in order, and names the tab its link points at', async () => {
  const { sheet, refunds } = await spreadsheet();
  const res = await h.api<Tabs>('POST', '/api/sources/google-sheets/tabs', {
    accountId: googleAccount,
    spreadsheet: `https://docs.google.com/spreadsheets/d/${sheet.id}/edit#gid=${refunds}`,
  });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  assert.deepEqual(
    res.body.tabs.map((t) => t.title),
    ['Orders', 'Refunds'],
  );
  assert.equal(res.body.linked, 'Refunds');

  const byId = await h.api<Tabs>('POST', '/api/sources/google-sheets/tabs', { accountId: googleAccount, spreadsheet: sheet.id });
  assert.equal(byId.status, 200);
  assert.equal(byId.body.linked, undefined);
});

test('a spreadsheet not shared with the account: 422 saying which address to share it with', async () => {
  const { sheet } = await spreadsheet(false);
  const res = await h.api<Tabs>('POST', '/api/sources/google-sheets/tabs', { accountId: googleAccount, spreadsheet: sheet.id });
  assert.equal(res.status, 422, JSON.stringify(res.body));
  assert.equal(
    res.body.error?.message,
    'spreadsheet: could not be read: the sheet is not shared with sluice@sluice-test.iam.gserviceaccount.com — share it with that address',
  );
});

test('a published link, a link that is not a spreadsheet, or an account that is not Google: 400 naming the field', async () => {
  const stripeAccount = await h.account();
  const cases: [Record<string, unknown>, string, RegExp][] = [
    [
      { accountId: googleAccount, spreadsheet: 'https://docs.google.com/spreadsheets/d/e/2PACX-1abc/pub?gid=0&single=true&output=csv' },
      'spreadsheet',
      /^spreadsheet: ".*" is the link of a sheet published to the web/,
    ],
    [
      { accountId: googleAccount, spreadsheet: 'orders.xlsx' },
      'spreadsheet',
      /^spreadsheet: "orders\.xlsx" is neither a spreadsheet id nor a link/,
    ],
    [
      { accountId: 'acc_nope', spreadsheet: '1BxiMVs0XRA5nFMdKvBdBZjgmUUqptlbs74OgvE2upms' },
      'accountId',
      /^accountId: "acc_nope" is not an account/,
    ],
    [
      { accountId: stripeAccount, spreadsheet: '1BxiMVs0XRA5nFMdKvBdBZjgmUUqptlbs74OgvE2upms' },
      'accountId',
      /^accountId: ".*" is a stripe account; tabs are read through a Google account/,
    ],
    [{ spreadsheet: '1BxiMVs0XRA5nFMdKvBdBZjgmUUqptlbs74OgvE2upms' }, 'accountId', /^accountId: is required/],
  ];
  for (const [body, field, message] of cases) {
    const res = await h.api<Tabs>('POST', '/api/sources/google-sheets/tabs', body);
    assert.equal(res.status, 400, JSON.stringify(res.body));
    assert.equal(res.body.error?.errors?.[0]?.field, field, JSON.stringify(res.body));
    assert.match(res.body.error?.message ?? '', message);
  }
});
