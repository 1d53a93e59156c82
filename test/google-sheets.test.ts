import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startGoogleEmulator, type GoogleEmulator } from '../src/emulator/google/index.js';
import { googleEnv, serviceAccountKey, sheetsAs, TestSheet } from './support/google.js';
import { startHarness, type Harness, type RunBody } from './support/harness.js';
import { asBrowser, browserSession } from './support/session.js';

const SLUICE = 'sluice@sluice-test.iam.gserviceaccount.com';
const OWNER = 'owner@sluice-test.iam.gserviceaccount.com';

let google: GoogleEmulator;
let h: Harness;
let stripeAccount: string;
let googleAccount: string;
const owner = serviceAccountKey(OWNER);

before(async () => {
  google = await startGoogleEmulator({ port: 0 });
  // The published-link test reads from the emulator on loopback: allowed only with the flag.
  h = await startHarness({ env: { ...googleEnv(google), SLUICE_ALLOW_PRIVATE_URLS: '1' } });
  stripeAccount = await h.account();
  const res = await h.api<{ id: string; email: string; status: string; type: string }>('POST', '/api/accounts', {
    name: 'Sheets',
    type: 'google_service_account',
    credentials: serviceAccountKey(SLUICE),
  });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  assert.deepEqual([res.body.type, res.body.email, res.body.status], ['google_service_account', SLUICE, 'active']);
  googleAccount = res.body.id;
});
after(async () => {
  await h.close();
  await google.close();
});

const HEADER = ['Email', 'Name', 'Stripe ID'];
const person = (n: number) => [`p${n}@sheet.example`, `Person ${n}`];

/** A sheet owned by someone else and shared with Sluice's service account, with a customer connection. */
async function sheetConnection(
  rows: string[][],
  o: { header?: string[]; keyColumn?: string; startFrom?: 'all' | 'new'; mapping?: Record<string, string> } = {},
) {
  const sheet = await TestSheet.create(sheetsAs(google, owner), 'Orders', [o.header ?? HEADER, ...rows]);
  google.share(sheet.id, SLUICE, 'writer');
  const c = await h.connection({
    name: 'Sheet customers',
    source: {
      type: 'google_sheets',
      accountId: googleAccount,
      spreadsheet: `https://docs.google.com/spreadsheets/d/${sheet.id}/edit#gid=0`,
      tab: 'Orders',
      writeBack: { 'Stripe ID': 'stripeId' },
      ...(o.keyColumn && { keyColumn: o.keyColumn }),
    },
    action: 'stripe.create_customer',
    accountId: stripeAccount,
    mapping: o.mapping ?? { email: '{{Email}}', name: '{{Name}}' },
    ...(o.startFrom && { startFrom: o.startFrom }),
  });
  return { sheet, c };
}

const customersMatching = (email: RegExp) =>
  h.emulator.objects('customer').filter((c) => email.test(String((c as { email?: string }).email ?? '')));
const sentEmails = (run: RunBody) => run.rows.filter((r) => r.status === 'sent').length;

test('sheet rows become customers once, and each row gets its Stripe id written back', async () => {
  const { sheet, c } = await sheetConnection([person(1), person(2), person(3)]);
  const first = await h.run(c.id);
  assert.equal(first.status, 'succeeded', JSON.stringify(first));
  assert.equal(first.counts.sent, 3);
  const grid = await sheet.read();
  for (const row of grid.slice(1)) assert.match(row[2] ?? '', /^cus_/, JSON.stringify(grid));
  const ids = new Set(grid.slice(1).map((r) => r[2]));
  assert.equal(ids.size, 3);
  // Writing the ids back does not make the rows look edited or new.
  const second = await h.run(c.id);
  assert.equal(second.counts.sent, 0, JSON.stringify(second));
});

test('inserted, deleted, sorted and edited rows: only the inserted ones are sent', async () => {
  const { sheet, c } = await sheetConnection([person(11), person(12), person(13), person(14)]);
  await h.run(c.id);
  await sheet.insertRows(3, [['new1@sheet.example', 'New 1']]);
  let run = await h.run(c.id);
  assert.deepEqual([run.counts.sent, run.status], [1, 'succeeded'], JSON.stringify(run));
  await sheet.deleteRows(2, 1);
  run = await h.run(c.id);
  assert.equal(run.counts.sent, 0, 'a deleted row sends nothing');
  await sheet.sort(1, 'DESCENDING');
  run = await h.run(c.id);
  assert.equal(run.counts.sent, 0, 'a sorted sheet sends nothing');
  const grid = await sheet.read();
  const at = grid.findIndex((r) => r[0] === 'p13@sheet.example') + 1;
  await sheet.write(at, [['p13@sheet.example', 'Person 13, renamed']]);
  run = await h.run(c.id);
  assert.equal(run.counts.sent, 0, 'a row edited after it was sent is not sent again');
  assert.equal(customersMatching(/^p1[1-4]@/).length, 4);
  assert.equal(customersMatching(/^new1@/).length, 1);
});

