import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import type { sheets_v4 } from '@googleapis/sheets';
import { apiFailure, googleError, jwtClient, sheetsFor, startHarness, type Harness } from './test-support.js';

const OWNER = 'owner-bot@proj.iam.gserviceaccount.com';
const OTHER = 'other-bot@proj.iam.gserviceaccount.com';
const READONLY = 'https://www.googleapis.com/auth/spreadsheets.readonly';

describe('authentication, sharing, scopes and quota', () => {
  let h: Harness;
  let owner: sheets_v4.Sheets;
  let other: sheets_v4.Sheets;
  let id: string;
  before(async () => {
    h = await startHarness();
    owner = sheetsFor(h.emulator, jwtClient(h.emulator, OWNER));
    other = sheetsFor(h.emulator, jwtClient(h.emulator, OTHER));
  });
  after(() => h.emulator.close());
  beforeEach(async () => {
    h.emulator.reset();
    h.emulator.configure({ quotaPerMinute: 0 });
    id = (await owner.spreadsheets.create({ requestBody: { properties: { title: 'Private' } } })).data.spreadsheetId ?? '';
  });

  it('answers 401 UNAUTHENTICATED without a token or with one it did not issue', async () => {
    const none = await h.raw('GET', `/v4/spreadsheets/${id}`);
    assert.equal(none.status, 401);
    assert.equal(none.headers.get('www-authenticate'), 'Bearer realm="https://accounts.google.com/"');
    assert.match(
      String(googleError(none).message),
      /^Request is missing required authentication credential\. Expected OAuth 2 access token/,
    );
    const forged = await h.raw('GET', `/v4/spreadsheets/${id}/values/Sheet1`, { token: 'ya29.forged' });
    assert.equal(forged.status, 401);
    assert.deepEqual(googleError(forged), {
      code: 401,
      message:
        'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project.',
      status: 'UNAUTHENTICATED',
    });
  });

  it('denies an identity the spreadsheet is not shared with, then allows it by role', async () => {
    const denied = await apiFailure(() => other.spreadsheets.values.get({ spreadsheetId: id, range: 'Sheet1' }));
    assert.equal(denied.status, 403);
    assert.deepEqual(denied.error, { code: 403, message: 'The caller does not have permission', status: 'PERMISSION_DENIED' });

    h.emulator.share(id, OTHER, 'reader');
    const read = await other.spreadsheets.values.get({ spreadsheetId: id, range: 'Sheet1' });
    assert.equal(read.status, 200);
    const write = () =>
      other.spreadsheets.values.update({
        spreadsheetId: id,
        range: 'Sheet1!A1',
        valueInputOption: 'RAW',
        requestBody: { values: [['x']] },
      });
    assert.equal((await apiFailure(write)).status, 403, 'a reader may not write');

    h.emulator.share(id, OTHER.toUpperCase(), 'writer');
    assert.equal((await write()).data.updatedCells, 1, 'emails match whatever their case');
  });

  it('answers 404 NOT_FOUND for an unknown spreadsheet', async () => {
    const missing = await apiFailure(() => owner.spreadsheets.get({ spreadsheetId: '1NoSuchSpreadsheetxxxxxxxxxxxxxxxxxxxxxxxxx' }));
    assert.deepEqual(missing.error, { code: 404, message: 'Requested entity was not found.', status: 'NOT_FOUND' });
  });

  it('lets a read-only token read but not write', async () => {
    const token = await h.tokenFor(OWNER, READONLY);
    assert.equal((await h.raw('GET', `/v4/spreadsheets/${id}/values/Sheet1!A1`, { token })).status, 200);
    const write = await h.raw('PUT', `/v4/spreadsheets/${id}/values/Sheet1!A1?valueInputOption=RAW`, { token, body: '{"values":[["x"]]}' });
    assert.equal(write.status, 403);
    assert.equal(googleError(write).message, 'Request had insufficient authentication scopes.');
  });

  it('answers 429 RESOURCE_EXHAUSTED for failNext, which the client’s retry rides out', async () => {
    h.emulator.failNext(1);
    const refused = await apiFailure(() => owner.spreadsheets.values.get({ spreadsheetId: id, range: 'Sheet1' }));
    assert.equal(refused.status, 429);
    assert.equal(refused.error.status, 'RESOURCE_EXHAUSTED');
    assert.equal(
      refused.error.message,
      "Quota exceeded for quota metric 'Read requests' and limit 'Read requests per minute per user' of service 'sheets.googleapis.com' for consumer 'project_number:100000000001'.",
    );

    h.emulator.failNext(2);
    const write = await apiFailure(() =>
      owner.spreadsheets.batchUpdate({
        spreadsheetId: id,
        requestBody: { requests: [{ appendDimension: { sheetId: 0, dimension: 'ROWS', length: 1 } }] },
      }),
    );
    assert.match(
      String(write.error.message),
      /^Quota exceeded for quota metric 'Write requests' and limit 'Write requests per minute per user'/,
    );

    const retrying = sheetsFor(h.emulator, jwtClient(h.emulator, OWNER), true);
    const got = await retrying.spreadsheets.values.get({ spreadsheetId: id, range: 'Sheet1' });
    assert.equal(got.status, 200);
    const statuses = h.emulator
      .requests()
      .filter((r) => r.path.endsWith('/values/Sheet1'))
      .map((r) => r.status);
    assert.deepEqual(statuses.slice(-2), [429, 200]);

    h.emulator.failNext(1);
    const append = await apiFailure(() =>
      retrying.spreadsheets.values.append({
        spreadsheetId: id,
        range: 'Sheet1',
        valueInputOption: 'RAW',
        requestBody: { values: [['x']] },
      }),
    );
    assert.equal(append.status, 429, 'googleapis-common does not retry a POST: the app must');
  });

  it('does not spend failNext on a request without a valid token', async () => {
    h.emulator.failNext(1);
    assert.equal((await h.raw('GET', `/v4/spreadsheets/${id}`)).status, 401);
    assert.equal((await apiFailure(() => owner.spreadsheets.get({ spreadsheetId: id }))).status, 429);
    assert.equal((await owner.spreadsheets.get({ spreadsheetId: id })).status, 200);
  });

  it('counts quota per caller per minute, reads and writes apart', async () => {
    h.emulator.configure({ quotaPerMinute: 2 });
    const read = () => owner.spreadsheets.values.get({ spreadsheetId: id, range: 'Sheet1' });
    await read();
    await read();
    assert.equal((await apiFailure(read)).status, 429);
    const write = await owner.spreadsheets.values.update({
      spreadsheetId: id,
      range: 'Sheet1!A1',
      valueInputOption: 'RAW',
      requestBody: { values: [['w']] },
    });
    assert.equal(write.status, 200, 'writes have their own count');
    h.emulator.share(id, OTHER, 'reader');
    assert.equal(
      (await other.spreadsheets.values.get({ spreadsheetId: id, range: 'Sheet1' })).status,
      200,
      'another caller has its own count',
    );
  });

  it('records the caller of each request', async () => {
    await owner.spreadsheets.get({ spreadsheetId: id });
    await apiFailure(() => other.spreadsheets.get({ spreadsheetId: id }));
    await h.raw('GET', `/v4/spreadsheets/${id}`);
    const log = h.emulator.requests().filter((r) => r.path === `/v4/spreadsheets/${id}`);
    assert.deepEqual(log, [
      { method: 'GET', path: `/v4/spreadsheets/${id}`, status: 200, caller: OWNER },
      { method: 'GET', path: `/v4/spreadsheets/${id}`, status: 403, caller: OTHER },
      { method: 'GET', path: `/v4/spreadsheets/${id}`, status: 401 },
    ]);
  });
});
