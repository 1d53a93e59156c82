import { MAX_COLUMNS } from './a1-range.js';
import { openSpreadsheet } from './access.js';
import { invalidArgument } from './errors.js';
import { cellCount } from './grid.js';
import { newId } from './ids.js';
import { isObject, optArray, optInt, optObject, optString, type JsonObject } from './json.js';
import { SHEETS_RPC, type ApiCall, type SheetsRoute } from './route.js';
import { normalizeEmail, type SheetState, type SpreadsheetState } from './store.js';

/** A new tab's size when none is given, as in Google: 1000 rows by 26 columns (A–Z). */
export const DEFAULT_ROWS = 1000;
export const DEFAULT_COLUMNS = 26;
/** Google's limit per spreadsheet, over all tabs. */
export const MAX_CELLS = 10_000_000;

export function sheetProperties(sheet: SheetState, index: number): JsonObject {
  return {
    sheetId: sheet.sheetId,
    title: sheet.title,
    index,
    sheetType: 'GRID',
    gridProperties: { rowCount: sheet.rowCount, columnCount: sheet.columnCount },
  };
}

/** The Spreadsheet resource. `fields` is not applied: every field is returned, which is at least what was asked. */
export function renderSpreadsheet(book: SpreadsheetState, baseUrl: string): JsonObject {
  return {
    spreadsheetId: book.spreadsheetId,
    properties: { title: book.title, locale: book.locale, autoRecalc: 'ON_CHANGE', timeZone: book.timeZone },
    sheets: book.sheets.map((sheet, index) => ({ properties: sheetProperties(sheet, index) })),
    spreadsheetUrl: `${baseUrl}/spreadsheets/d/${book.spreadsheetId}/edit`,
  };
}

/** Exact title first; Google also finds a tab whatever the case of its title. */
export function sheetByTitle(book: SpreadsheetState, title: string): SheetState | undefined {
  return book.sheets.find((s) => s.title === title) ?? book.sheets.find((s) => s.title.toLowerCase() === title.toLowerCase());
}

export function sheetById(book: SpreadsheetState, sheetId: number): SheetState | undefined {
  return book.sheets.find((s) => s.sheetId === sheetId);
}

/** `Sheet1`, `Sheet2`, …: the first such title not taken. */
function nextSheetTitle(sheets: readonly SheetState[]): string {
  for (let n = sheets.length + 1; ; n++) {
    const title = `Sheet${n}`;
    if (!sheets.some((s) => s.title.toLowerCase() === title.toLowerCase())) return title;
  }
}

function unusedSheetId(sheets: readonly SheetState[]): number {
  if (sheets.length === 0) return 0;
  for (;;) {
    const id = newId.sheet();
    if (!sheets.some((s) => s.sheetId === id)) return id;
  }
}

/**
 * Adds a tab described by SheetProperties (`{sheetId?, title?, index?, gridProperties?}`) to
 * `sheets`; `where` prefixes errors the way Google does (`Invalid requests[0].addSheet: `).
 */
export function addSheet(sheets: SheetState[], properties: JsonObject, where: string, path: string): { sheet: SheetState; index: number } {
  const title = optString(properties, 'title', path) ?? nextSheetTitle(sheets);
  const requestedId = optInt(properties, 'sheetId', path);
  const requestedIndex = optInt(properties, 'index', path);
  const grid = optObject(properties, 'gridProperties', path) ?? {};
  const rowCount = optInt(grid, 'rowCount', `${path}gridProperties.`) ?? DEFAULT_ROWS;
  const columnCount = optInt(grid, 'columnCount', `${path}gridProperties.`) ?? DEFAULT_COLUMNS;
  if (title.trim() === '') throw invalidArgument(`${where}Sheet names cannot be empty.`);
  if (sheets.some((s) => s.title.toLowerCase() === title.toLowerCase())) {
    throw invalidArgument(`${where}A sheet with the name "${title}" already exists. Please enter another name.`);
  }
  if (requestedId !== undefined && (requestedId < 0 || sheets.some((s) => s.sheetId === requestedId))) {
    throw invalidArgument(`${where}Sheet with id ${requestedId} already exists or is not allowed.`);
  }
  checkGridSize(rowCount, columnCount, where);
  checkGrowth(sheets, undefined, rowCount, columnCount, where);
  const sheet: SheetState = { sheetId: requestedId ?? unusedSheetId(sheets), title, rowCount, columnCount, rows: [] };
  const index = Math.min(Math.max(requestedIndex ?? sheets.length, 0), sheets.length);
  sheets.splice(index, 0, sheet);
  return { sheet, index };
}

export function checkGridSize(rowCount: number, columnCount: number, where: string): void {
  if (rowCount < 1 || columnCount < 1) throw invalidArgument(`${where}A sheet must have at least one row and one column.`);
}

/**
 * Refuses to let `sheet` become `rowCount` × `columnCount` when that breaks Google's limits.
 * Called before the change, so that a refused edit leaves nothing behind (and never allocates).
 */
export function checkGrowth(
  sheets: readonly SheetState[],
  sheet: SheetState | undefined,
  rowCount: number,
  columnCount: number,
  where: string,
): void {
  if (columnCount > MAX_COLUMNS)
    throw invalidArgument(`${where}This action would increase the number of columns in the sheet above the limit of ${MAX_COLUMNS}.`);
  const others = cellCount(sheets) - (sheet === undefined ? 0 : sheet.rowCount * sheet.columnCount);
  if (others + rowCount * columnCount > MAX_CELLS) {
    throw invalidArgument(`${where}This action would increase the number of cells in the workbook above the limit of ${MAX_CELLS} cells.`);
  }
}

function createSpreadsheet(call: ApiCall): JsonObject {
  const properties = optObject(call.body, 'properties', '') ?? {};
  const title = optString(properties, 'title', 'properties.') ?? 'Untitled spreadsheet';
  const sheets: SheetState[] = [];
  (optArray(call.body, 'sheets', '') ?? []).forEach((item, i) => {
    const path = `sheets[${i}].`;
    const described = isObject(item) ? item : {};
    addSheet(sheets, optObject(described, 'properties', path) ?? {}, `Invalid sheets[${i}]: `, `${path}properties.`);
  });
  if (sheets.length === 0) addSheet(sheets, {}, '', '');
  let spreadsheetId = newId.spreadsheet();
  while (call.data.spreadsheets.has(spreadsheetId)) spreadsheetId = newId.spreadsheet();
  const book: SpreadsheetState = {
    spreadsheetId,
    title,
    locale: optString(properties, 'locale', 'properties.') ?? 'en_US',
    timeZone: optString(properties, 'timeZone', 'properties.') ?? 'Etc/GMT',
    owner: normalizeEmail(call.identity),
    sheets,
    shares: new Map(),
  };
  call.data.spreadsheets.set(spreadsheetId, book);
  return renderSpreadsheet(book, call.baseUrl);
}

export const spreadsheetRoutes: SheetsRoute[] = [
  {
    kind: 'sheets',
    method: 'POST',
    template: '/v4/spreadsheets',
    access: 'write',
    rpc: `${SHEETS_RPC}.CreateSpreadsheet`,
    run: createSpreadsheet,
  },
  {
    kind: 'sheets',
    method: 'GET',
    template: '/v4/spreadsheets/{spreadsheetId}',
    access: 'read',
    rpc: `${SHEETS_RPC}.GetSpreadsheet`,
    run: (call) => renderSpreadsheet(openSpreadsheet(call.data, call.params.spreadsheetId ?? '', call.identity, 'read'), call.baseUrl),
  },
];
