import { Readable } from 'node:stream';
import { Parser } from 'csv-parse';
import { findField } from '../../core/template.js';
import type { OutboundConfig } from '../../config.js';
import { fetchOutbound, OutboundError, type FetchLike, type OutboundResponse, type Resolve } from '../outbound/guarded-fetch.js';
import { columnLetter } from './a1.js';
import { GoogleSheetsError } from './google-sheets-error.js';
import type { GoogleSheetsSettings } from './settings.js';
import type { SheetRowCells, SheetsApi } from './sheets-api.js';
import { parseSpreadsheetRef } from './spreadsheet-ref.js';

export { columnIndex, columnLetter } from './a1.js';
export { rowHash } from './row-hash.js';

/** One data row of a tab: its real row number in the sheet, its fields by column name, and its cells by position. */
export interface SheetRow {
  rowNumber: number;
  fields: Record<string, string>;
  cells: string[];
}

export interface ReadSheetOptions {
  /** The Sheets API as the connection's account; needed unless the spreadsheet is a published CSV link. */
  api?: Pick<SheetsApi, 'readRows'>;
  /** How a published CSV link is fetched (guarded-fetch.ts). (Default: DEFAULT_OUTBOUND — public addresses only) */
  outbound?: Partial<OutboundConfig> | undefined;
  /** Test seam: fetches a published CSV link instead of the guarded fetch (see OutboundFetchOptions.fetch). */
  fetch?: FetchLike | undefined;
  /** Test seam: resolves host names for the guarded fetch (see OutboundFetchOptions.resolve). */
  resolve?: Resolve | undefined;
  settings: GoogleSheetsSettings;
  /** Stops the read: pending requests are cancelled and the iteration throws the signal's reason. */
  signal?: AbortSignal;
}

const MiB = 1024 * 1024;
/** The longest CSV record: a guard against a quote that is never closed. */
const MAX_CSV_RECORD_CHARS = 16 * MiB;

/**
 * Opens a tab for reading: reads the header row, and gives the column names and the data rows.
 *
 * - Row `settings.headerRow` names the columns (see `sheetColumnNames`).
 * - Data rows are those from `settings.firstDataRow` on; a row with no value at all is skipped, and
 *   every row keeps its real row number (as the sheet shows it, for messages and write-back).
 * - A row's cells beyond the header's columns are left out, unless they hold a value: then they get
 *   a `Column X` name (X the column's letter), so that no value is silently dropped.
 * - An empty sheet gives no columns and no rows; a sheet with only a header, its columns and no rows.
 * - `keyColumn` and the `writeBack` columns must be columns of the header (matched like mapping
 *   fields): a read that would send rows it cannot key or write back to is refused at once.
 *
 * A published CSV link is fetched and parsed the same way: one CSV record is one sheet row, so the
 * row numbers are the sheet's. Rows are read page by page (or streamed), in flat memory; iterate
 * `rows` to its end, or break out of the loop, to close the read.
 */
export async function readSheetTable(o: ReadSheetOptions): Promise<{ columns: string[]; rows: AsyncIterable<SheetRow> }> {
  const { columns, rows } = await openTable(o);
  return { columns, rows };
}

/**
 * The columns and the first `limit` rows, for a preview and for listing a source's fields with
 * sample values. `columns` also names the extra `Column X` columns the sampled rows have values in.
 */
export async function sampleSheet(o: ReadSheetOptions, limit: number): Promise<{ columns: string[]; rows: SheetRow[] }> {
  const table = await openTable(o);
  const rows: SheetRow[] = [];
  try {
    if (limit > 0) {
      for await (const row of table.rows) {
        rows.push(row);
        if (rows.length >= limit) break;
      }
    }
  } finally {
    await table.close();
  }
  const columns = [...table.columns];
  for (const row of rows) for (const name of Object.keys(row.fields)) if (!columns.includes(name)) columns.push(name);
  return { columns, rows };
}

/**
 * Field names from the header cells: trimmed; an empty one becomes `Column C` (its column's
 * letter, as the sheet shows it); a repeated one gets ` (2)`, ` (3)`… in order, so that every
 * column keeps its values. Trailing empty header cells make no column (the Sheets API leaves them
 * out; a CSV export writes them).
 */
