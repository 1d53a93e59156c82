import { openSpreadsheet } from './access.js';
import { GoogleApiError, invalidArgument, invalidJson } from './errors.js';
import { deleteDimension, insertDimension, sortRows, type Dimension, type SortSpec } from './grid.js';
import { isObject, optArray, optBool, optEnum, optInt, optObject, optString, type JsonObject } from './json.js';
import { SHEETS_RPC, type ApiCall, type SheetsRoute } from './route.js';
import { addSheet, checkGridSize, checkGrowth, renderSpreadsheet, sheetById, sheetProperties } from './spreadsheets.js';
import type { SheetState, SpreadsheetState } from './store.js';

/**
 * spreadsheets.batchUpdate: structural edits, one handler per request kind. The requests run in
 * order on a copy of the spreadsheet, which replaces the original only when all succeed — Google
 * applies a batch atomically, so a bad third request leaves the first two undone too.
 */
interface Work {
  book: SpreadsheetState;
  /** `Invalid requests[2].deleteSheet: `: the prefix of every error this request raises. */
  where: string;
  /** `requests[2].delete_sheet.`-style path for field errors (camelCase here, snake-cased when shown). */
  path: string;
}

type Handler = (work: Work, request: JsonObject) => JsonObject | undefined;

const DIMENSIONS = ['ROWS', 'COLUMNS'] as const;

function grid(work: Work, sheetId: number): SheetState {
  const sheet = sheetById(work.book, sheetId);
  if (sheet === undefined) throw invalidArgument(`${work.where}No grid with id: ${sheetId}`);
  return sheet;
}

function dimensionOf(work: Work, range: JsonObject, path: string): Dimension {
  const dimension = optEnum(range, 'dimension', path, 'Dimension', DIMENSIONS);
  if (dimension === undefined) throw invalidArgument(`${work.where}range.dimension must be ROWS or COLUMNS.`);
  return dimension;
}

const countOf = (sheet: SheetState, dimension: Dimension): number => (dimension === 'ROWS' ? sheet.rowCount : sheet.columnCount);
const noun = (dimension: Dimension): string => (dimension === 'ROWS' ? 'rows' : 'columns');

/** A DimensionRange: proto3 defaults apply, so a missing sheetId is tab 0 and a missing bound is open. */
function dimensionRange(work: Work, request: JsonObject): { sheet: SheetState; dimension: Dimension; start?: number; end?: number } {
  const path = `${work.path}range.`;
  const range = optObject(request, 'range', work.path) ?? {};
  const sheet = grid(work, optInt(range, 'sheetId', path) ?? 0);
  const dimension = dimensionOf(work, range, path);
  const start = optInt(range, 'startIndex', path);
  const end = optInt(range, 'endIndex', path);
  if ((start !== undefined && start < 0) || (end !== undefined && end < 0))
    throw invalidArgument(`${work.where}range indexes must not be negative.`);
  return { sheet, dimension, ...(start === undefined ? {} : { start }), ...(end === undefined ? {} : { end }) };
}

/** Checks, before any change, that `count` more rows or columns stay within Google's limits. */
function grow(work: Work, sheet: SheetState, dimension: Dimension, count: number): void {
  const rows = sheet.rowCount + (dimension === 'ROWS' ? count : 0);
  const columns = sheet.columnCount + (dimension === 'COLUMNS' ? count : 0);
  checkGrowth(work.book.sheets, sheet, rows, columns, work.where);
}

const addSheetRequest: Handler = (work, request) => {
  const { sheet, index } = addSheet(
    work.book.sheets,
    optObject(request, 'properties', work.path) ?? {},
    work.where,
    `${work.path}properties.`,
  );
  return { addSheet: { properties: sheetProperties(sheet, index) } };
};

const deleteSheetRequest: Handler = (work, request) => {
  const sheet = grid(work, optInt(request, 'sheetId', work.path) ?? 0);
  if (work.book.sheets.length === 1) throw invalidArgument(`${work.where}You can't remove all the sheets in a document.`);
  work.book.sheets.splice(work.book.sheets.indexOf(sheet), 1);
  return undefined;
};

