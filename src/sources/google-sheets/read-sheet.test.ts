import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, it } from 'node:test';
import { readSheetTable, sampleSheet, sheetColumnNames, type ReadSheetOptions, type SheetRow } from './read-sheet.js';
import { GoogleSheetsError } from './google-sheets-error.js';
import type { GoogleSheetsSettings } from './settings.js';
import type { SheetRowCells, SheetsApi } from './sheets-api.js';

const ID = '1BxiMVs0XRA5nFMdKvBdBZjgmUUqptlbs74OgvE2upms';
const PUBLISHED = 'https://docs.google.com/spreadsheets/d/e/2PACX-1vQabc/pub?output=csv';

/**
 * A stand-in for SheetsApi.readRows over a grid: like the Sheets API, it gives every row from
 * `fromRow` to the last row with a value, empty ones as [], without trailing empty cells.
 */
function fakeApi(grid: string[][]): Pick<SheetsApi, 'readRows'> & { closed: number; reads: Array<[string, string, number]> } {
  const api = {
    closed: 0,
    reads: [] as Array<[string, string, number]>,
    async *readRows(spreadsheetId: string, tab: string, fromRow: number): AsyncGenerator<SheetRowCells> {
      api.reads.push([spreadsheetId, tab, fromRow]);
      try {
        let last = grid.length;
        while (last > 0 && (grid[last - 1] ?? []).every((c) => c === '')) last--;
        for (let r = fromRow; r <= last; r++) {
          const cells = [...(grid[r - 1] ?? [])];
          while (cells.length > 0 && cells[cells.length - 1] === '') cells.pop();
          yield { rowNumber: r, cells };
        }
      } finally {
        api.closed++;
      }
    },
  };
  return api;
}

const settings = (more: Partial<GoogleSheetsSettings> = {}): GoogleSheetsSettings => ({
  type: 'google_sheets',
  accountId: 'acc_1',
  spreadsheet: ID,
  tab: 'Orders',
  headerRow: 1,
  firstDataRow: 2,
  ...more,
});

async function readAll(o: ReadSheetOptions): Promise<{ columns: string[]; rows: SheetRow[] }> {
  const table = await readSheetTable(o);
  const rows: SheetRow[] = [];
  for await (const row of table.rows) rows.push(row);
  return { columns: table.columns, rows };
}

const brief = (rows: SheetRow[]) => rows.map((r) => [r.rowNumber, r.fields]);

describe('sheetColumnNames', () => {
  it('trims, names empty headers by column letter, numbers repeats, drops trailing empty cells', () => {
    assert.deepEqual(sheetColumnNames([' Name ', '', 'Email', 'Email', '', 'Email', 'Email (2)', '', ' ']), [
      'Name',
      'Column B',
      'Email',
      'Email (2)',
      'Column E',
      'Email (3)',
      'Email (2) (2)',
    ]);
    assert.deepEqual(sheetColumnNames([]), []);
  });
});