test('a blank first column and an inserted column change nothing', async () => {
  const { sheet, c } = await sheetConnection(
    [
      ['', 'b1@sheet.example', 'B 1'],
      ['', 'b2@sheet.example', 'B 2'],
    ],
    { header: ['', 'Email', 'Name', 'Stripe ID'] },
  );
  const first = await h.run(c.id);
  assert.equal(first.counts.sent, 2, JSON.stringify(first));
  await sheet.insertColumn(1);
  const again = await h.run(c.id);
  assert.equal(again.counts.sent, 0, JSON.stringify(again));
});

test('a renamed header stops the run with a clear error and no mass resend', async () => {
  const { sheet, c } = await sheetConnection([person(21), person(22)]);
  await h.run(c.id);
  await sheet.write(1, [['E-mail', 'Name', 'Stripe ID']]);
  const stopped = await h.run(c.id);
  assert.equal(stopped.status, 'failed');
  assert.match(
    String(stopped.error),
    /the mapping uses "Email", which the source no longer has \(was a column renamed\?\); columns are: E-mail, Name, Stripe ID/,
  );
  const patched = await h.api('PATCH', `/api/connections/${c.id}`, { mapping: { email: '{{E-mail}}', name: '{{Name}}' } });
  assert.equal(patched.status, 200, JSON.stringify(patched.body));
  const after = await h.run(c.id);
  assert.equal(after.counts.sent, 0, JSON.stringify(after));
  assert.equal(customersMatching(/^p2\d@/).length, 2);
});

test('an empty sheet and a header-only sheet have no rows', async () => {
  for (const rows of [[], [HEADER]]) {
    const sheet = await TestSheet.create(sheetsAs(google, owner), 'Orders', rows);
    google.share(sheet.id, SLUICE);
    const c = await h.connection({
      name: 'Empty',
      source: { type: 'google_sheets', accountId: googleAccount, spreadsheet: sheet.id, tab: 'Orders' },
      action: 'stripe.create_customer',
      accountId: stripeAccount,
      mapping: rows.length ? { email: '{{Email}}' } : { description: 'x' },
    });
    const run = await h.run(c.id);
    assert.deepEqual([run.status, run.counts.sent, run.counts.failed], ['succeeded', 0, 0], JSON.stringify(run));
  }
});

test('startFrom "new" treats the rows present at creation as seen', async () => {
  const { sheet, c } = await sheetConnection([person(31), person(32)], { startFrom: 'new' });
  await sheet.write(4, [person(33)]);
  const run = await h.run(c.id);
  assert.equal(run.counts.sent, 1, JSON.stringify(run));
  assert.deepEqual(
    customersMatching(/^p3\d@/).map((x) => (x as { email: string }).email),
    ['p33@sheet.example'],
  );
});

test('with a key column, an edited row keeps its key and is not sent again', async () => {
  const { sheet, c } = await sheetConnection(
    [
      ['K-1', 'k1@sheet.example', 'K 1'],
      ['K-2', 'k2@sheet.example', 'K 2'],
    ],
    { header: ['Order', 'Email', 'Name', 'Stripe ID'], keyColumn: 'Order' },
  );
  const first = await h.run(c.id);
  assert.deepEqual(first.rows.map((r) => r.rowKey).sort(), ['K-1', 'K-2']);
  await sheet.write(2, [['K-1', 'k1@sheet.example', 'K one']]);
  await sheet.sort(0, 'DESCENDING');
  const again = await h.run(c.id);
  assert.equal(again.counts.sent, 0, JSON.stringify(again));
});

