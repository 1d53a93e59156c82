import { columnLetters, formatA1, formatCells, isSingleCell, parseA1, type A1Range, type GridWindow } from './a1-range.js';
import { openSpreadsheet } from './access.js';
import {
  enterValue,
  readValueInputOption,
  readValueRenderOption,
  type CellWrite,
  type ValueInputOption,
  type ValueRenderOption,
} from './cells.js';
import { invalidArgument, invalidEnum, requiredButNotSpecified, type GoogleApiError } from './errors.js';
import { clearWindow, dataBounds, insertDimension, readWindow, writeBlock, type Dimension } from './grid.js';
import { isObject, optArray, optBool, optString, queryBool, type JsonObject } from './json.js';
import { SHEETS_RPC, type ApiCall, type SheetsRoute } from './route.js';
import { checkGrowth, sheetByTitle } from './spreadsheets.js';
import type { SheetState, SpreadsheetState } from './store.js';

/**
 * spreadsheets.values: get, batchGet, update, batchUpdate, append, clear, batchClear. Ranges are
 * A1 notation resolved against the spreadsheet's tabs; a tab that does not exist is "Unable to
 * parse range", as in Google. Reads are clipped to the tab; writes grow it.
 */
interface Target {
  sheet: SheetState;
  range: Omit<A1Range, 'sheet'>;
}

/** `where` prefixes the error inside a batch: `Invalid data[1]: Unable to parse range: …`. */
function resolve(book: SpreadsheetState, text: string, where = ''): Target {
  const parsed = parseA1(text);
  const sheet = parsed === undefined ? undefined : parsed.sheet === undefined ? book.sheets[0] : sheetByTitle(book, parsed.sheet);
  if (parsed === undefined || sheet === undefined) throw invalidArgument(`${where}Unable to parse range: ${text}`);
  const { sheet: _title, ...range } = parsed;
  return { sheet, range };
}

/** The part of the range inside the tab; a range that starts past the tab's edge is refused. */
function readWindowOf({ sheet, range }: Target): GridWindow {
  const startRow = range.startRow ?? 0;
  const startColumn = range.startColumn ?? 0;
  if (startRow >= sheet.rowCount || startColumn >= sheet.columnCount) {
    const asked = formatCells({
      startRow,
      endRow: Math.max(range.endRow ?? startRow + 1, startRow + 1),
      startColumn,
      endColumn: Math.max(range.endColumn ?? startColumn + 1, startColumn + 1),
    });
    throw invalidArgument(
      `Range ('${sheet.title.replaceAll("'", "''")}'!${asked}) exceeds grid limits. Max rows: ${sheet.rowCount}, max columns: ${sheet.columnCount}`,
    );
  }
  return {
    startRow,
    endRow: Math.min(range.endRow ?? sheet.rowCount, sheet.rowCount),
    startColumn,
    endColumn: Math.min(range.endColumn ?? sheet.columnCount, sheet.columnCount),
  };
}

function readMajor(raw: unknown, field: string): Dimension {
  if (raw === undefined || raw === null || raw === '' || raw === 'DIMENSION_UNSPECIFIED') return 'ROWS';
  if (raw === 'ROWS' || raw === 'COLUMNS') return raw;
  throw invalidEnum(field, 'Dimension', String(raw));
}

/** Dates are stored as serial numbers either way, so the option is only checked. */
function checkDateTimeOption(raw: string | null): void {
  if (raw !== null && raw !== '' && raw !== 'SERIAL_NUMBER' && raw !== 'FORMATTED_STRING') {
    throw invalidEnum('date_time_render_option', 'DateTimeRenderOption', raw);
  }
}

/** A ValueRange: `values` is left out when the range holds nothing, as Google does. */
function valueRange(target: Target, render: ValueRenderOption, major: Dimension): JsonObject {
  const w = readWindowOf(target);
  const values = readWindow(target.sheet, w, render, major);
  return { range: formatA1(target.sheet.title, w), majorDimension: major, ...(values.length > 0 ? { values } : {}) };
}

interface ReadOptions {
  render: ValueRenderOption;
  major: Dimension;
}

