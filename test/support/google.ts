import crypto from 'node:crypto';
import { sheets as sheetsClient, type sheets_v4 } from '@googleapis/sheets';
import type { GoogleEmulator } from '../../src/emulator/google/index.js';
import { serviceAccountClient, type ServiceAccountKey } from '../../src/sources/google-sheets/google-auth.js';

/** A service account's JSON key file, as Google gives it, with a fresh RSA key. */
export function serviceAccountKey(email: string): ServiceAccountKey & { project_id: string } {
  const { privateKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
  return {
    type: 'service_account',
    project_id: 'sluice-test',
    private_key_id: crypto.randomBytes(20).toString('hex'),
    private_key: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    client_email: email,
    client_id: '1234567890',
    token_uri: 'https://oauth2.googleapis.com/token',
  };
}

export function googleEnv(emulator: GoogleEmulator): Record<string, string> {
  return {
    GOOGLE_SHEETS_API_BASE: emulator.url,
    GOOGLE_OAUTH_TOKEN_URL: `${emulator.url}/token`,
    GOOGLE_OAUTH_AUTH_URL: `${emulator.url}/o/oauth2/v2/auth`,
  };
}

/** The official Sheets client acting as a service account (the sheet's owner, a person's stand-in). */
export function sheetsAs(emulator: GoogleEmulator, key: ServiceAccountKey): sheets_v4.Sheets {
  const endpoints = {
    sheetsApiBase: new URL(emulator.url),
    tokenUrl: new URL(`${emulator.url}/token`),
    authUrl: new URL(`${emulator.url}/o/oauth2/v2/auth`),
  };
  return sheetsClient({ version: 'v4', auth: serviceAccountClient(key, endpoints), rootUrl: `${emulator.url}/` });
}

/** A sheet as people edit it: through the Sheets API, with the operations the UI performs. */
export class TestSheet {
  constructor(
    readonly api: sheets_v4.Sheets,
    readonly id: string,
    readonly tab: string,
    readonly sheetId: number,
  ) {}

  static async create(api: sheets_v4.Sheets, tab: string, rows: string[][]): Promise<TestSheet> {
    const created = await api.spreadsheets.create({
      requestBody: { properties: { title: 'Orders' }, sheets: [{ properties: { title: tab } }] },
    });
    const sheet = new TestSheet(api, created.data.spreadsheetId as string, tab, created.data.sheets?.[0]?.properties?.sheetId ?? 0);
    if (rows.length) await sheet.write(1, rows);
    return sheet;
  }

  /** Writes rows starting at a 1-based row number. */
  async write(fromRow: number, rows: string[][]): Promise<void> {
    await this.api.spreadsheets.values.update({
      spreadsheetId: this.id,
      range: `'${this.tab}'!A${fromRow}`,
      valueInputOption: 'RAW',
      requestBody: { values: rows },
    });
  }

  async insertRows(beforeRow: number, rows: string[][]): Promise<void> {
    await this.batch([
      {
        insertDimension: {
          range: { sheetId: this.sheetId, dimension: 'ROWS', startIndex: beforeRow - 1, endIndex: beforeRow - 1 + rows.length },
        },
      },
    ]);
    await this.write(beforeRow, rows);
  }

  async deleteRows(fromRow: number, count: number): Promise<void> {
    await this.batch([
      { deleteDimension: { range: { sheetId: this.sheetId, dimension: 'ROWS', startIndex: fromRow - 1, endIndex: fromRow - 1 + count } } },
    ]);
  }

  /** Sorts the data rows (below the header) by a column, as "Sort sheet" does. */
  async sort(columnIndex: number, order: 'ASCENDING' | 'DESCENDING'): Promise<void> {
    await this.batch([
      { sortRange: { range: { sheetId: this.sheetId, startRowIndex: 1 }, sortSpecs: [{ dimensionIndex: columnIndex, sortOrder: order }] } },
    ]);
  }

  async insertColumn(beforeIndex: number): Promise<void> {
    await this.batch([
      { insertDimension: { range: { sheetId: this.sheetId, dimension: 'COLUMNS', startIndex: beforeIndex, endIndex: beforeIndex + 1 } } },
    ]);
  }

  async read(): Promise<string[][]> {
    const r = await this.api.spreadsheets.values.get({ spreadsheetId: this.id, range: `'${this.tab}'` });
    return (r.data.values ?? []) as string[][];
  }

  private async batch(requests: sheets_v4.Schema$Request[]): Promise<void> {
    await this.api.spreadsheets.batchUpdate({ spreadsheetId: this.id, requestBody: { requests } });
  }
}