/** The `fields` mask: which of the given properties to apply (`*` is all of them). */
function fieldMask(work: Work, request: JsonObject, properties: JsonObject): Set<string> {
  const fields = optString(request, 'fields', work.path);
  if (fields === undefined || fields.trim() === '')
    throw invalidArgument(`${work.where}At least one field must be updated, but 'fields' is empty.`);
  const names = fields.split(',').map((f) => f.trim());
  if (!names.includes('*')) return new Set(names);
  const all = new Set(Object.keys(properties));
  if (isObject(properties.gridProperties)) for (const key of Object.keys(properties.gridProperties)) all.add(`gridProperties.${key}`);
  return all;
}

function renameSheet(work: Work, sheet: SheetState, title: string | undefined): void {
  if (title === undefined || title.trim() === '') throw invalidArgument(`${work.where}Sheet names cannot be empty.`);
  if (work.book.sheets.some((s) => s !== sheet && s.title.toLowerCase() === title.toLowerCase())) {
    throw invalidArgument(`${work.where}A sheet with the name "${title}" already exists. Please enter another name.`);
  }
  sheet.title = title;
}

/** Resizing a tab through its grid properties drops whatever lies past the new edge. */
function resizeSheet(work: Work, sheet: SheetState, rowCount: number, columnCount: number): void {
  checkGridSize(rowCount, columnCount, work.where);
  checkGrowth(work.book.sheets, sheet, rowCount, columnCount, work.where);
  if (rowCount < sheet.rowCount) deleteDimension(sheet, 'ROWS', rowCount, sheet.rowCount);
  if (columnCount < sheet.columnCount) deleteDimension(sheet, 'COLUMNS', columnCount, sheet.columnCount);
  sheet.rowCount = rowCount;
  sheet.columnCount = columnCount;
}

/** Renames or moves a tab, or resizes it; formatting properties (tabColor, hidden, frozen rows…) are accepted and ignored. */
const updateSheetPropertiesRequest: Handler = (work, request) => {
  const path = `${work.path}properties.`;
  const properties = optObject(request, 'properties', work.path) ?? {};
  const sheet = grid(work, optInt(properties, 'sheetId', path) ?? 0);
  const mask = fieldMask(work, request, properties);
  if (mask.has('title')) renameSheet(work, sheet, optString(properties, 'title', path));
  if (mask.has('index')) {
    const sheets = work.book.sheets;
    sheets.splice(sheets.indexOf(sheet), 1);
    sheets.splice(Math.min(Math.max(optInt(properties, 'index', path) ?? 0, 0), sheets.length), 0, sheet);
  }
  const gridProperties = optObject(properties, 'gridProperties', path) ?? {};
  const wholeGrid = mask.has('gridProperties');
  const rows = wholeGrid || mask.has('gridProperties.rowCount') ? optInt(gridProperties, 'rowCount', `${path}gridProperties.`) : undefined;
  const columns =
    wholeGrid || mask.has('gridProperties.columnCount') ? optInt(gridProperties, 'columnCount', `${path}gridProperties.`) : undefined;
  if (rows !== undefined || columns !== undefined) resizeSheet(work, sheet, rows ?? sheet.rowCount, columns ?? sheet.columnCount);
  return undefined;
};

const updateSpreadsheetPropertiesRequest: Handler = (work, request) => {
  const path = `${work.path}properties.`;
  const properties = optObject(request, 'properties', work.path) ?? {};
  const mask = fieldMask(work, request, properties);
  if (mask.has('title')) work.book.title = optString(properties, 'title', path) ?? '';
  if (mask.has('locale')) work.book.locale = optString(properties, 'locale', path) ?? work.book.locale;
  if (mask.has('timeZone')) work.book.timeZone = optString(properties, 'timeZone', path) ?? work.book.timeZone;
  return undefined;
};

/** Inserts empty rows or columns; `inheritFromBefore` only picks whose formatting they copy, which the emulator does not keep. */
const insertDimensionRequest: Handler = (work, request) => {
  const { sheet, dimension, start = 0, end = 0 } = dimensionRange(work, request);
  if (end <= start) throw invalidArgument(`${work.where}range.endIndex (${end}) must be greater than range.startIndex (${start}).`);
  if (start > countOf(sheet, dimension)) {
    throw invalidArgument(
      `${work.where}range.startIndex (${start}) must be at most the number of ${noun(dimension)} (${countOf(sheet, dimension)}).`,
    );
  }
  if (optBool(request, 'inheritFromBefore', work.path) === true && start === 0) {
    throw invalidArgument(`${work.where}Cannot inherit from before when inserting at index 0: there is nothing before it.`);
  }
  grow(work, sheet, dimension, end - start);
  insertDimension(sheet, dimension, start, end - start);
  return undefined;
};