export function sheetColumnNames(cells: readonly string[]): string[] {
  let end = cells.length;
  while (end > 0 && (cells[end - 1] ?? '').trim() === '') end--;
  const used = new Set<string>();
  return cells.slice(0, end).map((cell, i) => {
    const base = cell.trim() === '' ? `Column ${columnLetter(i)}` : cell.trim();
    const name = unused(base, used);
    used.add(name);
    return name;
  });
}

function unused(base: string, used: ReadonlySet<string>): string {
  let name = base;
  for (let n = 2; used.has(name); n++) name = `${base} (${n})`;
  return name;
}

interface OpenTable {
  columns: string[];
  rows: AsyncGenerator<SheetRow>;
  /** Ends the read, also when `rows` was never iterated (a generator never started cannot clean up). */
  close(): Promise<void>;
}

async function openTable(o: ReadSheetOptions): Promise<OpenTable> {
  const { settings } = o;
  // Defaults again here: settings cast from storage may not have been through the schema.
  const headerRow = settings.headerRow ?? 1;
  const firstDataRow = settings.firstDataRow ?? headerRow + 1;
  const source = openSource(o, headerRow);

  let header: string[] = [];
  let next = await source.next();
  while (next.done !== true && next.value.rowNumber < headerRow) next = await source.next();
  if (next.done === true) {
    return { columns: [], rows: emptyRows(), close: async () => {} };
  }
  if (next.value.rowNumber === headerRow) header = next.value.cells;

  const columns = sheetColumnNames(header);
  try {
    checkColumns(columns, settings);
  } catch (error) {
    await source.return(undefined);
    throw error;
  }
  // A header row that is empty while data follows is still read: every value gets a `Column X` name.
  const pending = next.value.rowNumber === headerRow ? undefined : next.value;
  const builder = new RowBuilder(columns);

  async function* rows(): AsyncGenerator<SheetRow> {
    try {
      if (pending !== undefined && pending.rowNumber >= firstDataRow && !isEmpty(pending.cells)) yield builder.build(pending);
      for (;;) {
        const item = await source.next();
        if (item.done === true) return;
        if (item.value.rowNumber < firstDataRow || isEmpty(item.value.cells)) continue;
        yield builder.build(item.value);
      }
    } finally {
      await source.return(undefined);
    }
  }
  return { columns, rows: rows(), close: async () => void (await source.return(undefined)) };
}

async function* emptyRows(): AsyncGenerator<SheetRow> {}

function isEmpty(cells: readonly string[]): boolean {
  return cells.every((cell) => cell.trim() === '');
}

/** The rows of the sheet the settings point at, from the header row on. */
function openSource(o: ReadSheetOptions, headerRow: number): AsyncGenerator<SheetRowCells> {
  const ref = parseSpreadsheetRef(o.settings.spreadsheet);
  if (!ref.ok) throw new Error(`spreadsheet: ${ref.error}`);
  if (ref.value.kind === 'published') return publishedRows(ref.value.url, o);
  const { tab } = o.settings;
  if (tab === undefined) throw new Error('tab: is required for a spreadsheet read through an account');
  if (o.api === undefined) throw new Error(`spreadsheet ${ref.value.id} is read through a Google account, and none was given`);
  return o.api.readRows(ref.value.id, tab, headerRow, o.signal === undefined ? {} : { signal: o.signal });
}

/** keyColumn and the writeBack columns must be in the header (an empty sheet has nothing to check). */
function checkColumns(columns: string[], settings: GoogleSheetsSettings): void {
  if (columns.length === 0) return;
  const byName = Object.fromEntries(columns.map((c) => [c, c]));
  const list = columns.join(', ');
  if (settings.keyColumn !== undefined && findField(byName, settings.keyColumn) === undefined) {
    throw new Error(
      `keyColumn '${settings.keyColumn}' is not a column of the header row (row ${settings.headerRow ?? 1}); columns are: ${list}`,
    );
  }
  const missing = Object.keys(settings.writeBack ?? {}).filter((name) => findField(byName, name) === undefined);
  if (missing.length > 0) {
    const names = missing.map((m) => `'${m}'`).join(', ');
    throw new Error(
      `writeBack column${missing.length === 1 ? '' : 's'} ${names} ${missing.length === 1 ? 'is' : 'are'} not in the header row (row ${settings.headerRow ?? 1}); add ${missing.length === 1 ? 'it' : 'them'} to the sheet, or remove ${missing.length === 1 ? 'it' : 'them'} from writeBack; columns are: ${list}`,
    );
  }
}