test('the source fields endpoint lists columns with sample values, saved or not', async () => {
  const { sheet, c } = await sheetConnection([person(41), person(42)]);
  const saved = await h.api<{ columns: { name: string; samples: string[] }[] }>('GET', `/api/connections/${c.id}/source/fields`);
  assert.equal(saved.status, 200, JSON.stringify(saved.body));
  assert.deepEqual(saved.body.columns.slice(0, 2), [
    { name: 'Email', samples: ['p41@sheet.example', 'p42@sheet.example'] },
    { name: 'Name', samples: ['Person 41', 'Person 42'] },
  ]);
  const unsaved = await h.api<{ columns: { name: string }[] }>('POST', '/api/sources/fields', {
    source: { type: 'google_sheets', accountId: googleAccount, spreadsheet: sheet.id, tab: 'Orders' },
  });
  assert.deepEqual(
    unsaved.body.columns.map((x) => x.name),
    HEADER,
  );
});

test('a sheet not shared with the service account, and a missing tab, say what to do', async () => {
  const sheet = await TestSheet.create(sheetsAs(google, owner), 'Orders', [HEADER, person(51)]);
  const source = { type: 'google_sheets', accountId: googleAccount, spreadsheet: sheet.id, tab: 'Orders' };
  const notShared = await h.api<{ error: { message: string } }>('POST', '/api/sources/fields', { source });
  assert.equal(notShared.status, 422);
  assert.match(notShared.body.error.message, new RegExp(`not shared with ${SLUICE.replace(/\./g, '\\.')} — share it with that address`));
  google.share(sheet.id, SLUICE, 'reader');
  const noTab = await h.api<{ error: { message: string } }>('POST', '/api/sources/fields', { source: { ...source, tab: 'Invoices' } });
  assert.match(noTab.body.error.message, /tab 'Invoices' not found; tabs are: Orders/);
});

test('a sheet published to the web as CSV is read without an account', async () => {
  const sheet = await TestSheet.create(sheetsAs(google, owner), 'Orders', [['Email', 'Name'], person(61), person(62)]);
  const link = google.publish(sheet.id, sheet.sheetId);
  const c = await h.connection({
    name: 'Published',
    source: { type: 'google_sheets', spreadsheet: link },
    action: 'stripe.create_customer',
    accountId: stripeAccount,
    mapping: { email: '{{Email}}', name: '{{Name}}' },
  });
  const run = await h.run(c.id);
  assert.equal(run.counts.sent, 2, JSON.stringify(run));
  assert.equal(sentEmails(await h.run(c.id)), 0);
});

test('invoice items and invoices from a sheet, with the invoice number, status and link written back', async () => {
  const stripe = h.stripe();
  const customer = await stripe.customers.create({ email: 'inv@sheet.example' });
  const items = await TestSheet.create(sheetsAs(google, owner), 'Lines', [
    ['Email', 'Amount', 'What'],
    ['inv@sheet.example', '12,50', 'Apples'],
    ['inv@sheet.example', '7.50', 'Pears'],
  ]);
  google.share(items.id, SLUICE);
  const itemConnection = await h.connection({
    name: 'Lines',
    source: { type: 'google_sheets', accountId: googleAccount, spreadsheet: items.id, tab: 'Lines' },
    action: 'stripe.create_invoice_item',
    accountId: stripeAccount,
    mapping: { customer: '{{Email}}', amount: '{{Amount}}', currency: 'eur', description: '{{What}}' },
  });
  assert.equal((await h.run(itemConnection.id)).counts.sent, 2);

  const invoices = await TestSheet.create(sheetsAs(google, owner), 'Invoices', [
    ['Customer', 'Invoice', 'Status', 'Pay link'],
    [customer.id, '', '', ''],
  ]);
  google.share(invoices.id, SLUICE);
  const invoiceConnection = await h.connection({
    name: 'Invoices',
    source: {
      type: 'google_sheets',
      accountId: googleAccount,
      spreadsheet: invoices.id,
      tab: 'Invoices',
      writeBack: { Invoice: 'invoiceNumber', Status: 'invoiceStatus', 'Pay link': 'invoiceUrl' },
    },
    action: 'stripe.create_invoice',
    accountId: stripeAccount,
    mapping: { customer: '{{Customer}}', collection_method: 'send_invoice', days_until_due: '14', finalize: 'yes', send: 'yes' },
  });
  const run = await h.run(invoiceConnection.id);
  assert.equal(run.status, 'succeeded', JSON.stringify(run));
  const [, row] = await invoices.read();
  assert.match(row?.[1] ?? '', /-0001$/);
  assert.equal(row?.[2], 'open');
  assert.match(row?.[3] ?? '', /^http/);
  const invoice = h.emulator.objects('invoice').find((i) => (i as { id: string }).id === run.rows[0]?.stripeId) as { total: number };
  assert.equal(invoice.total, 2000);
});