describe('readSheetTable through the Sheets API', () => {
  it('reads the tab named in the settings from the header row', async () => {
    const api = fakeApi([
      ['Order #', 'Email', 'Amount'],
      ['A-1', 'ann@example.com', '12.50'],
      ['A-2', 'bob@example.com'],
    ]);
    const { columns, rows } = await readAll({ api, settings: settings() });
    assert.deepEqual(api.reads, [[ID, 'Orders', 1]]);
    assert.deepEqual(columns, ['Order #', 'Email', 'Amount']);
    assert.deepEqual(rows, [
      { rowNumber: 2, fields: { 'Order #': 'A-1', Email: 'ann@example.com', Amount: '12.50' }, cells: ['A-1', 'ann@example.com', '12.50'] },
      { rowNumber: 3, fields: { 'Order #': 'A-2', Email: 'bob@example.com', Amount: '' }, cells: ['A-2', 'bob@example.com'] },
    ]);
    assert.equal(api.closed, 1);
  });

  it('takes the spreadsheet id from a link', async () => {
    const api = fakeApi([['A'], ['1']]);
    await readAll({ api, settings: settings({ spreadsheet: `https://docs.google.com/spreadsheets/d/${ID}/edit#gid=0` }) });
    assert.deepEqual(api.reads, [[ID, 'Orders', 1]]);
  });

  it('skips empty rows, keeping the real row numbers', async () => {
    const api = fakeApi([['A', 'B'], ['1', '2'], [], ['  ', ''], ['3'], []]);
    assert.deepEqual(brief((await readAll({ api, settings: settings() })).rows), [
      [2, { A: '1', B: '2' }],
      [5, { A: '3', B: '' }],
    ]);
  });

  it('starts at the header row and the first data row, leaving rows between alone', async () => {
    const api = fakeApi([['Report for May'], [], ['Name', 'Total'], ['(notes)'], ['Ann', '3'], ['Bob', '4']]);
    const { columns, rows } = await readAll({ api, settings: settings({ headerRow: 3, firstDataRow: 5 }) });
    assert.deepEqual(api.reads, [[ID, 'Orders', 3]]);
    assert.deepEqual(columns, ['Name', 'Total']);
    assert.deepEqual(brief(rows), [
      [5, { Name: 'Ann', Total: '3' }],
      [6, { Name: 'Bob', Total: '4' }],
    ]);
  });

  it('names values beyond the header by column letter, and ignores empty ones there', async () => {
    const api = fakeApi([
      ['Name', '', 'Column E'],
      ['Ann', 'x', '', '', 'e', '', 'g'],
      ['Bob', '', '', ' ', ''],
    ]);
    const { columns, rows } = await readAll({ api, settings: settings() });
    assert.deepEqual(columns, ['Name', 'Column B', 'Column E']);
    assert.deepEqual(brief(rows), [
      [2, { Name: 'Ann', 'Column B': 'x', 'Column E': '', 'Column E (2)': 'e', 'Column G': 'g' }],
      [3, { Name: 'Bob', 'Column B': '', 'Column E': '' }],
    ]);
    assert.deepEqual(rows[0]?.cells, ['Ann', 'x', '', '', 'e', '', 'g']);
  });

  it('gives an empty sheet no columns and no rows, and a header-only sheet its columns', async () => {
    assert.deepEqual(await readAll({ api: fakeApi([]), settings: settings() }), { columns: [], rows: [] });
    assert.deepEqual(await readAll({ api: fakeApi([[], [], []]), settings: settings() }), { columns: [], rows: [] });
    assert.deepEqual(await readAll({ api: fakeApi([['A', 'B'], [], []]), settings: settings() }), { columns: ['A', 'B'], rows: [] });
  });

  it('reads data under an empty header row by column letter', async () => {
    const { columns, rows } = await readAll({ api: fakeApi([[], ['x', '', 'z']]), settings: settings() });
    assert.deepEqual(columns, []);
    assert.deepEqual(brief(rows), [[2, { 'Column A': 'x', 'Column C': 'z' }]]);
  });

  it('keeps a column called __proto__ as a field', async () => {
    const { rows } = await readAll({ api: fakeApi([['__proto__'], ['x']]), settings: settings() });
    assert.equal(Object.getOwnPropertyDescriptor(rows[0]?.fields, '__proto__')?.value, 'x');
  });

  it('refuses a key column or write-back column that is not in the header, listing the columns', async () => {
    const grid = [
      ['Order #', 'Email', 'Stripe ID'],
      ['A-1', 'a@x.com'],
    ];
    await assert.rejects(readSheetTable({ api: fakeApi(grid), settings: settings({ keyColumn: 'Order' }) }), {
      message: "keyColumn 'Order' is not a column of the header row (row 1); columns are: Order #, Email, Stripe ID",
    });
    await assert.rejects(
      readSheetTable({
        api: fakeApi(grid),
        settings: settings({ writeBack: { 'stripe id': 'stripeId', Invoice: 'invoiceNumber', Link: 'invoiceUrl' } }),
      }),
      {
        message:
          "writeBack columns 'Invoice', 'Link' are not in the header row (row 1); add them to the sheet, or remove them from writeBack; columns are: Order #, Email, Stripe ID",
      },
    );
    const api = fakeApi(grid);
    await readAll({ api, settings: settings({ keyColumn: ' order # ', writeBack: { 'Stripe ID': 'stripeId' } }) });
    assert.equal(api.closed, 1);
  });

  it('needs an account for a spreadsheet id', async () => {
    await assert.rejects(readSheetTable({ settings: settings() }), {
      message: `spreadsheet ${ID} is read through a Google account, and none was given`,
    });
  });
});