function readOptions(query: URLSearchParams): ReadOptions {
  checkDateTimeOption(query.get('dateTimeRenderOption'));
  return {
    render: readValueRenderOption(query.get('valueRenderOption')),
    major: readMajor(query.get('majorDimension'), 'major_dimension'),
  };
}

function getValues(call: ApiCall): JsonObject {
  const { render, major } = readOptions(call.query);
  const book = openSpreadsheet(call.data, call.params.spreadsheetId ?? '', call.identity, 'read');
  return valueRange(resolve(book, call.params.range ?? ''), render, major);
}

function batchGetValues(call: ApiCall): JsonObject {
  const { render, major } = readOptions(call.query);
  const book = openSpreadsheet(call.data, call.params.spreadsheetId ?? '', call.identity, 'read');
  const valueRanges = call.query.getAll('ranges').map((text) => valueRange(resolve(book, text), render, major));
  return { spreadsheetId: book.spreadsheetId, ...(valueRanges.length > 0 ? { valueRanges } : {}) };
}

const SKIP: CellWrite = { kind: 'skip' };

/** A ValueRange's `values` as row-major writes; every value is checked before anything is written. */
function readWrites(body: JsonObject, option: ValueInputOption, path: string): CellWrite[][] {
  const major = readMajor(body.majorDimension, `${path}major_dimension`);
  const lines = (optArray(body, 'values', path) ?? []).map((line, i) => {
    if (!Array.isArray(line)) {
      throw invalidArgument(
        `Invalid value at '${path}values[${i}]' (type.googleapis.com/google.protobuf.ListValue), ${JSON.stringify(line)}`,
      );
    }
    return line.map((value: unknown, j) => enterValue(value, option, `${path}values[${i}][${j}]`));
  });
  if (major === 'ROWS') return lines;
  const rows: CellWrite[][] = [];
  lines.forEach((column, j) =>
    column.forEach((write, i) => {
      (rows[i] ??= [])[j] = write;
    }),
  );
  // A short column leaves holes in the rows after it: those cells are left as they are.
  return Array.from(rows, (row) => Array.from(row ?? [], (write) => write ?? SKIP));
}

const widthOf = (writes: readonly (readonly CellWrite[])[]): number => writes.reduce((max, line) => Math.max(max, line.length), 0);

/**
 * A one-cell range is an anchor the values may run past; a larger one bounds them, and Google
 * refuses values that spill out of it.
 */
function spillError({ sheet, range }: Target, writes: CellWrite[][], where: string): GoogleApiError | undefined {
  if (isSingleCell(range)) return undefined;
  const row = range.startRow ?? 0;
  const column = range.startColumn ?? 0;
  const asked = formatA1(sheet.title, {
    startRow: row,
    endRow: range.endRow ?? sheet.rowCount,
    startColumn: column,
    endColumn: range.endColumn ?? sheet.columnCount,
  });
  if (range.endRow !== undefined && row + writes.length > range.endRow) {
    return invalidArgument(`${where}Requested writing within range [${asked}], but tried writing to row [${range.endRow + 1}]`);
  }
  if (range.endColumn !== undefined && column + widthOf(writes) > range.endColumn) {
    return invalidArgument(
      `${where}Requested writing within range [${asked}], but tried writing to column [${columnLetters(range.endColumn)}]`,
    );
  }
  return undefined;
}

interface UpdateOptions {
  includeValues: boolean;
  render: ValueRenderOption;
}

