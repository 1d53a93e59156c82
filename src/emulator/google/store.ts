import type { Cell } from './cells.js';
import type { ShareRole } from './types.js';

/**
 * Everything the emulator remembers. Spreadsheet data and auth state live apart because `reset()`
 * forgets the first and keeps the second (see types.ts).
 */

/** One tab. `rows` is sparse: a missing row or cell is an empty one. */
export interface SheetState {
  sheetId: number;
  title: string;
  rowCount: number;
  columnCount: number;
  rows: ((Cell | undefined)[] | undefined)[];
}

export interface Publication {
  /** The `2PACX-…` key of the published links; one per spreadsheet, kept when more tabs are published. */
  key: string;
  /** Published as a whole document: every tab, including ones added later. */
  allSheets: boolean;
  sheetIds: Set<number>;
}

export interface SpreadsheetState {
  spreadsheetId: string;
  title: string;
  locale: string;
  timeZone: string;
  /** The identity that created it; always has write access. Lower-cased. */
  owner: string;
  /** In tab order: a tab's `index` is its position here. */
  sheets: SheetState[];
  /** Lower-cased email → role. */
  shares: Map<string, ShareRole>;
  publication?: Publication;
}

export interface AccessTokenRecord {
  identity: string;
  scopes: string[];
  expiresAtMs: number;
}

export interface AuthorizationCode {
  clientId: string;
  redirectUri: string;
  scope: string;
  identity: string;
  /** `access_type=offline` was asked: the exchange also issues a refresh token. */
  offline: boolean;
  expiresAtMs: number;
  codeChallenge?: string;
  codeChallengeMethod?: 'plain' | 'S256';
}

export interface RefreshTokenRecord {
  clientId: string;
  identity: string;
  scope: string;
}

export class SpreadsheetData {
  readonly spreadsheets = new Map<string, SpreadsheetState>();
  /** Publication key → spreadsheetId. */
  readonly publications = new Map<string, string>();
}

export class AuthState {
  readonly accessTokens = new Map<string, AccessTokenRecord>();
  readonly refreshTokens = new Map<string, RefreshTokenRecord>();
  readonly codes = new Map<string, AuthorizationCode>();
  /** client_id → client_secret. */
  readonly clients = new Map<string, string>();
  oauthUser = 'user@example.com';
}

export class EmulatorStore {
  data = new SpreadsheetData();
  readonly auth = new AuthState();

  resetData(): void {
    this.data = new SpreadsheetData();
  }
}

export const normalizeEmail = (email: string): string => email.trim().toLowerCase();