const deleteDimensionRequest: Handler = (work, request) => {
  const { sheet, dimension, start = 0, end: askedEnd } = dimensionRange(work, request);
  const count = countOf(sheet, dimension);
  const end = Math.min(askedEnd ?? count, count);
  if (start >= count)
    throw invalidArgument(`${work.where}range.startIndex (${start}) is past the last of the ${count} ${noun(dimension)}.`);
  if (end <= start) throw invalidArgument(`${work.where}range.endIndex (${end}) must be greater than range.startIndex (${start}).`);
  if (end - start >= count) throw invalidArgument(`${work.where}You can't delete all the ${noun(dimension)} on the sheet.`);
  deleteDimension(sheet, dimension, start, end);
  return undefined;
};

const appendDimensionRequest: Handler = (work, request) => {
  const sheet = grid(work, optInt(request, 'sheetId', work.path) ?? 0);
  const dimension = dimensionOf(work, request, work.path);
  const length = optInt(request, 'length', work.path) ?? 0;
  if (length < 1) throw invalidArgument(`${work.where}length must be at least 1 (got ${length}).`);
  grow(work, sheet, dimension, length);
  if (dimension === 'ROWS') sheet.rowCount += length;
  else sheet.columnCount += length;
  return undefined;
};

const SORT_ORDERS = ['ASCENDING', 'DESCENDING', 'SORT_ORDER_UNSPECIFIED'] as const;

/** Sorts the rows of a GridRange (open bounds run to the tab's edge) by one or more of its columns. */
const sortRangeRequest: Handler = (work, request) => {
  const path = `${work.path}range.`;
  const range = optObject(request, 'range', work.path) ?? {};
  const sheet = grid(work, optInt(range, 'sheetId', path) ?? 0);
  const w = {
    startRow: optInt(range, 'startRowIndex', path) ?? 0,
    endRow: optInt(range, 'endRowIndex', path) ?? sheet.rowCount,
    startColumn: optInt(range, 'startColumnIndex', path) ?? 0,
    endColumn: optInt(range, 'endColumnIndex', path) ?? sheet.columnCount,
  };
  if (w.startRow < 0 || w.startColumn < 0 || w.endRow <= w.startRow || w.endColumn <= w.startColumn) {
    throw invalidArgument(`${work.where}The range to sort is empty or inverted.`);
  }
  const specs: SortSpec[] = (optArray(request, 'sortSpecs', work.path) ?? []).map((raw, i) => {
    const specPath = `${work.path}sortSpecs[${i}].`;
    const spec = isObject(raw) ? raw : {};
    const dimensionIndex = optInt(spec, 'dimensionIndex', specPath) ?? 0;
    if (dimensionIndex < w.startColumn || dimensionIndex >= w.endColumn) {
      throw invalidArgument(`${work.where}sortSpecs[${i}].dimensionIndex (${dimensionIndex}) is outside the range to sort.`);
    }
    const order = optEnum(spec, 'sortOrder', specPath, 'SortOrder', SORT_ORDERS);
    return { dimensionIndex, sortOrder: order === 'DESCENDING' ? 'DESCENDING' : 'ASCENDING' };
  });
  if (specs.length === 0) throw invalidArgument(`${work.where}At least one sort spec is required.`);
  sortRows(sheet, w, specs);
  return undefined;
};

/** Requests that only change formatting, which the emulator does not keep: accepted, and they change nothing. */
const FORMATTING_ONLY = [
  'updateDimensionProperties',
  'autoResizeDimensions',
  'updateBorders',
  'mergeCells',
  'unmergeCells',
  'setDataValidation',
  'setBasicFilter',
  'clearBasicFilter',
  'addConditionalFormatRule',
  'deleteConditionalFormatRule',
];

