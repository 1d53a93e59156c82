import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { LANGUAGES, startBrowserHarness, type BrowserHarness } from './support/browser.js';
import { ownerApi } from './support/owner-api.js';

// Editing a connection whose CSV URL holds a password and a token (issue 13, point 7): the wizard
// shows the address masked, and still finds the file's columns — it names the saved connection, so
// the server reads with the sealed credentials. The password never reaches the page.

const PASSWORD = 'browser-pw-5c1f9e';
const TOKEN = 'browser-tok-77aa01';

let h: BrowserHarness;
let files: Server;
let port = 0;
let authorized = 0;

before(async () => {
  files = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const basic = `Basic ${Buffer.from(`reader:${PASSWORD}`).toString('base64')}`;
    if (req.headers.authorization !== basic || url.searchParams.get('token') !== TOKEN) return res.writeHead(401).end();
    authorized++;
    res.writeHead(200, { 'content-type': 'text/csv' }).end('Id,Email\n1,ada@example.com\n');
  });
  await new Promise<void>((resolve) => files.listen(0, '127.0.0.1', resolve));
  port = (files.address() as AddressInfo).port;
  h = await startBrowserHarness({ sluices: LANGUAGES.length, env: { SLUICE_ALLOW_PRIVATE_URLS: '1' } });
});
after(async () => {
  await h?.close();
  await new Promise((resolve) => files.close(resolve));
});

for (const [i, lang] of LANGUAGES.entries()) {
  test(`the wizard shows a CSV URL's password and token masked, and reads its columns with them (${lang})`, async (tc) => {
    await h.withPage(tc, { lang, sluice: h.sluices[i] }, async (ui) => {
      const api = await ownerApi(ui);
      const account = await api<{ id: string }>('POST', '/api/accounts', { name: 'Shop', secretKey: `sk_test_${lang}${'u'.repeat(24)}` });
      const connection = await api<{ id: string }>('POST', '/api/connections', {
        name: 'Orders behind a password',
        source: { type: 'csv', url: `http://reader:${PASSWORD}@127.0.0.1:${port}/orders.csv?token=${TOKEN}`, keyColumn: 'Id' },
        action: 'stripe.create_customer',
        accountId: account.id,
        mapping: { email: '{{Email}}' },
      });
      const before = authorized;

      await ui.goto(`/connections/${connection.id}/edit?step=source`);
      const url = ui.field('wizard:catalog.settings.csv.url.label');
      await url.waitFor();
      assert.equal(await url.inputValue(), `http://reader:•••@127.0.0.1:${port}/orders.csv?token=•••`);
      await ui.page.getByRole('rowheader', { name: 'Email', exact: true }).waitFor();
      await ui.page.getByText('ada@example.com', { exact: true }).waitFor();
      assert.ok(authorized > before, 'the columns were read with the sealed credentials');
      const html = await ui.page.content();
      assert.ok(!html.includes(PASSWORD) && !html.includes(TOKEN), 'the page holds neither the password nor the token');
      await ui.screenshot('wizard-csv-url-masked');
    });
  });
}