test('Connect Google account: the OAuth code flow stores a refresh token as an account', async () => {
  const clientId = 'sluice-client.apps.googleusercontent.com';
  google.registerOAuthClient(clientId, 'client-secret');
  google.setOAuthUser('person@example.com');
  const oauth = await startHarness({
    env: { ...googleEnv(google), GOOGLE_OAUTH_CLIENT_ID: clientId, GOOGLE_OAUTH_CLIENT_SECRET: 'client-secret' },
  });
  try {
    // Started from a logged-in browser: the link works only in that session (test/security/secrets-at-rest.test.ts).
    const browser = await browserSession(oauth.sluice.url, { setup: true });
    const connect = async (name: string) => {
      const res = await fetch(`${oauth.sluice.url}/api/accounts/google/connect`, asBrowser(browser, { method: 'POST', json: { name } }));
      return { status: res.status, body: (await res.json()) as { authUrl: string; redirectUri: string } };
    };
    const started = await connect('Person');
    assert.equal(started.status, 200, JSON.stringify(started.body));
    assert.equal(started.body.redirectUri, `${oauth.sluice.url}/oauth/google/callback`);
    const consent = await fetch(started.body.authUrl, { redirect: 'manual' });
    assert.equal(consent.status, 302);
    const callback = await fetch(String(consent.headers.get('location')), asBrowser(browser, { headers: { accept: 'application/json' } }));
    const account = (await callback.json()) as { type: string; status: string; name: string };
    assert.equal(callback.status, 201, JSON.stringify(account));
    assert.deepEqual([account.type, account.status, account.name], ['google_oauth', 'active', 'Person']);
    // The refresh token works for reading a sheet shared with the person.
    const sheet = await TestSheet.create(sheetsAs(google, owner), 'Orders', [['Email'], ['oauth@sheet.example']]);
    google.share(sheet.id, 'person@example.com', 'reader');
    const { body } = await oauth.api<{ data: { id: string; type: string }[] }>('GET', '/api/accounts');
    const id = body.data.find((a) => a.type === 'google_oauth')?.id;
    const fields = await oauth.api<{ columns: { name: string }[] }>('POST', '/api/sources/fields', {
      source: { type: 'google_sheets', accountId: id, spreadsheet: sheet.id, tab: 'Orders' },
    });
    assert.deepEqual(fields.body.columns, [{ name: 'Email', samples: ['oauth@sheet.example'] }]);
    // A forged or replayed state is refused.
    const forged = await fetch(
      `${oauth.sluice.url}/oauth/google/callback?code=x&state=forged`,
      asBrowser(browser, { headers: { accept: 'application/json' } }),
    );
    assert.equal(forged.status, 400);

    // A browser gets a page without script that sends it on to the web UI's Accounts page, or offers the way back.
    const again = await connect('Person again');
    const consentAgain = await fetch(again.body.authUrl, { redirect: 'manual' });
    const page = await fetch(String(consentAgain.headers.get('location')), asBrowser(browser, { headers: { accept: 'text/html' } }));
    const html = await page.text();
    assert.equal(page.status, 200, html);
    assert.match(html, /is connected to Sluice as “Person again”/);
    assert.match(html, /<meta http-equiv="refresh" content="0; url=\/accounts\?google=connected&#38;account=acc_[^"]+">/);
    assert.doesNotMatch(html, /<script/i);
    assert.match(String(page.headers.get('content-security-policy')), /default-src 'none'/);
    const refused = await fetch(`${oauth.sluice.url}/oauth/google/callback?code=x&state=forged`, asBrowser(browser));
    const refusedHtml = await refused.text();
    assert.equal(refused.status, 400);
    assert.match(refusedHtml, /not one this Sluice started/);
    assert.match(refusedHtml, /<a href="\/accounts">/);
  } finally {
    await oauth.close();
  }
});