/** The rest of Google's request kinds: real, but not emulated; refused loudly rather than ignored. */
const NOT_EMULATED = [
  'updateNamedRange',
  'repeatCell',
  'addNamedRange',
  'deleteNamedRange',
  'autoFill',
  'cutPaste',
  'copyPaste',
  'updateCells',
  'addFilterView',
  'appendCells',
  'deleteEmbeddedObject',
  'deleteFilterView',
  'duplicateFilterView',
  'duplicateSheet',
  'findReplace',
  'insertRange',
  'moveDimension',
  'updateEmbeddedObjectPosition',
  'pasteData',
  'textToColumns',
  'updateFilterView',
  'deleteRange',
  'updateConditionalFormatRule',
  'addProtectedRange',
  'updateProtectedRange',
  'deleteProtectedRange',
  'addChart',
  'updateChartSpec',
  'updateBanding',
  'addBanding',
  'deleteBanding',
  'createDeveloperMetadata',
  'updateDeveloperMetadata',
  'deleteDeveloperMetadata',
  'randomizeRange',
  'addDimensionGroup',
  'deleteDimensionGroup',
  'updateDimensionGroup',
  'trimWhitespace',
  'deleteDuplicates',
  'updateEmbeddedObjectBorder',
  'addSlicer',
  'updateSlicerSpec',
  'addDataSource',
  'updateDataSource',
  'deleteDataSource',
  'refreshDataSource',
  'cancelDataSourceRefresh',
  'addTable',
  'updateTable',
  'deleteTable',
];

const HANDLERS: Readonly<Record<string, Handler>> = {
  addSheet: addSheetRequest,
  deleteSheet: deleteSheetRequest,
  updateSheetProperties: updateSheetPropertiesRequest,
  updateSpreadsheetProperties: updateSpreadsheetPropertiesRequest,
  insertDimension: insertDimensionRequest,
  deleteDimension: deleteDimensionRequest,
  appendDimension: appendDimensionRequest,
  sortRange: sortRangeRequest,
  ...Object.fromEntries(FORMATTING_ONLY.map((kind): [string, Handler] => [kind, () => undefined])),
};

function runRequest(book: SpreadsheetState, raw: unknown, i: number): JsonObject {
  if (!isObject(raw))
    throw invalidArgument(`Invalid value at 'requests[${i}]' (type.googleapis.com/google.apps.sheets.v4.Request), ${JSON.stringify(raw)}`);
  const kinds = Object.keys(raw);
  if (kinds.length === 0) throw invalidArgument(`Invalid requests[${i}]: No request set.`);
  const [kind = '', second] = kinds;
  if (second !== undefined) throw invalidJson(`Oneof field 'kind' is already set. Cannot set '${second}'`);
  const handler = HANDLERS[kind];
  if (handler === undefined) {
    if (NOT_EMULATED.includes(kind)) {
      throw new GoogleApiError(
        501,
        'UNIMPLEMENTED',
        `Invalid requests[${i}].${kind}: this request kind is not supported by the Google emulator.`,
      );
    }
    throw invalidJson(`Unknown name "${kind}" at 'requests[${i}]': Cannot find field.`);
  }
  const body = raw[kind];
  if (!isObject(body)) throw invalidArgument(`Invalid value at 'requests[${i}].${kind}' (TYPE_MESSAGE), ${JSON.stringify(body)}`);
  return handler({ book, where: `Invalid requests[${i}].${kind}: `, path: `requests[${i}].${kind}.` }, body) ?? {};
}

function batchUpdateSpreadsheet(call: ApiCall): JsonObject {
  const book = openSpreadsheet(call.data, call.params.spreadsheetId ?? '', call.identity, 'write');
  const requests = optArray(call.body, 'requests', '') ?? [];
  if (requests.length === 0) throw invalidArgument('Invalid requests: Must specify at least one request.');
  const copy: SpreadsheetState = { ...book, sheets: structuredClone(book.sheets) };
  const replies = requests.map((raw, i) => runRequest(copy, raw, i));
  book.sheets = copy.sheets;
  book.title = copy.title;
  book.locale = copy.locale;
  book.timeZone = copy.timeZone;
  const include = optBool(call.body, 'includeSpreadsheetInResponse', '') ?? false;
  return { spreadsheetId: book.spreadsheetId, replies, ...(include ? { updatedSpreadsheet: renderSpreadsheet(book, call.baseUrl) } : {}) };
}

export const batchUpdateRoutes: SheetsRoute[] = [
  {
    kind: 'sheets',
    method: 'POST',
    template: '/v4/spreadsheets/{spreadsheetId}:batchUpdate',
    access: 'write',
    rpc: `${SHEETS_RPC}.BatchUpdateSpreadsheet`,
    run: batchUpdateSpreadsheet,
  },
];
