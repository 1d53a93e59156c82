/**
 * Why a Google Sheets call failed, for a person, with what to do:
 * - `not_shared`: the account may not open the spreadsheet (HTTP 403);
 * - `not_found`: no spreadsheet has that id (404);
 * - `tab_not_found`: the spreadsheet has no tab of that title;
 * - `auth`: Google refused the credentials (401, or the token endpoint said no);
 * - `quota`: still rate limited (429) after the retries;
 * - `bad_request`: Google refused the request for another reason (400);
 * - `unavailable`: Google could not be reached, or answered 5xx, after the retries.
 */
export type GoogleSheetsErrorKind = 'not_shared' | 'not_found' | 'tab_not_found' | 'auth' | 'quota' | 'bad_request' | 'unavailable';

export class GoogleSheetsError extends Error {
  override readonly name = 'GoogleSheetsError';

  constructor(
    readonly kind: GoogleSheetsErrorKind,
    message: string,
    /** The HTTP status Google answered, when it answered. */
    readonly status?: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
