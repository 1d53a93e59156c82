import type { Need } from './access.js';
import type { Reply } from './http.js';
import type { JsonObject } from './json.js';
import type { AccessTokenRecord, EmulatorStore, SpreadsheetData } from './store.js';

/**
 * The two kinds of route. A *Sheets route* is a Sheets API method: the server authenticates it,
 * checks scopes and quota and parses its JSON body before `run`, which returns the response object
 * or throws a GoogleApiError. A *plain route* (OAuth, published CSV) gets the raw request and makes
 * its own reply.
 */
export type PathParams = Readonly<Record<string, string>>;

export interface ApiCall {
  data: SpreadsheetData;
  /** The caller: the identity of the request's access token. */
  identity: string;
  token: AccessTokenRecord;
  params: PathParams;
  query: URLSearchParams;
  body: JsonObject;
  /** `http://127.0.0.1:PORT`, for links the API returns. */
  baseUrl: string;
}

export interface SheetsRoute {
  kind: 'sheets';
  method: 'GET' | 'POST' | 'PUT';
  /** Google's path template: `/v4/spreadsheets/{spreadsheetId}/values/{range...}:append`. */
  template: string;
  /** Read or write: picks the scopes, the share role and the quota ('Read' or 'Write requests') it needs. */
  access: Need;
  /** The RPC name Google puts in error details, e.g. `google.apps.sheets.v4.SpreadsheetsService.GetSpreadsheet`. */
  rpc: string;
  run(call: ApiCall): unknown;
}

export interface PlainCall {
  store: EmulatorStore;
  params: PathParams;
  query: URLSearchParams;
  body: string;
  contentType: string;
  authorization: string | undefined;
  baseUrl: string;
  nowMs: number;
}

export interface PlainResult {
  reply: Reply;
  /** Who the request signed in as, for the request log. */
  caller?: string;
}

export interface PlainRoute {
  kind: 'plain';
  method: 'GET' | 'POST';
  template: string;
  run(call: PlainCall): PlainResult;
}

export type Route = SheetsRoute | PlainRoute;

export const SHEETS_RPC = 'google.apps.sheets.v4.SpreadsheetsService';