/** Writes a block at (row, column) and answers UpdateValuesResponse; counts leave out cells a null skipped. */
function applyWrites(
  book: SpreadsheetState,
  sheet: SheetState,
  row: number,
  column: number,
  writes: CellWrite[][],
  options: UpdateOptions,
): JsonObject {
  const width = widthOf(writes);
  if (width === 0) {
    return {
      spreadsheetId: book.spreadsheetId,
      updatedRange: formatA1(sheet.title, { startRow: row, endRow: row + 1, startColumn: column, endColumn: column + 1 }),
    };
  }
  checkGrowth(book.sheets, sheet, Math.max(sheet.rowCount, row + writes.length), Math.max(sheet.columnCount, column + width), '');
  writeBlock(sheet, row, column, writes);
  const rows = new Set<number>();
  const columns = new Set<number>();
  let cells = 0;
  writes.forEach((line, i) =>
    line.forEach((write, j) => {
      if (write.kind === 'skip') return;
      cells += 1;
      rows.add(i);
      columns.add(j);
    }),
  );
  const w: GridWindow = { startRow: row, endRow: row + writes.length, startColumn: column, endColumn: column + width };
  return {
    spreadsheetId: book.spreadsheetId,
    updatedRange: formatA1(sheet.title, w),
    updatedRows: rows.size,
    updatedColumns: columns.size,
    updatedCells: cells,
    ...(options.includeValues ? { updatedData: valueRange({ sheet, range: w }, options.render, 'ROWS') } : {}),
  };
}

function writeRange(book: SpreadsheetState, target: Target, writes: CellWrite[][], options: UpdateOptions, where = ''): JsonObject {
  const spill = spillError(target, writes, where);
  if (spill !== undefined) throw spill;
  return applyWrites(book, target.sheet, target.range.startRow ?? 0, target.range.startColumn ?? 0, writes, options);
}

function requireInputOption(raw: unknown): ValueInputOption {
  const option = readValueInputOption(raw);
  if (option === undefined) throw requiredButNotSpecified('valueInputOption');
  return option;
}

function queryUpdateOptions(query: URLSearchParams): UpdateOptions {
  return {
    includeValues: queryBool(query, 'includeValuesInResponse'),
    render: readValueRenderOption(query.get('responseValueRenderOption'), 'response_value_render_option'),
  };
}

function updateValues(call: ApiCall): JsonObject {
  const option = requireInputOption(call.query.get('valueInputOption'));
  const options = queryUpdateOptions(call.query);
  const writes = readWrites(call.body, option, '');
  const book = openSpreadsheet(call.data, call.params.spreadsheetId ?? '', call.identity, 'write');
  return writeRange(book, resolve(book, call.params.range ?? ''), writes, options);
}

function batchUpdateValues(call: ApiCall): JsonObject {
  const option = requireInputOption(call.body.valueInputOption);
  const options: UpdateOptions = {
    includeValues: optBool(call.body, 'includeValuesInResponse', '') ?? false,
    render: readValueRenderOption(call.body.responseValueRenderOption, 'response_value_render_option'),
  };
  const book = openSpreadsheet(call.data, call.params.spreadsheetId ?? '', call.identity, 'write');
  // Every entry is resolved and checked before the first write, so a bad one changes nothing.
  const entries = (optArray(call.body, 'data', '') ?? []).map((item, i) => {
    const where = `Invalid data[${i}]: `;
    const entry = isObject(item) ? item : {};
    const target = resolve(book, optString(entry, 'range', `data[${i}].`) ?? '', where);
    const writes = readWrites(entry, option, `data[${i}].`);
    const spill = spillError(target, writes, where);
    if (spill !== undefined) throw spill;
    return { target, writes };
  });
  const responses = entries.map(({ target, writes }) => writeRange(book, target, writes, options));
  const total = (key: string): number => responses.reduce((sum, r) => sum + (typeof r[key] === 'number' ? r[key] : 0), 0);
  const sheets = new Set(entries.filter((_, i) => responses[i]?.updatedCells !== undefined).map(({ target }) => target.sheet.sheetId));
  return {
    spreadsheetId: book.spreadsheetId,
    totalUpdatedRows: total('updatedRows'),
    totalUpdatedColumns: total('updatedColumns'),
    totalUpdatedCells: total('updatedCells'),
    totalUpdatedSheets: sheets.size,
    ...(responses.length > 0 ? { responses } : {}),
  };
}

type InsertDataOption = 'OVERWRITE' | 'INSERT_ROWS';

function readInsertDataOption(raw: string | null): InsertDataOption {
  if (raw === null || raw === '') return 'OVERWRITE';
  if (raw === 'OVERWRITE' || raw === 'INSERT_ROWS') return raw;
  throw invalidEnum('insert_data_option', 'InsertDataOption', raw);
}

