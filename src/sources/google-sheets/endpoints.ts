/**
 * Where Google is reached. Real Google by default; tests and local demos point these at the Google
 * emulator on loopback. The lead reads them from the environment (`GOOGLE_SHEETS_API_BASE`,
 * `GOOGLE_OAUTH_TOKEN_URL`, `GOOGLE_OAUTH_AUTH_URL`); code here only takes them as a value.
 */
export interface GoogleEndpoints {
  /** The Sheets API root; `/v4/spreadsheets/…` is appended to it. (Default: https://sheets.googleapis.com) */
  sheetsApiBase: URL;
  /** The OAuth token endpoint (service account JWTs, authorization codes, refresh tokens). (Default: https://oauth2.googleapis.com/token) */
  tokenUrl: URL;
  /** The page a person is sent to to let Sluice read their sheets. (Default: https://accounts.google.com/o/oauth2/v2/auth) */
  authUrl: URL;
}

/** The token endpoint that google-auth-library and gtoken use when told nothing else. */
export const GOOGLE_TOKEN_URL = 'https://oauth2.googleapis.com/token';

export const GOOGLE_ENDPOINTS: GoogleEndpoints = Object.freeze({
  sheetsApiBase: new URL('https://sheets.googleapis.com'),
  tokenUrl: new URL(GOOGLE_TOKEN_URL),
  authUrl: new URL('https://accounts.google.com/o/oauth2/v2/auth'),
});

/** Read and write access to the sheets the account can open (write-back needs write). */
export const SHEETS_SCOPE = 'https://www.googleapis.com/auth/spreadsheets';
