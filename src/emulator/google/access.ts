import { insufficientScopes, notFound, permissionDenied } from './errors.js';
import { normalizeEmail, type AccessTokenRecord, type AuthState, type SpreadsheetData, type SpreadsheetState } from './store.js';
import type { ShareRole } from './types.js';

/**
 * Who may do what. A request needs both a token whose scopes allow the kind of access (read or
 * write) and an identity the spreadsheet is owned by or shared with. Scopes are checked first:
 * Google refuses a read-only token before it looks at the file.
 */
export type Need = 'read' | 'write';

const AUTH = 'https://www.googleapis.com/auth/';
/** drive.file is treated as full access: the emulator does not track which files an app opened. */
const WRITE_SCOPES = new Set([`${AUTH}spreadsheets`, `${AUTH}drive`, `${AUTH}drive.file`]);
const READ_SCOPES = new Set([...WRITE_SCOPES, `${AUTH}spreadsheets.readonly`, `${AUTH}drive.readonly`]);

export function scopesAllow(scopes: readonly string[], need: Need): boolean {
  const allowed = need === 'read' ? READ_SCOPES : WRITE_SCOPES;
  return scopes.some((scope) => allowed.has(scope));
}

export function checkScopes(token: AccessTokenRecord, need: Need, rpc: string): void {
  if (!scopesAllow(token.scopes, need)) throw insufficientScopes(rpc);
}

export function roleOf(book: SpreadsheetState, identity: string): 'owner' | ShareRole | undefined {
  const email = normalizeEmail(identity);
  return book.owner === email ? 'owner' : book.shares.get(email);
}

export function canAccess(book: SpreadsheetState, identity: string, need: Need): boolean {
  const role = roleOf(book, identity);
  return role === 'owner' || role === 'writer' || (role === 'reader' && need === 'read');
}

/** The spreadsheet, if it exists (404) and the identity may use it so (403). */
export function openSpreadsheet(data: SpreadsheetData, spreadsheetId: string, identity: string, need: Need): SpreadsheetState {
  const book = data.spreadsheets.get(spreadsheetId);
  if (book === undefined) throw notFound();
  if (!canAccess(book, identity, need)) throw permissionDenied();
  return book;
}

export type BearerResult = { ok: true; token: AccessTokenRecord } | { ok: false; missing: boolean; expired: boolean };

/** Reads `Authorization: Bearer <token>` and finds a live token this emulator issued. */
export function bearerToken(auth: AuthState, header: string | undefined, nowMs: number): BearerResult {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  if (match === null) return { ok: false, missing: true, expired: false };
  const token = auth.accessTokens.get(match[1] ?? '');
  if (token === undefined) return { ok: false, missing: false, expired: false };
  if (token.expiresAtMs <= nowMs) return { ok: false, missing: false, expired: true };
  return { ok: true, token };
}