/**
 * Appends after the table found in the range: the rows from its first to its last non-empty row
 * (empty rows inside included), starting at the table's first column. With INSERT_ROWS whole rows
 * are inserted for the new values and what was below moves down; with OVERWRITE (the default) the
 * values land in whatever rows follow the table.
 */
function appendValues(call: ApiCall): JsonObject {
  const option = requireInputOption(call.query.get('valueInputOption'));
  const insert = readInsertDataOption(call.query.get('insertDataOption'));
  const options = queryUpdateOptions(call.query);
  const writes = readWrites(call.body, option, '');
  const book = openSpreadsheet(call.data, call.params.spreadsheetId ?? '', call.identity, 'write');
  const target = resolve(book, call.params.range ?? '');
  const { sheet } = target;
  const search = readWindowOf(target);
  const table = dataBounds(sheet, search);
  const row = table === undefined ? search.startRow : table.lastRow + 1;
  const column = table === undefined ? search.startColumn : table.firstColumn;
  if (insert === 'INSERT_ROWS' && writes.length > 0 && row < sheet.rowCount) insertDimension(sheet, 'ROWS', row, writes.length);
  const updates = applyWrites(book, sheet, row, column, writes, options);
  if (table === undefined) return { spreadsheetId: book.spreadsheetId, updates };
  const tableRange = formatA1(sheet.title, {
    startRow: table.firstRow,
    endRow: table.lastRow + 1,
    startColumn: table.firstColumn,
    endColumn: table.lastColumn + 1,
  });
  return { spreadsheetId: book.spreadsheetId, tableRange, updates };
}

function clearValues(call: ApiCall): JsonObject {
  const book = openSpreadsheet(call.data, call.params.spreadsheetId ?? '', call.identity, 'write');
  const target = resolve(book, call.params.range ?? '');
  const w = readWindowOf(target);
  clearWindow(target.sheet, w);
  return { spreadsheetId: book.spreadsheetId, clearedRange: formatA1(target.sheet.title, w) };
}

function batchClearValues(call: ApiCall): JsonObject {
  const book = openSpreadsheet(call.data, call.params.spreadsheetId ?? '', call.identity, 'write');
  const cleared = (optArray(call.body, 'ranges', '') ?? []).map((text, i) => {
    if (typeof text !== 'string') throw invalidArgument(`Invalid value at 'ranges[${i}]' (TYPE_STRING), ${JSON.stringify(text)}`);
    const target = resolve(book, text);
    return { sheet: target.sheet, w: readWindowOf(target) };
  });
  for (const { sheet, w } of cleared) clearWindow(sheet, w);
  const clearedRanges = cleared.map(({ sheet, w }) => formatA1(sheet.title, w));
  return { spreadsheetId: book.spreadsheetId, ...(clearedRanges.length > 0 ? { clearedRanges } : {}) };
}

const BASE = '/v4/spreadsheets/{spreadsheetId}/values';
const route = (
  method: SheetsRoute['method'],
  template: string,
  access: SheetsRoute['access'],
  rpc: string,
  run: SheetsRoute['run'],
): SheetsRoute => ({
  kind: 'sheets',
  method,
  template,
  access,
  rpc: `${SHEETS_RPC}.${rpc}`,
  run,
});

export const valueRoutes: SheetsRoute[] = [
  route('GET', `${BASE}:batchGet`, 'read', 'BatchGetValues', batchGetValues),
  route('POST', `${BASE}:batchUpdate`, 'write', 'BatchUpdateValues', batchUpdateValues),
  route('POST', `${BASE}:batchClear`, 'write', 'BatchClearValues', batchClearValues),
  route('GET', `${BASE}/{range...}`, 'read', 'GetValues', getValues),
  route('PUT', `${BASE}/{range...}`, 'write', 'UpdateValues', updateValues),
  route('POST', `${BASE}/{range...}:append`, 'write', 'AppendValues', appendValues),
  route('POST', `${BASE}/{range...}:clear`, 'write', 'ClearValues', clearValues),
];