test('a failed write-back is shown and retried, and never sends the row again', async () => {
  const sheet = await TestSheet.create(sheetsAs(google, owner), 'Orders', [HEADER, person(71)]);
  google.share(sheet.id, SLUICE, 'reader');
  const c = await h.connection({
    name: 'Read-only',
    source: {
      type: 'google_sheets',
      accountId: googleAccount,
      spreadsheet: sheet.id,
      tab: 'Orders',
      writeBack: { 'Stripe ID': 'stripeId' },
    },
    action: 'stripe.create_customer',
    accountId: stripeAccount,
    mapping: { email: '{{Email}}' },
  });
  const first = await h.run(c.id);
  assert.equal(first.counts.sent, 1);
  assert.equal(first.status, 'succeeded', 'the row reached Stripe; only the write-back failed');
  assert.match(first.warnings.join('\n'), /write-back failed: .*; it is tried again on the next run/);
  google.share(sheet.id, SLUICE, 'writer');
  const second = await h.run(c.id);
  assert.equal(second.counts.sent, 0);
  assert.deepEqual(second.warnings, []);
  const [, row] = await sheet.read();
  assert.equal(row?.[2], first.rows[0]?.stripeId);
  assert.equal(customersMatching(/^p71@/).length, 1);
});

test('a Google account is refused where a Stripe account is needed, and the other way round', async () => {
  const res = await h.api<{ error: { errors: { field: string; message: string }[] } }>('POST', '/api/connections', {
    name: 'Crossed',
    source: { type: 'google_sheets', accountId: stripeAccount, spreadsheet: 'x'.repeat(44), tab: 'Orders' },
    action: 'stripe.create_customer',
    accountId: googleAccount,
    mapping: { email: '{{Email}}' },
  });
  assert.equal(res.status, 400);
  assert.deepEqual(res.body.error.errors.map((e) => e.field).sort(), ['accountId', 'source.accountId']);
  assert.match(res.body.error.errors.find((e) => e.field === 'accountId')?.message ?? '', /needs a Stripe account/);
});

test('a row deleted and replaced by a different one in its place is sent; an edited one is not', async () => {
  const { sheet, c } = await sheetConnection([person(81), person(82), person(83)]);
  await h.run(c.id);
  await sheet.write(3, [['replaced@sheet.example', 'Someone else', '']]);
  const run = await h.run(c.id);
  assert.equal(run.counts.sent, 1, JSON.stringify(run));
  assert.equal(customersMatching(/^replaced@/).length, 1);
  await sheet.write(2, [['p81@sheet.example', 'Person 81 (edited)']]);
  assert.equal((await h.run(c.id)).counts.sent, 0);
});

test('invoices from sheet rows: every row of an order gets its invoice number, status and link written back', async () => {
  const header = ['Order', 'Email', 'Item', 'Amount', 'Invoice', 'Status', 'Pay link'];
  const sheet = await TestSheet.create(sheetsAs(google, owner), 'Orders', [
    header,
    ['S-1', 'sheet-orders@sheet.example', 'Tea', '1.50', '', '', ''],
    ['S-2', 'sheet-orders2@sheet.example', 'Cake', '4', '', '', ''],
    ['S-1', 'sheet-orders@sheet.example', 'Milk', '0.50', '', '', ''],
  ]);
  google.share(sheet.id, SLUICE, 'writer');
  const c = await h.connection({
    name: 'Sheet orders',
    source: {
      type: 'google_sheets',
      accountId: googleAccount,
      spreadsheet: sheet.id,
      tab: 'Orders',
      writeBack: { Invoice: 'invoiceNumber', Status: 'invoiceStatus', 'Pay link': 'invoiceUrl' },
    },
    action: 'stripe.create_invoice_from_rows',
    accountId: stripeAccount,
    mapping: {
      invoice_key: '{{Order}}',
      customer_email: '{{Email}}',
      description: '{{Item}}',
      amount: '{{Amount}}',
      currency: 'eur',
      collection_method: 'send_invoice',
      days_until_due: '7',
      finalize: 'yes',
    },
  });
  const run = await h.run(c.id);
  assert.equal(run.status, 'succeeded', JSON.stringify(run));
  const grid = await sheet.read();
  const [s1a, s2, s1b] = grid.slice(1);
  assert.ok(s1a?.[4], JSON.stringify(grid));
  assert.equal(s1a?.[4], s1b?.[4], 'both rows of S-1 name the same invoice');
  assert.notEqual(s1a?.[4], s2?.[4]);
  assert.deepEqual([s1a?.[5], s2?.[5]], ['open', 'open']);
  assert.match(s1b?.[6] ?? '', /^https:\/\/invoice\.stripe\.com\/i\//);
  // The cells written back do not make the rows look edited: nothing is sent again.
  const again = await h.run(c.id);
  assert.equal(again.counts.sent, 0, JSON.stringify(again));
});
