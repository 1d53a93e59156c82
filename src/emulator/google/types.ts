/**
 * The Google emulator's public types (re-exported by index.ts).
 *
 * Glossary: an *identity* is whom an access token speaks for — a service account's client_email
 * (the `iss` of the JWT it signed) or the OAuth user's email (whoever the emulated consent screen
 * signed in as). The *caller* of a request is its token's identity. A *spreadsheet* holds *tabs*
 * (Google's API calls them sheets); a tab's `sheetId` is its stable number, the `gid` of its URLs.
 * *Publishing* a tab makes its CSV readable by anyone with the link, without a token.
 */
export interface GoogleEmulatorOptions {
  /** TCP port; 0 picks a free one. (Default: 12112) */
  port?: number;
  /** Must be a loopback address: the emulator signs anyone in. (Default: 127.0.0.1) */
  host?: string;
  /** Delay added to every answer but the `/_emulator/…` ones, in milliseconds. (Default: 0) */
  latencyMs?: number;
  /**
   * Sheets API requests one caller may make in any 60 seconds before 429 RESOURCE_EXHAUSTED. Reads
   * and writes are counted apart, as Google does ('Read requests' and 'Write requests' per minute
   * per user); 0 or undefined means unlimited. (Default: unlimited)
   */
  quotaPerMinute?: number;
}

export type EmulatorConfig = Required<Pick<GoogleEmulatorOptions, 'latencyMs' | 'quotaPerMinute'>>;

export type ShareRole = 'reader' | 'writer';

export interface RecordedRequest {
  method: string;
  /** Percent-decoded, without the query string: `/v4/spreadsheets/1Bx…/values/Sheet1!A1:D`. */
  path: string;
  status: number;
  /** The identity of the request's valid access token, or the identity a token request signed in. */
  caller?: string;
}

export interface GoogleEmulator {
  /** `http://127.0.0.1:PORT`; clients use `${url}/` as their rootUrl. */
  url: string;
  port: number;
  close(): Promise<void>;
  configure(options: Partial<Pick<GoogleEmulatorOptions, 'latencyMs' | 'quotaPerMinute'>>): void;
  /**
   * Forgets spreadsheets, shares, publications, recorded requests, quota counts and `failNext`;
   * keeps the configuration, registered OAuth clients, the OAuth user and every token issued, so
   * that clients holding a token keep working across tests.
   */
  reset(): void;
  /** Grants an identity (a service account's client_email or an OAuth user's email) access to a spreadsheet. (Default role: writer) */
  share(spreadsheetId: string, email: string, role?: ShareRole): void;
  /** "Publish to the web" as CSV: returns the published CSV URL of that tab. (Default tab: the first) */
  publish(spreadsheetId: string, sheetId?: number): string;
  /** The email the OAuth consent screen signs in as. (Default: 'user@example.com') */
  setOAuthUser(email: string): void;
  /** The OAuth client the token endpoint accepts for the authorization-code and refresh grants. */
  registerOAuthClient(clientId: string, clientSecret: string): void;
  /** Makes the next N Sheets API requests (after authentication) answer 429, for retry tests. */
  failNext(n: number): void;
  /** Every request but the `/_emulator/…` ones, oldest first (the last 100,000). */
  requests(): RecordedRequest[];
  /** A tab's cells as FORMATTED_VALUE strings, trimmed as values.get trims them; throws for an unknown spreadsheet or tab. */
  grid(spreadsheetId: string, tab: string): string[][];
}
