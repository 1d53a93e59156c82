import { bearerToken, canAccess, scopesAllow } from './access.js';
import { cellAt, usedBounds } from './grid.js';
import { htmlErrorReply, type Reply } from './http.js';
import { newId } from './ids.js';
import type { PlainCall, PlainResult, PlainRoute } from './route.js';
import { sheetById } from './spreadsheets.js';
import type { SheetState, SpreadsheetData, SpreadsheetState } from './store.js';

/**
 * "Publish to the web" as CSV. A published tab is served without a token at
 * `/spreadsheets/d/e/2PACX-…/pub?gid=N&single=true&output=csv`; the link is keyed by the tab's
 * gid, so it survives renaming the tab and dies with deleting it. The export URL
 * `/spreadsheets/d/{id}/export?format=csv&gid=N` serves published tabs to anyone and any tab to a
 * Bearer token that may read the spreadsheet. Unlike Google (which caches published output for
 * minutes), the CSV is always current.
 */
export function publishTab(data: SpreadsheetData, spreadsheetId: string, sheetId: number | undefined, baseUrl: string): string {
  const book = data.spreadsheets.get(spreadsheetId);
  if (book === undefined) throw new Error(`spreadsheetId: no spreadsheet ${JSON.stringify(spreadsheetId)}`);
  const sheet = sheetId === undefined ? book.sheets[0] : sheetById(book, sheetId);
  if (sheet === undefined) {
    throw new Error(`sheetId: ${sheetId} is not a tab of ${spreadsheetId}; its tabs are ${book.sheets.map((s) => s.sheetId).join(', ')}`);
  }
  if (book.publication === undefined) {
    book.publication = { key: newId.publication(), allSheets: false, sheetIds: new Set() };
    data.publications.set(book.publication.key, spreadsheetId);
  }
  book.publication.sheetIds.add(sheet.sheetId);
  return `${baseUrl}/spreadsheets/d/e/${book.publication.key}/pub?gid=${sheet.sheetId}&single=true&output=csv`;
}

const isPublished = (book: SpreadsheetState, sheet: SheetState): boolean =>
  book.publication !== undefined && (book.publication.allSheets || book.publication.sheetIds.has(sheet.sheetId));

/** RFC 4180: a field is quoted when it holds a comma, a quote or a line break; quotes are doubled; lines end in CRLF. */
export function csvField(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/**
 * The tab as Google exports it: formatted values, from A1 to the last row and column holding
 * data, every line with the same number of fields, CRLF between lines and none after the last.
 */
export function tabText(sheet: SheetState, format: 'csv' | 'tsv'): string {
  const bounds = usedBounds(sheet);
  if (bounds === undefined) return '';
  const lines: string[] = [];
  for (let r = 0; r <= bounds.lastRow; r++) {
    const fields: string[] = [];
    for (let c = 0; c <= bounds.lastColumn; c++) {
      const text = cellAt(sheet, r, c)?.formatted ?? '';
      fields.push(format === 'csv' ? csvField(text) : text.replace(/[\t\r\n]/g, ' '));
    }
    lines.push(fields.join(format === 'csv' ? ',' : '\t'));
  }
  return lines.join('\r\n');
}

function tabReply(book: SpreadsheetState, sheet: SheetState, format: 'csv' | 'tsv'): Reply {
  const filename = `${book.title} - ${sheet.title}.${format}`.replace(/["\\\r\n]/g, '_');
  return {
    status: 200,
    headers: {
      'Content-Type': `text/${format === 'csv' ? 'csv' : 'tab-separated-values'}; charset=utf-8`,
      'Content-Disposition': `attachment; filename="${filename}"`,
      'Cache-Control': 'private, max-age=300',
    },
    body: tabText(sheet, format),
  };
}

const notFound = (): PlainResult => ({ reply: htmlErrorReply(404, 'Sorry, unable to open the file at this time.') });

function readFormat(value: string | null): 'csv' | 'tsv' | undefined {
  return value === 'csv' || value === 'tsv' ? value : undefined;
}

/** A `gid` query value; absent means the first tab. */
function tabOf(book: SpreadsheetState, gid: string | null): SheetState | undefined {
  if (gid === null || gid === '') return book.sheets[0];
  return /^\d+$/.test(gid) ? sheetById(book, Number(gid)) : undefined;
}

function published(call: PlainCall): PlainResult {
  const spreadsheetId = call.store.data.publications.get(call.params.key ?? '');
  const book = spreadsheetId === undefined ? undefined : call.store.data.spreadsheets.get(spreadsheetId);
  if (book === undefined) return notFound();
  const sheet = tabOf(book, call.query.get('gid'));
  if (sheet === undefined || !isPublished(book, sheet)) return notFound();
  const format = readFormat(call.query.get('output'));
  if (format === undefined) return { reply: htmlErrorReply(400, 'The emulator serves published tabs only as output=csv or output=tsv.') };
  return { reply: tabReply(book, sheet, format) };
}

function exported(call: PlainCall): PlainResult {
  const book = call.store.data.spreadsheets.get(call.params.spreadsheetId ?? '');
  if (book === undefined) return notFound();
  const sheet = tabOf(book, call.query.get('gid'));
  if (sheet === undefined) return notFound();
  const token = bearerToken(call.store.auth, call.authorization, call.nowMs);
  const reader =
    token.ok && scopesAllow(token.token.scopes, 'read') && canAccess(book, token.token.identity, 'read') ? token.token.identity : undefined;
  if (!isPublished(book, sheet) && reader === undefined) {
    // Google sends a browser to its sign-in page here; a program sees a refusal.
    return {
      reply: htmlErrorReply(401, 'You need to sign in with an account that can open this file, or the tab must be published to the web.'),
    };
  }
  const format = readFormat(call.query.get('format'));
  if (format === undefined) return { reply: htmlErrorReply(400, 'The emulator exports tabs only as format=csv or format=tsv.') };
  return { reply: tabReply(book, sheet, format), ...(reader === undefined ? {} : { caller: reader }) };
}

export const publishedCsvRoutes: PlainRoute[] = [
  { kind: 'plain', method: 'GET', template: '/spreadsheets/d/e/{key}/pub', run: published },
  { kind: 'plain', method: 'GET', template: '/spreadsheets/d/{spreadsheetId}/export', run: exported },
];
