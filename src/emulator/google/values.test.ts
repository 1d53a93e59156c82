import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import type { sheets_v4 } from '@googleapis/sheets';
import { apiFailure, jwtClient, sheetsFor, startHarness, type Harness } from './test-support.js';

const BOT = 'sluice@proj.iam.gserviceaccount.com';

describe('spreadsheets.values through the official client', () => {
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
    const created = await api.spreadsheets.create({
      requestBody: { properties: { title: 'Sales' }, sheets: [{ properties: { title: 'Orders' } }, { properties: { title: 'My Tab' } }] },
    });
    id = created.data.spreadsheetId ?? '';
  });

  const put = (range: string, values: unknown[][], valueInputOption = 'USER_ENTERED') =>
    api.spreadsheets.values.update({ spreadsheetId: id, range, valueInputOption, requestBody: { values } });

  it('creates a spreadsheet shaped like Google’s', async () => {
    assert.match(id, /^[A-Za-z0-9_-]{44}$/);
    const got = await api.spreadsheets.get({ spreadsheetId: id, fields: 'sheets.properties' });
    const sheets = got.data.sheets?.map((s) => s.properties);
    assert.equal(sheets?.[0]?.sheetId, 0);
    assert.deepEqual(sheets?.[0], {
      sheetId: 0,
      title: 'Orders',
      index: 0,
      sheetType: 'GRID',
      gridProperties: { rowCount: 1000, columnCount: 26 },
    });
    assert.equal(sheets?.[1]?.title, 'My Tab');
    assert.equal(got.data.properties?.title, 'Sales');
    const plain = await api.spreadsheets.create({ requestBody: {} });
    assert.equal(plain.data.sheets?.[0]?.properties?.title, 'Sheet1');
    assert.equal(plain.data.properties?.title, 'Untitled spreadsheet');
  });

  it('writes values and reads them back with trailing empties trimmed', async () => {
    const written = await put('Orders!A1', [
      ['Order', 'Amount', 'Note', ''],
      ['A-1', '10.5', '', ''],
      ['', '', '', ''],
      ['A-3', '$7.00', 'gift, "wrapped"'],
    ]);
    assert.deepEqual(written.data, {
      spreadsheetId: id,
      updatedRange: 'Orders!A1:D4',
      updatedRows: 4,
      updatedColumns: 4,
      updatedCells: 15,
    });
    const got = await api.spreadsheets.values.get({ spreadsheetId: id, range: 'Orders!A1:Z' });
    assert.deepEqual(got.data, {
      range: 'Orders!A1:Z1000',
      majorDimension: 'ROWS',
      values: [['Order', 'Amount', 'Note'], ['A-1', '10.5'], [], ['A-3', '$7.00', 'gift, "wrapped"']],
    });
    const unformatted = await api.spreadsheets.values.get({
      spreadsheetId: id,
      range: 'Orders!B2:B4',
      valueRenderOption: 'UNFORMATTED_VALUE',
    });
    assert.deepEqual(unformatted.data.values, [[10.5], [], [7]]);
    const columns = await api.spreadsheets.values.get({ spreadsheetId: id, range: 'Orders!A1:B2', majorDimension: 'COLUMNS' });
    assert.deepEqual(columns.data.values, [
      ['Order', 'A-1'],
      ['Amount', '10.5'],
    ]);
    const empty = await api.spreadsheets.values.get({ spreadsheetId: id, range: "'My Tab'" });
    assert.deepEqual(empty.data, { range: "'My Tab'!A1:Z1000", majorDimension: 'ROWS' }, 'no values key for an empty range');
    const firstTab = await api.spreadsheets.values.get({ spreadsheetId: id, range: 'A1:B1' });
    assert.deepEqual(firstTab.data, { range: 'Orders!A1:B1', majorDimension: 'ROWS', values: [['Order', 'Amount']] });
  });

  it('keeps RAW strings, skips nulls, and shows formulas only with FORMULA', async () => {
    await put('Orders!A1', [['007', '=1+1', 'x']], 'RAW');
    await put('Orders!A2', [['007', '=1+1', 'x']]);
    await put('Orders!A1', [[null, null, 'y']]);
    const formatted = await api.spreadsheets.values.get({ spreadsheetId: id, range: 'Orders' });
    assert.deepEqual(formatted.data.values, [
      ['007', '=1+1', 'y'],
      ['7', '=1+1', 'x'],
    ]);
    const formula = await api.spreadsheets.values.get({ spreadsheetId: id, range: 'Orders!A2:B2', valueRenderOption: 'FORMULA' });
    assert.deepEqual(formula.data.values, [[7, '=1+1']]);
  });

  it('reads several ranges at once', async () => {
    await put('Orders!A1', [['a', 'b']]);
    await put("'My Tab'!B2", [['z']]);
    const got = await api.spreadsheets.values.batchGet({ spreadsheetId: id, ranges: ['Orders!A1:B1', "'My Tab'!A1:C3", 'A5'] });
    assert.deepEqual(got.data, {
      spreadsheetId: id,
      valueRanges: [
        { range: 'Orders!A1:B1', majorDimension: 'ROWS', values: [['a', 'b']] },
        { range: "'My Tab'!A1:C3", majorDimension: 'ROWS', values: [[], ['', 'z']] },
        { range: 'Orders!A5', majorDimension: 'ROWS' },
      ],
    });
  });

  it('grows the tab when a write runs past its edge, and refuses values that spill out of a bounded range', async () => {
    const far = await put('Orders!Z1000', [['x', 'y'], ['z']]);
    assert.equal(far.data.updatedRange, 'Orders!Z1000:AA1001');
    const tab = (await api.spreadsheets.get({ spreadsheetId: id })).data.sheets?.[0]?.properties?.gridProperties;
    assert.deepEqual(tab, { rowCount: 1001, columnCount: 27 });
    const rows = await apiFailure(() => put('Orders!A1:B2', [['1'], ['2'], ['3']]));
    assert.equal(rows.status, 400);
    assert.equal(rows.error.message, 'Requested writing within range [Orders!A1:B2], but tried writing to row [3]');
    const columns = await apiFailure(() => put('Orders!A1:B', [['1', '2', '3']]));
    assert.equal(columns.error.message, 'Requested writing within range [Orders!A1:B1001], but tried writing to column [C]');
    const limit = await apiFailure(() => put('Orders!A400000', [['x']]));
    assert.equal(limit.error.message, 'This action would increase the number of cells in the workbook above the limit of 10000000 cells.');
    const unchanged = (await api.spreadsheets.get({ spreadsheetId: id })).data.sheets?.[0]?.properties?.gridProperties;
    assert.deepEqual(unchanged, { rowCount: 1001, columnCount: 27 }, 'a refused write changes nothing');
  });

  it('appends after the table: OVERWRITE fills the next row, INSERT_ROWS pushes what is below down', async () => {
    await put('Orders!A1', [['Order', 'Amount'], ['A-1', '1'], ['A-2', '2'], [], ['Total', '3']]);
    const inserted = await api.spreadsheets.values.append({
      spreadsheetId: id,
      range: 'Orders!A1:B3',
      valueInputOption: 'USER_ENTERED',
      insertDataOption: 'INSERT_ROWS',
      requestBody: { values: [['A-3', '4']] },
    });
    assert.deepEqual(inserted.data, {
      spreadsheetId: id,
      tableRange: 'Orders!A1:B3',
      updates: { spreadsheetId: id, updatedRange: 'Orders!A4:B4', updatedRows: 1, updatedColumns: 2, updatedCells: 2 },
    });
    assert.deepEqual(h.emulator.grid(id, 'Orders'), [['Order', 'Amount'], ['A-1', '1'], ['A-2', '2'], ['A-3', '4'], [], ['Total', '3']]);
    const overwritten = await api.spreadsheets.values.append({
      spreadsheetId: id,
      range: 'Orders!A:B',
      valueInputOption: 'RAW',
      requestBody: { values: [['A-4', '5']] },
    });
    assert.equal(overwritten.data.tableRange, 'Orders!A1:B6');
    assert.equal(overwritten.data.updates?.updatedRange, 'Orders!A7:B7');
  });

  it('appends at the table’s first column, and at the range’s start when it is empty', async () => {
    const first = await api.spreadsheets.values.append({
      spreadsheetId: id,
      range: "'My Tab'",
      valueInputOption: 'RAW',
      requestBody: { values: [['h1', 'h2']] },
    });
    assert.equal(first.data.tableRange, undefined);
    assert.equal(first.data.updates?.updatedRange, "'My Tab'!A1:B1");
    await put('Orders!B2', [['x', 'y']]);
    const shifted = await api.spreadsheets.values.append({
      spreadsheetId: id,
      range: 'Orders!A:D',
      valueInputOption: 'RAW',
      requestBody: { values: [['1', '2']] },
    });
    assert.equal(shifted.data.tableRange, 'Orders!B2:C2');
    assert.equal(shifted.data.updates?.updatedRange, 'Orders!B3:C3');
  });

  it('batch-updates values, all or nothing', async () => {
    const done = await api.spreadsheets.values.batchUpdate({
      spreadsheetId: id,
      requestBody: {
        valueInputOption: 'RAW',
        data: [
          { range: 'Orders!A1', values: [['a', 'b']] },
          { range: "'My Tab'!C3", values: [['c'], ['d']] },
        ],
      },
    });
    assert.deepEqual(
      { ...done.data, responses: done.data.responses?.map((r) => r.updatedRange) },
      {
        spreadsheetId: id,
        totalUpdatedRows: 3,
        totalUpdatedColumns: 3,
        totalUpdatedCells: 4,
        totalUpdatedSheets: 2,
        responses: ['Orders!A1:B1', "'My Tab'!C3:C4"],
      },
    );
    const failed = await apiFailure(() =>
      api.spreadsheets.values.batchUpdate({
        spreadsheetId: id,
        requestBody: {
          valueInputOption: 'RAW',
          data: [
            { range: 'Orders!A1', values: [['changed']] },
            { range: 'Nope!A1', values: [['x']] },
          ],
        },
      }),
    );
    assert.equal(failed.status, 400);
    assert.equal(failed.error.message, 'Invalid data[1]: Unable to parse range: Nope!A1');
    assert.deepEqual(h.emulator.grid(id, 'Orders'), [['a', 'b']], 'the first entry was not written');
  });

  it('clears a range and several ranges', async () => {
    await put('Orders!A1', [
      ['a', 'b', 'c'],
      ['d', 'e', 'f'],
    ]);
    const cleared = await api.spreadsheets.values.clear({ spreadsheetId: id, range: 'Orders!B1:B2' });
    assert.deepEqual(cleared.data, { spreadsheetId: id, clearedRange: 'Orders!B1:B2' });
    const batch = await api.spreadsheets.values.batchClear({ spreadsheetId: id, requestBody: { ranges: ['Orders!A2:C'] } });
    assert.deepEqual(batch.data.clearedRanges, ['Orders!A2:C1000']);
    assert.deepEqual(h.emulator.grid(id, 'Orders'), [['a', '', 'c']]);
  });

  it('answers Google’s 400s for a missing tab, a bad range, a missing valueInputOption and bad enums', async () => {
    const tab = await apiFailure(() => api.spreadsheets.values.get({ spreadsheetId: id, range: "'Invoices'!A1:Z" }));
    assert.equal(tab.status, 400);
    assert.deepEqual(tab.error, { code: 400, message: "Unable to parse range: 'Invoices'!A1:Z", status: 'INVALID_ARGUMENT' });
    const bad = await apiFailure(() => api.spreadsheets.values.get({ spreadsheetId: id, range: 'Orders!A0:B' }));
    assert.equal(bad.error.message, 'Unable to parse range: Orders!A0:B');
    const beyond = await apiFailure(() => api.spreadsheets.values.get({ spreadsheetId: id, range: 'Orders!A1001:B1002' }));
    assert.equal(beyond.error.message, "Range ('Orders'!A1001:B1002) exceeds grid limits. Max rows: 1000, max columns: 26");
    const option = await apiFailure(() =>
      api.spreadsheets.values.update({ spreadsheetId: id, range: 'Orders!A1', requestBody: { values: [['x']] } }),
    );
    assert.equal(option.error.message, "'valueInputOption' is required but not specified");
    const render = await apiFailure(() => api.spreadsheets.values.get({ spreadsheetId: id, range: 'Orders', valueRenderOption: 'PRETTY' }));
    assert.equal(
      render.error.message,
      `Invalid value at 'value_render_option' (type.googleapis.com/google.apps.sheets.v4.ValueRenderOption), "PRETTY"`,
    );
    const insert = await apiFailure(() =>
      api.spreadsheets.values.append({
        spreadsheetId: id,
        range: 'Orders',
        valueInputOption: 'RAW',
        insertDataOption: 'SIDEWAYS',
        requestBody: { values: [['x']] },
      }),
    );
    assert.match(String(insert.error.message), /insert_data_option/);
    const shape = await apiFailure(() =>
      api.spreadsheets.values.update({
        spreadsheetId: id,
        range: 'Orders!A1',
        valueInputOption: 'RAW',
        requestBody: { values: [[{ a: 1 }]] },
      }),
    );
    assert.equal(shape.error.message, 'Invalid values[0][0]: struct_value');
  });
});
