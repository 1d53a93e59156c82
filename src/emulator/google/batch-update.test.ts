import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import type { sheets_v4 } from '@googleapis/sheets';
import { apiFailure, jwtClient, sheetsFor, startHarness, type Harness } from './test-support.js';

const BOT = 'sluice@proj.iam.gserviceaccount.com';

describe('spreadsheets.batchUpdate: the edits users make to a tab', () => {
  let h: Harness;
  let api: sheets_v4.Sheets;
  let id: string;
  before(async () => {
    h = await startHarness();
    api = sheetsFor(h.emulator, jwtClient(h.emulator, BOT));
  });
  after(() => h.emulator.close());
  beforeEach(async () => {
    h.emulator.reset();
    const created = await api.spreadsheets.create({ requestBody: { sheets: [{ properties: { title: 'Orders' } }] } });
    id = created.data.spreadsheetId ?? '';
    await api.spreadsheets.values.update({
      spreadsheetId: id,
      range: 'Orders!A1',
      valueInputOption: 'USER_ENTERED',
      requestBody: {
        values: [
          ['Order', 'Amount'],
          ['A-1', '30'],
          ['A-2', '10'],
          ['A-3', '20'],
        ],
      },
    });
  });

  const batch = (...requests: sheets_v4.Schema$Request[]) => api.spreadsheets.batchUpdate({ spreadsheetId: id, requestBody: { requests } });
  const rows = (dimension: 'ROWS' | 'COLUMNS', startIndex: number, endIndex: number) => ({ sheetId: 0, dimension, startIndex, endIndex });

  it('inserts a row in the middle and deletes rows, moving the rest', async () => {
    const inserted = await batch({ insertDimension: { range: rows('ROWS', 2, 3), inheritFromBefore: true } });
    assert.deepEqual(inserted.data, { spreadsheetId: id, replies: [{}] });
    assert.deepEqual(h.emulator.grid(id, 'Orders'), [['Order', 'Amount'], ['A-1', '30'], [], ['A-2', '10'], ['A-3', '20']]);
    await batch({ deleteDimension: { range: rows('ROWS', 1, 3) } });
    assert.deepEqual(h.emulator.grid(id, 'Orders'), [
      ['Order', 'Amount'],
      ['A-2', '10'],
      ['A-3', '20'],
    ]);
    const props = (await api.spreadsheets.get({ spreadsheetId: id })).data.sheets?.[0]?.properties?.gridProperties;
    assert.deepEqual(props, { rowCount: 999, columnCount: 26 });
  });

  it('sorts the data rows under the header', async () => {
    await batch({ sortRange: { range: { sheetId: 0, startRowIndex: 1 }, sortSpecs: [{ dimensionIndex: 1, sortOrder: 'DESCENDING' }] } });
    assert.deepEqual(h.emulator.grid(id, 'Orders'), [
      ['Order', 'Amount'],
      ['A-1', '30'],
      ['A-3', '20'],
      ['A-2', '10'],
    ]);
  });

  it('inserts a column, shifting cells right', async () => {
    await batch({ insertDimension: { range: rows('COLUMNS', 1, 2) } });
    assert.deepEqual(h.emulator.grid(id, 'Orders')[0], ['Order', '', 'Amount']);
    const got = await api.spreadsheets.values.get({ spreadsheetId: id, range: 'Orders!C1:C2' });
    assert.deepEqual(got.data.values, [['Amount'], ['30']]);
  });

  it('renames a tab: the old name stops parsing, the new one works', async () => {
    await batch({ updateSheetProperties: { properties: { sheetId: 0, title: 'Orders 2024' }, fields: 'title' } });
    const old = await apiFailure(() => api.spreadsheets.values.get({ spreadsheetId: id, range: 'Orders!A1' }));
    assert.equal(old.error.message, 'Unable to parse range: Orders!A1');
    const renamed = await api.spreadsheets.values.get({ spreadsheetId: id, range: "'Orders 2024'!A1:B1" });
    assert.deepEqual(renamed.data, { range: "'Orders 2024'!A1:B1", majorDimension: 'ROWS', values: [['Order', 'Amount']] });
  });

  it('adds and deletes tabs, with Google’s refusals', async () => {
    const added = await batch({ addSheet: { properties: { title: 'Refunds', gridProperties: { rowCount: 50, columnCount: 5 } } } });
    const properties = added.data.replies?.[0]?.addSheet?.properties;
    assert.equal(properties?.title, 'Refunds');
    assert.equal(properties?.index, 1);
    assert.deepEqual(properties?.gridProperties, { rowCount: 50, columnCount: 5 });
    assert.ok(Number.isInteger(properties?.sheetId) && (properties?.sheetId ?? 0) > 0);
    const duplicate = await apiFailure(() => batch({ addSheet: { properties: { title: 'refunds' } } }));
    assert.equal(
      duplicate.error.message,
      'Invalid requests[0].addSheet: A sheet with the name "refunds" already exists. Please enter another name.',
    );
    await batch({ deleteSheet: { sheetId: properties?.sheetId ?? -1 } });
    const last = await apiFailure(() => batch({ deleteSheet: { sheetId: 0 } }));
    assert.equal(last.error.message, "Invalid requests[0].deleteSheet: You can't remove all the sheets in a document.");
    const missing = await apiFailure(() => batch({ deleteSheet: { sheetId: 42 } }));
    assert.equal(missing.error.message, 'Invalid requests[0].deleteSheet: No grid with id: 42');
  });

  it('applies a batch atomically', async () => {
    const failed = await apiFailure(() =>
      batch({ addSheet: { properties: { title: 'Temp' } } }, { deleteDimension: { range: rows('ROWS', 0, 1000) } }),
    );
    assert.equal(failed.status, 400);
    assert.equal(failed.error.message, "Invalid requests[1].deleteDimension: You can't delete all the rows on the sheet.");
    const tabs = (await api.spreadsheets.get({ spreadsheetId: id })).data.sheets?.map((s) => s.properties?.title);
    assert.deepEqual(tabs, ['Orders'], 'the addSheet before the failure was undone');
  });

  it('appends rows and columns to the grid', async () => {
    await batch(
      { appendDimension: { sheetId: 0, dimension: 'ROWS', length: 500 } },
      { appendDimension: { sheetId: 0, dimension: 'COLUMNS', length: 4 } },
    );
    const grid = (await api.spreadsheets.get({ spreadsheetId: id })).data.sheets?.[0]?.properties?.gridProperties;
    assert.deepEqual(grid, { rowCount: 1500, columnCount: 30 });
    const huge = await apiFailure(() => batch({ insertDimension: { range: rows('ROWS', 1, 2_000_000_000) } }));
    assert.equal(
      huge.error.message,
      'Invalid requests[0].insertDimension: This action would increase the number of cells in the workbook above the limit of 10000000 cells.',
    );
  });

  it('accepts formatting-only requests, refuses unknown and unemulated ones', async () => {
    const formatting = await batch({ autoResizeDimensions: { dimensions: { sheetId: 0, dimension: 'COLUMNS' } } });
    assert.deepEqual(formatting.data.replies, [{}]);
    const unknown = await apiFailure(() =>
      api.spreadsheets.batchUpdate({ spreadsheetId: id, requestBody: { requests: [{ frobnicate: {} } as sheets_v4.Schema$Request] } }),
    );
    assert.equal(unknown.status, 400);
    assert.equal(unknown.error.message, `Invalid JSON payload received. Unknown name "frobnicate" at 'requests[0]': Cannot find field.`);
    const unemulated = await apiFailure(() => batch({ repeatCell: { range: { sheetId: 0 }, fields: '*' } }));
    assert.equal(unemulated.status, 501);
    assert.equal(unemulated.error.status, 'UNIMPLEMENTED');
    const none = await apiFailure(() => batch());
    assert.equal(none.error.message, 'Invalid requests: Must specify at least one request.');
    const badType = await apiFailure(() =>
      batch({ insertDimension: { range: { sheetId: 0, dimension: 'ROWS', startIndex: 'x' as unknown as number, endIndex: 2 } } }),
    );
    assert.equal(badType.error.message, `Invalid value at 'requests[0].insert_dimension.range.start_index' (TYPE_INT32), "x"`);
  });
});