/** Turns cells into fields by the header's column names. */
class RowBuilder {
  private readonly used: ReadonlySet<string>;
  /** Names of columns beyond the header, by index; each depends only on the header, so it is the same in every row. */
  private readonly extra = new Map<number, string>();

  constructor(private readonly columns: string[]) {
    this.used = new Set(columns);
  }

  build({ rowNumber, cells }: SheetRowCells): SheetRow {
    const fields: Record<string, string> = {};
    for (let i = 0; i < this.columns.length; i++) setField(fields, this.columns[i] ?? '', cells[i] ?? '');
    for (let i = this.columns.length; i < cells.length; i++) {
      const value = cells[i] ?? '';
      if (value.trim() !== '') setField(fields, this.extraName(i), value);
    }
    return { rowNumber, fields, cells };
  }

  private extraName(index: number): string {
    let name = this.extra.get(index);
    if (name === undefined) {
      name = unused(`Column ${columnLetter(index)}`, this.used);
      this.extra.set(index, name);
    }
    return name;
  }
}

/** Sets a field as an own property (a column may be called `__proto__`). */
function setField(fields: Record<string, string>, name: string, value: string): void {
  if (name === '__proto__') Object.defineProperty(fields, name, { value, enumerable: true, writable: true, configurable: true });
  else fields[name] = value;
}

/**
 * The records of a sheet published to the web as CSV, numbered as sheet rows (Google writes one
 * record per row, empty rows included, and a line break inside a cell stays inside its quoted value).
 * Streamed: the body is parsed as it arrives.
 */
async function* publishedRows(url: string, o: ReadSheetOptions): AsyncGenerator<SheetRowCells> {
  const where = 'the published sheet';
  const { signal } = o;
  let response: OutboundResponse;
  try {
    response = await fetchOutbound(url, { source: where, outbound: o.outbound, signal, fetch: o.fetch, resolve: o.resolve });
  } catch (error) {
    if (signal?.aborted === true) throw signal.reason;
    throw error instanceof OutboundError ? fetchFailure(error) : error;
  }
  if (!response.ok) {
    await response.cancel();
    const kind =
      response.status === 404 || response.status === 410
        ? 'not_found'
        : response.status >= 500 || response.status === 429
          ? 'unavailable'
          : 'bad_request';
    const hint =
      kind === 'not_found' ? ': it is no longer published, or the link is wrong; publish it again (File → Share → Publish to web)' : '';
    throw new GoogleSheetsError(kind, `${where} answered HTTP ${response.status}${hint}`, response.status);
  }
  if ((response.headers.get('content-type') ?? '').toLowerCase().includes('text/html')) {
    await response.cancel();
    throw new GoogleSheetsError(
      'not_shared',
      `${where} answered with a web page, not CSV: it may no longer be published to the web; publish it again as "Comma-separated values (.csv)"`,
      response.status,
    );
  }

  const parser = new Parser({ bom: true, relax_column_count: true, max_record_size: MAX_CSV_RECORD_CHARS });
  // The guarded body: cut at SLUICE_FETCH_MAX_BYTES and at the fetch's deadline.
  const body = Readable.from(response.body, { objectMode: false });
  body.on('error', (error) => parser.destroy(error));
  body.pipe(parser);
  let rowNumber = 0;
  try {
    for await (const record of parser as AsyncIterable<string[]>) {
      rowNumber++;
      yield { rowNumber, cells: record };
    }
  } catch (error) {
    if (signal?.aborted === true) throw signal.reason;
    const code = (error as { code?: unknown }).code;
    if (typeof code === 'string' && code.startsWith('CSV_')) {
      throw new GoogleSheetsError(
        'bad_request',
        `${where} is not readable CSV near row ${rowNumber + 1}: ${(error as Error).message}`,
        undefined,
        {
          cause: error,
        },
      );
    }
    throw error instanceof OutboundError ? fetchFailure(error) : error;
  } finally {
    body.destroy();
    parser.destroy();
  }
}

/** A guarded fetch's failure as a GoogleSheetsError: a refused address or a sheet too large is the user's to fix, anything else may pass. */
function fetchFailure(error: OutboundError): GoogleSheetsError {
  const kind = error.kind === 'not_allowed' || error.kind === 'too_large' ? 'bad_request' : 'unavailable';
  return new GoogleSheetsError(kind, error.message, undefined, { cause: error });
}