describe('sampleSheet', () => {
  const grid = [
    ['Name', 'Email'],
    ['Ann', 'a@x.com'],
    ['Bob', 'b@x.com', '', 'extra'],
    ['Cy', 'c@x.com'],
  ];

  it('gives the first rows, with the extra columns they have values in, and stops reading', async () => {
    const api = fakeApi(grid);
    const sample = await sampleSheet({ api, settings: settings() }, 2);
    assert.deepEqual(sample.columns, ['Name', 'Email', 'Column D']);
    assert.deepEqual(
      sample.rows.map((r) => r.rowNumber),
      [2, 3],
    );
    assert.equal(api.closed, 1);
  });

  it('with a limit of 0 gives the columns and closes the read', async () => {
    const api = fakeApi(grid);
    assert.deepEqual(await sampleSheet({ api, settings: settings() }, 0), { columns: ['Name', 'Email'], rows: [] });
    assert.equal(api.closed, 1);
  });
});

describe('readSheetTable of a published CSV', () => {
  function csvFetch(body: string, init: ResponseInit = {}): typeof fetch & { urls: string[] } {
    const urls: string[] = [];
    const f = async (input: string | URL | Request): Promise<Response> => {
      urls.push(String(input));
      return new Response(body, { headers: { 'content-type': 'text/csv; charset=utf-8' }, ...init });
    };
    return Object.assign(f as typeof fetch, { urls });
  }
  const published = (more: Partial<GoogleSheetsSettings> = {}): GoogleSheetsSettings => ({
    type: 'google_sheets',
    spreadsheet: PUBLISHED,
    headerRow: 1,
    firstDataRow: 2,
    ...more,
  });

  it('fetches the link and numbers rows as the sheet does, line breaks in cells included', async () => {
    const fetch = csvFetch('\ufeffName,Note,\r\nAnn,"two\nlines",\r\n,,\r\nBob,"say ""hi""",\r\n');
    const { columns, rows } = await readAll({ fetch, settings: published() });
    assert.deepEqual(fetch.urls, [PUBLISHED]);
    assert.deepEqual(columns, ['Name', 'Note']);
    assert.deepEqual(brief(rows), [
      [2, { Name: 'Ann', Note: 'two\nlines' }],
      [4, { Name: 'Bob', Note: 'say "hi"' }],
    ]);
    assert.deepEqual(rows[1]?.cells, ['Bob', 'say "hi"', '']);
  });

  it('honours the header row and first data row', async () => {
    const { columns, rows } = await readAll({
      fetch: csvFetch('Title,\n,\nA,B\nskip,me\n1,2\n'),
      settings: published({ headerRow: 3, firstDataRow: 5 }),
    });
    assert.deepEqual(columns, ['A', 'B']);
    assert.deepEqual(brief(rows), [[5, { A: '1', B: '2' }]]);
  });

  it('gives an empty file no columns and no rows', async () => {
    assert.deepEqual(await readAll({ fetch: csvFetch(''), settings: published() }), { columns: [], rows: [] });
  });

  it('says what to do when the link is not served as CSV any more', async () => {
    await assert.rejects(
      readSheetTable({ fetch: csvFetch('<html>', { headers: { 'content-type': 'text/html' } }), settings: published() }),
      (error) => {
        assert.ok(error instanceof GoogleSheetsError);
        assert.equal(error.kind, 'not_shared');
        assert.equal(
          error.message,
          'the published sheet answered with a web page, not CSV: it may no longer be published to the web; publish it again as "Comma-separated values (.csv)"',
        );
        return true;
      },
    );
    await assert.rejects(readSheetTable({ fetch: csvFetch('', { status: 404 }), settings: published() }), {
      message:
        'the published sheet answered HTTP 404: it is no longer published, or the link is wrong; publish it again (File → Share → Publish to web)',
    });
  });

  it('refuses a link to an internal address without any option saying so, and connects nowhere', async () => {
    let connections = 0;
    const server = createServer((_req, res) => res.end('Secret\nyes\n')).on('connection', () => connections++);
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const port = (server.address() as AddressInfo).port;
    try {
      const spreadsheet = `http://127.0.0.1:${port}/spreadsheets/d/e/2PACX-1vInternal/pub?output=csv`;
      await assert.rejects(readSheetTable({ settings: { type: 'google_sheets', spreadsheet, headerRow: 1, firstDataRow: 2 } }), (error) => {
        assert.ok(error instanceof GoogleSheetsError);
        assert.equal(error.kind, 'bad_request');
        assert.match(
          error.message,
          /^the published sheet could not be read: this address is not allowed \(127\.0\.0\.1 is a loopback address;/,
        );
        return true;
      });
      assert.equal(connections, 0);
    } finally {
      server.close();
    }
  });
});
