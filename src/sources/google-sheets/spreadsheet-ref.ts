import { quote } from '../../core/field-error.js';
import { fail, ok, type Result } from '../../core/result.js';

/**
 * What a `spreadsheet` setting points at:
 * - `id`: a spreadsheet read through the Sheets API with an account; `gid` is the tab's sheetId when
 *   the link named one (`#gid=…`), for the UI to pick the tab;
 * - `published`: a sheet published to the web as CSV, read with a plain GET and no account.
 */
export type SpreadsheetRef = { kind: 'id'; id: string; gid?: number } | { kind: 'published'; url: string };

/** Google's spreadsheet ids: 44 characters today; older and newer ones vary, so a loose range. */
const ID = /^[A-Za-z0-9_-]{25,60}$/;
/** `/spreadsheets/d/<id>`, or `/spreadsheets/u/1/d/<id>` when the browser is signed in to several accounts. */
const ID_PATH = /\/spreadsheets\/(?:u\/\d+\/)?d\/([^/?#]+)/;
/** `/spreadsheets/d/e/2PACX-…/pub` or `/pubhtml`: the link of a sheet published to the web. */
const PUBLISHED_PATH = /\/spreadsheets\/d\/e\/[^/]+\/(pub|pubhtml)\/?$/;
const LOOPBACK = /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/;
const HOW_TO_PUBLISH =
  'in Google Sheets choose File → Share → Publish to web, pick the tab and "Comma-separated values (.csv)", and give that link';

/**
 * Reads a spreadsheet id, a spreadsheet's link (`https://docs.google.com/spreadsheets/d/<id>/edit#gid=0`)
 * or the link of a sheet published to the web as CSV (`…/spreadsheets/d/e/2PACX-…/pub?output=csv`).
 * Any http(s) host is taken for a published link (it is fetched as given, so the emulator's loopback
 * links work); a spreadsheet's link must be Google's (or loopback), since only its id is kept.
 */
export function parseSpreadsheetRef(text: string): Result<SpreadsheetRef> {
  const given = text.trim();
  if (given === '') return fail("is empty; give the spreadsheet's link or its id");
  if (ID.test(given)) return ok({ kind: 'id', id: given });

  const url = toUrl(given);
  if (url === undefined) {
    return fail(
      `${shown(given)} is neither a spreadsheet id nor a link; give the spreadsheet's link, such as https://docs.google.com/spreadsheets/d/<id>/edit`,
    );
  }

  const published = PUBLISHED_PATH.exec(url.pathname);
  if (published !== null) {
    if (published[1] === 'pubhtml') return fail(`${shown(given)} is the link of a web page, not of a CSV file; ${HOW_TO_PUBLISH}`);
    const output = url.searchParams.get('output');
    if (output !== 'csv') {
      return fail(
        `${shown(given)} is published ${output === null ? 'as a web page' : `as ${output}`}, not as CSV; ${HOW_TO_PUBLISH} (it ends with output=csv)`,
      );
    }
    url.hash = '';
    return ok({ kind: 'published', url: url.href });
  }

  const id = ID_PATH.exec(url.pathname)?.[1];
  if (id === undefined || !(url.hostname === 'docs.google.com' || LOOPBACK.test(url.hostname))) {
    return fail(
      `${shown(given)} is not a Google Sheets link; give the spreadsheet's link, such as https://docs.google.com/spreadsheets/d/<id>/edit`,
    );
  }
  if (id === 'e') return fail(`${shown(given)} is an incomplete published link; ${HOW_TO_PUBLISH}`);
  if (!ID.test(id))
    return fail(`${shown(given)} does not hold a spreadsheet id (${quote(id)} is not one); copy the link again from the browser`);
  const gid = gidOf(url);
  return ok(gid === undefined ? { kind: 'id', id } : { kind: 'id', id, gid });
}

/** An http(s) URL; a link pasted without its scheme (`docs.google.com/…`) counts as https. */
function toUrl(text: string): URL | undefined {
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : /^[\w.-]+\.[a-z]{2,}\//i.test(text) ? `https://${text}` : undefined;
  if (withScheme === undefined || !URL.canParse(withScheme)) return undefined;
  const url = new URL(withScheme);
  return url.protocol === 'https:' || url.protocol === 'http:' ? url : undefined;
}

/** The tab's sheetId from `#gid=…` (what the browser shows) or `?gid=…` (what "copy link" gives). */
function gidOf(url: URL): number | undefined {
  const raw = new URLSearchParams(url.hash.replace(/^#/, '')).get('gid') ?? url.searchParams.get('gid');
  if (raw === null || !/^\d{1,10}$/.test(raw)) return undefined;
  return Number(raw);
}

/** The text as given, quoted for a message: long enough for a whole link, short enough for a log line. */
function shown(text: string): string {
  return quote(text, 300);
}
