import { setTimeout as sleep } from 'node:timers/promises';
import { sheets, type MethodOptions, type sheets_v4 } from '@googleapis/sheets';
import { JWT, type OAuth2Client } from 'google-auth-library';
import { looseName } from '../../core/template.js';
import { cellRange, rowsRange } from './a1.js';
import { defaultRetry, parseRetryAfter, retryDelay, type RetryPolicy } from './backoff.js';
import type { GoogleEndpoints } from './endpoints.js';
import { apiError, errorCode, httpStatus, oauthError, requestUrl, responseHeader } from './google-error-body.js';
import { GoogleSheetsError } from './google-sheets-error.js';

export { GoogleSheetsError, type GoogleSheetsErrorKind } from './google-sheets-error.js';

export interface SheetsApiOptions {
  /** Rows asked for per request when reading. (Default: 2000) */
  pageRows?: number;
  /** How 429 and 5xx answers and network failures are retried. (Default: 5 attempts, 1 s doubling to 32 s, full jitter) */
  retry?: RetryPolicy;
  /**
   * The address the credentials act as, for "share the sheet with …". (Default: the service account's
   * client_email for a JWT client; none for an OAuth client unless given)
   */
  identity?: string;
  /** The longest one request may take. (Default: 60 s) */
  timeoutMs?: number;
}

/** A tab (sheet) of a spreadsheet, with the size of its grid (which can be far larger than its data). */
export interface SheetTab {
  title: string;
  sheetId: number;
  rowCount: number;
  columnCount: number;
}

/** One row as read: its 1-based row number in the tab, and its cells as shown (trailing empty cells left out). */
export interface SheetRowCells {
  rowNumber: number;
  cells: string[];
}

/** One cell to write: row 1-based (as in the sheet), column 0-based (A = 0). */
export interface CellUpdate {
  tab: string;
  row: number;
  column: number;
  value: string;
}

/** Per-call options. */
export interface CallOptions {
  signal?: AbortSignal;
}

const DEFAULT_PAGE_ROWS = 2000;
const DEFAULT_TIMEOUT_MS = 60_000;
/**
 * Ranges per values.batchUpdate. Google sets no count limit but recommends payloads under 2 MB;
 * 500 one-cell ranges stay far below that even with long URLs as values.
 */
const MAX_RANGES_PER_WRITE = 500;

/** What a failed call was about, for its message. */
interface CallContext {
  spreadsheetId: string;
  /** The tabs the call named, to say which one is missing. */
  tabs?: string[];
}

/**
 * The Sheets API v4 through Google's own client, for one set of credentials: tab lookup, paged
 * reads, batched writes, retries, and errors a person can act on (`GoogleSheetsError`).
 */
export class SheetsApi {
  /** The address the credentials act as, when known. */
  readonly identity: string | undefined;
  private readonly client: sheets_v4.Sheets;
  /** The API base with a trailing slash: `/v4/…` goes after it, a path prefix included. */
  private readonly rootUrl: string;
  private readonly pageRows: number;
  private readonly retry: RetryPolicy;
  private readonly timeoutMs: number;

  constructor(auth: OAuth2Client, endpoints: GoogleEndpoints, o: SheetsApiOptions = {}) {
    this.rootUrl = endpoints.sheetsApiBase.href.endsWith('/') ? endpoints.sheetsApiBase.href : `${endpoints.sheetsApiBase.href}/`;
    this.client = sheets({ version: 'v4', auth, rootUrl: this.rootUrl });
    this.identity = o.identity ?? (auth instanceof JWT ? auth.email : undefined);
    this.pageRows = o.pageRows ?? DEFAULT_PAGE_ROWS;
    if (!Number.isInteger(this.pageRows) || this.pageRows < 1)
      throw new RangeError(`pageRows must be a whole number ≥ 1, not ${this.pageRows}`);
    this.retry = o.retry ?? defaultRetry;
    this.timeoutMs = o.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  }

  /** The spreadsheet's tabs in order (chart sheets, which hold no cells, left out). */
  async tabs(spreadsheetId: string, o: CallOptions = {}): Promise<SheetTab[]> {
    const res = await this.call({ spreadsheetId }, o, (options) =>
      this.client.spreadsheets.get(
        {
          spreadsheetId,
          includeGridData: false,
          fields: 'sheets.properties(sheetId,title,sheetType,gridProperties(rowCount,columnCount))',
        },
        options,
      ),
    );
    const tabs: SheetTab[] = [];
    for (const sheet of res.data.sheets ?? []) {
      const p = sheet.properties;
      if (p === undefined || p.sheetType === 'OBJECT' || typeof p.title !== 'string') continue;
      tabs.push({
        title: p.title,
        sheetId: p.sheetId ?? 0,
        rowCount: p.gridProperties?.rowCount ?? 0,
        columnCount: p.gridProperties?.columnCount ?? 0,
      });
    }
    return tabs;
  }

