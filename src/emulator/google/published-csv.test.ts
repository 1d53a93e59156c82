import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { startHarness, type Harness } from './test-support.js';

const OWNER = 'owner-bot@proj.iam.gserviceaccount.com';

describe('published CSV', () => {
  let h: Harness;
  let token: string;
  let id: string;
  before(async () => {
    h = await startHarness();
    token = await h.tokenFor(OWNER);
  });
  after(() => h.emulator.close());
  beforeEach(async () => {
    h.emulator.reset();
    const created = await h.raw('POST', '/v4/spreadsheets', {
      token,
      body: JSON.stringify({ sheets: [{ properties: { title: 'Orders' } }, { properties: { title: 'Hidden', sheetId: 7 } }] }),
    });
    id = (created.json as { spreadsheetId: string }).spreadsheetId;
    const values = [['Order', 'Note', 'Amount'], ['A-1', 'gift, "wrapped"', '$10.50'], ['A-2', 'two\nlines'], [], ['', '', '3']];
    await h.raw('PUT', `/v4/spreadsheets/${id}/values/Orders!A1?valueInputOption=USER_ENTERED`, {
      token,
      body: JSON.stringify({ values }),
    });
  });

  it('serves a published tab as RFC 4180 CSV without a token', async () => {
    const url = h.emulator.publish(id);
    assert.match(url, new RegExp(`^${h.emulator.url}/spreadsheets/d/e/2PACX-[A-Za-z0-9_-]+/pub\\?gid=0&single=true&output=csv$`));
    const response = await fetch(url);
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /^text\/csv/);
    assert.equal(await response.text(), 'Order,Note,Amount\r\nA-1,"gift, ""wrapped""",$10.50\r\nA-2,"two\nlines",\r\n,,\r\n,,3');
    assert.deepEqual(h.emulator.requests().at(-1), { method: 'GET', path: new URL(url).pathname, status: 200 });
  });

  it('refuses unpublished tabs and unknown links with Google’s 404 page', async () => {
    const url = new URL(h.emulator.publish(id, 0));
    url.searchParams.set('gid', '7');
    const unpublished = await fetch(url);
    assert.equal(unpublished.status, 404);
    assert.match(await unpublished.text(), /<b>404\.<\/b>/);
    assert.equal((await fetch(`${h.emulator.url}/spreadsheets/d/e/2PACX-1vnothing/pub?output=csv`)).status, 404);
    const second = h.emulator.publish(id, 7);
    assert.equal(new URL(second).pathname, url.pathname, 'one publication key per spreadsheet');
    assert.equal((await fetch(second)).status, 200);
  });

  it('keeps the link through a rename (it is keyed by gid) and loses it with the tab', async () => {
    const url = h.emulator.publish(id, 7);
    const rename = { requests: [{ updateSheetProperties: { properties: { sheetId: 7, title: 'Renamed' }, fields: 'title' } }] };
    assert.equal((await h.raw('POST', `/v4/spreadsheets/${id}:batchUpdate`, { token, body: JSON.stringify(rename) })).status, 200);
    assert.equal((await fetch(url)).status, 200);
    await h.raw('POST', `/v4/spreadsheets/${id}:batchUpdate`, {
      token,
      body: JSON.stringify({ requests: [{ deleteSheet: { sheetId: 7 } }] }),
    });
    assert.equal((await fetch(url)).status, 404);
  });

  it('serves the export URL to published tabs, or to a token that may read', async () => {
    const exportUrl = `/spreadsheets/d/${id}/export?format=csv&gid=0`;
    const anonymous = await h.raw('GET', exportUrl);
    assert.equal(anonymous.status, 401);
    const owner = await h.raw('GET', exportUrl, { token });
    assert.equal(owner.status, 200);
    assert.ok(owner.text.startsWith('Order,Note,Amount\r\n'));
    assert.equal(h.emulator.requests().at(-1)?.caller, OWNER);
    const stranger = await h.raw('GET', exportUrl, { token: await h.tokenFor('stranger@example.com') });
    assert.equal(stranger.status, 401);
    h.emulator.publish(id, 0);
    assert.equal((await h.raw('GET', exportUrl)).status, 200);
    assert.equal((await h.raw('GET', `/spreadsheets/d/${id}/export?format=xlsx&gid=0`)).status, 400);
  });
});