  /**
   * The tab of that title: exact first, else compared loosely like column names (case, spaces), so
   * that "orders" finds "Orders". Throws `tab_not_found` listing the tabs there are.
   */
  async tab(spreadsheetId: string, title: string, o: CallOptions = {}): Promise<SheetTab> {
    const tabs = await this.tabs(spreadsheetId, o);
    const found = tabs.find((t) => t.title === title) ?? tabs.find((t) => looseName(t.title) === looseName(title));
    if (found === undefined) throw tabNotFound(title, tabs);
    return found;
  }

  /**
   * The tab's rows from `fromRow` (1-based) on, page by page (`pageRows` rows per request), so that
   * memory stays flat however long the tab is. Every row Google returns is yielded, empty ones too
   * (as `cells: []`), with its real row number; values are as the sheet shows them (FORMATTED_VALUE).
   *
   * Where it stops: at the grid's last row (gridProperties.rowCount; asking beyond it is an error),
   * or at the first page that comes back entirely empty. The second matters because a grid is often
   * much larger than its data (1,000 rows for a new tab, 100,000 after a paste), and reading it to
   * the end would spend a request — out of 60 a minute per user — on every 2,000 empty rows. The
   * price: data after a gap of a whole page of empty rows is not read (see NOTES.md).
   */
  async *readRows(spreadsheetId: string, tab: string, fromRow: number, o: CallOptions = {}): AsyncGenerator<SheetRowCells> {
    if (!Number.isInteger(fromRow) || fromRow < 1) throw new RangeError(`fromRow must be a whole number ≥ 1, not ${fromRow}`);
    const found = await this.tab(spreadsheetId, tab, o);
    const lastColumn = Math.max(found.columnCount, 1) - 1;
    for (let from = fromRow; from <= found.rowCount; from += this.pageRows) {
      const to = Math.min(from + this.pageRows - 1, found.rowCount);
      const range = rowsRange(found.title, from, to, lastColumn);
      const res = await this.call({ spreadsheetId, tabs: [found.title] }, o, (options) =>
        this.client.spreadsheets.values.get(
          { spreadsheetId, range, majorDimension: 'ROWS', valueRenderOption: 'FORMATTED_VALUE' },
          options,
        ),
      );
      const values = res.data.values ?? [];
      if (values.length === 0) return;
      for (let i = 0; i < values.length; i++) yield { rowNumber: from + i, cells: toCells(values[i]) };
    }
  }

  /**
   * Writes cells as given (RAW: `=1+1` stays text, `0012` keeps its zeros), at most 500 ranges per
   * values.batchUpdate. Each batch is all-or-nothing on Google's side, and setting a cell to a value
   * is idempotent, so a batch retried after a 5xx or a lost answer writes the same thing again.
   * Tab titles are resolved like `readRows` does, so a tab found for reading is found for writing.
   */
  async writeCells(spreadsheetId: string, updates: CellUpdate[], o: CallOptions = {}): Promise<void> {
    for (const u of updates) {
      if (!Number.isInteger(u.row) || u.row < 1) throw new RangeError(`row must be a whole number ≥ 1, not ${u.row}`);
      if (!Number.isInteger(u.column) || u.column < 0) throw new RangeError(`column must be a whole number ≥ 0, not ${u.column}`);
    }
    if (updates.length === 0) return;
    const wanted = [...new Set(updates.map((u) => u.tab))];
    const tabs = await this.tabs(spreadsheetId, o);
    const titles = new Map<string, string>();
    for (const title of wanted) {
      const found = tabs.find((t) => t.title === title) ?? tabs.find((t) => looseName(t.title) === looseName(title));
      if (found === undefined) throw tabNotFound(title, tabs);
      titles.set(title, found.title);
    }
    for (let at = 0; at < updates.length; at += MAX_RANGES_PER_WRITE) {
      const data = updates.slice(at, at + MAX_RANGES_PER_WRITE).map((u) => ({
        range: cellRange(titles.get(u.tab) ?? u.tab, u.row, u.column),
        values: [[u.value]],
      }));
      await this.call({ spreadsheetId, tabs: [...titles.values()] }, o, (options) =>
        this.client.spreadsheets.values.batchUpdate({ spreadsheetId, requestBody: { valueInputOption: 'RAW', data } }, options),
      );
    }
  }

  /**
   * One API call with retries. The client's own retries are turned off (`retry: false`): they do
   * not jitter, and a 429 must wait as Google asks. Retried: 429, 5xx, and failures with no answer
   * at all (connection refused or reset, timeout); everything else is translated at once.
   */
  private async call<T>(context: CallContext, o: CallOptions, fn: (options: MethodOptions) => Promise<T>): Promise<T> {
    const options: MethodOptions = {
      retry: false,
      timeout: this.timeoutMs,
      // Here as well as in the client's options: the generated methods build their URL from the
      // method's rootUrl, then move it to the client's by path, which loses a prefix (`/google/`).
      rootUrl: this.rootUrl,
      ...(o.signal === undefined ? {} : { signal: o.signal }),
    };
    for (let attempt = 1; ; attempt++) {
      o.signal?.throwIfAborted();
      try {
        return await fn(options);
      } catch (error) {
        if (o.signal?.aborted === true) throw o.signal.reason;
        const status = httpStatus(error);
        const retryable =
          status === 429 || (status !== undefined && status >= 500) || (status === undefined && errorCode(error) !== undefined);
        if (!retryable || attempt >= this.retry.attempts) throw await this.translate(error, context, attempt, o);
        const wait = retryDelay(attempt, this.retry, parseRetryAfter(responseHeader(error, 'retry-after'), Date.now()));
        try {
          await sleep(wait, undefined, o.signal === undefined ? {} : { signal: o.signal });
        } catch (aborted) {
          throw o.signal?.reason ?? aborted;
        }
      }
    }
  }

  /** The error a person reads. Looks the tabs up to list them when a range named a missing tab. */
  private async translate(error: unknown, context: CallContext, attempts: number, o: CallOptions): Promise<Error> {
    const status = httpStatus(error);
    const host = requestUrl(error)?.host ?? 'Google';
    const api = apiError(error);
    const detail = api?.message ?? oauthError(error)?.error ?? (error instanceof Error ? error.message : String(error));
    const make = (kind: GoogleSheetsError['kind'], message: string) => new GoogleSheetsError(kind, message, status, { cause: error });

    if (status === undefined) {
      const code = errorCode(error);
      if (code === undefined) return error instanceof Error ? error : new Error(String(error));
      return make('unavailable', `could not reach Google (${host}) after ${plural(attempts, 'attempt')}: ${code}`);
    }
    // The token endpoint refusing the credentials surfaces here too, when a token is fetched for the call.
    const oauth = oauthError(error);
    if (oauth !== undefined && (status === 400 || status === 401)) {
      return make(
        'auth',
        `Google refused the credentials: ${oauth.description === undefined ? oauth.error : `${oauth.error}: ${oauth.description}`}`,
      );
    }
    if (status === 401) return make('auth', `Google refused the credentials: ${detail}`);
    if (status === 403) {
      if (/has not been used in project|is disabled|SERVICE_DISABLED/i.test(detail)) {
        return make('auth', `the Google Sheets API is not enabled for the credentials' Google Cloud project: ${detail}`);
      }
      if (/insufficient authentication scopes/i.test(detail)) {
        return make(
          'auth',
          `the credentials were not granted access to Google Sheets (${detail}); sign in again and allow Sluice to see and edit the spreadsheets`,
        );
      }
      const who = this.identity;
      return make(
        'not_shared',
        who === undefined
          ? `the sheet is not shared with the Google account Sluice uses — share it with that account (spreadsheet ${context.spreadsheetId})`
          : `the sheet is not shared with ${who} — share it with that address`,
      );
    }
    if (status === 404) return make('not_found', `spreadsheet ${context.spreadsheetId} not found: check the link`);
    if (status === 429) {
      return make(
        'quota',
        `Google Sheets is still refusing requests for quota (HTTP 429${api?.status === undefined ? '' : ` ${api.status}`}) after ${plural(attempts, 'attempt')}; the per-minute quota refills within a minute: try again then`,
      );
    }
    if (status >= 500)
      return make('unavailable', `Google Sheets answered HTTP ${status} (${detail}) ${plural(attempts, 'time')}; try again later`);
    if (status === 400 && /Unable to parse range/i.test(detail)) {
      const missing = await this.missingTab(context, o);
      if (missing !== undefined) return missing;
    }
    return make('bad_request', `Google Sheets refused the request (HTTP ${status}): ${detail}`);
  }

  /** The tab_not_found error for the first tab of the call that the spreadsheet does not have. */
  private async missingTab(context: CallContext, o: CallOptions): Promise<GoogleSheetsError | undefined> {
    let tabs: SheetTab[];
    try {
      tabs = await this.tabs(context.spreadsheetId, o);
    } catch {
      return undefined;
    }
    const missing = context.tabs?.find((title) => !tabs.some((t) => t.title === title));
    return missing === undefined ? undefined : tabNotFound(missing, tabs);
  }
}

function tabNotFound(title: string, tabs: SheetTab[]): GoogleSheetsError {
  const list = tabs.length === 0 ? 'the spreadsheet has no tabs with cells' : `tabs are: ${tabs.map((t) => t.title).join(', ')}`;
  return new GoogleSheetsError('tab_not_found', `tab '${title}' not found; ${list}`);
}

/** Cells as text: FORMATTED_VALUE gives strings, but a missing cell inside a row can come back as null. */
function toCells(row: unknown[] | undefined): string[] {
  if (row === undefined) return [];
  return row.map((cell) => (cell === null || cell === undefined ? '' : String(cell)));
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
