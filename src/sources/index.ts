import type { z } from 'zod';
import type { OutboundConfig } from '../config.js';
import type { FieldError } from '../core/field-error.js';
import { csvSettingsSchema, type CsvSettings } from './csv/settings.js';
import { openCsv, readCsvSample, type ReadCsvOptions } from './csv/read-csv.js';
import { ImportPathRefused, resolveImportPath, type ImportFolder } from './csv/import-folder.js';
import type { SourceRow } from './source-row.js';
import { webhookSettingsSchema } from './webhook/settings.js';
import { googleSheets } from './google-sheets/source.js';
import type { SheetsApi } from './google-sheets/sheets-api.js';
import type { WriteBackValue } from './google-sheets/settings.js';

/** A setting of a source, as the catalog shows it. */
export interface SettingSpec {
  key: string;
  type: 'text' | 'url' | 'path' | 'multiline' | 'enum';
  label: string;
  help: string;
  example?: string;
  required: boolean;
  options?: readonly string[];
}

interface SourceTypeBase {
  /** Stored in connections: stable, never renamed. */
  type: string;
  title: string;
  description: string;
  settings: z.ZodType;
  catalog: SettingSpec[];
  /**
   * Settings holding an address whose user-info, query and fragment may hide a secret (a password,
   * a token): stored sealed and shown masked everywhere (engine/source-secrets.ts).
   */
  secretUrls?: readonly string[];
}

/** What a source may need from the engine to read: an authorized Sheets API, a signal to stop. */
export interface SourceContext {
  sheets?: SheetsApi;
  signal?: AbortSignal;
  /** The folder a `path` setting must lie in (SLUICE_IMPORT_DIR); a path outside is refused. */
  importDir?: string;
  /** Sluice's data dir (SLUICE_DATA_DIR): never read as a source, even inside the import folder. */
  dataDir?: string;
  /** How addresses a user typed are fetched: guarded against internal addresses (SLUICE_ALLOW_PRIVATE_URLS). */
  outbound?: OutboundConfig;
}

/** A cell to write into the source row that is now at `line` (write-back of Stripe ids). */
export interface CellWrite {
  line: number;
  column: string;
  value: string;
}

/** Read on every run. Stateless: the engine's ledger remembers which rows were seen. */
export interface PullSource extends SourceTypeBase {
  mode: 'pull';
  /** Opens the source: its columns (when it knows them before the rows) and its rows in order. */
  open(settings: unknown, ctx: SourceContext): Promise<{ columns?: string[]; rows: AsyncIterable<SourceRow> }>;
  sample(settings: unknown, ctx: SourceContext, limit: number): Promise<{ columns: string[]; rows: SourceRow[] }>;
  /**
   * Checks, when settings are saved or sampled, what the schema cannot (it has no server context):
   * a CSV path must lie in the import folder. Gives the settings as they are stored, or the
   * problems (fields named within the source: `path`). Reads check again: this is for a clear 400.
   */
  resolve?(settings: unknown, ctx: SourceContext): Promise<{ ok: true; settings: unknown } | { ok: false; errors: FieldError[] }>;
  /** The account the source reads with, when its settings name one (a Google account). */
  accountId?(settings: unknown): string | undefined;
  /** Source columns that receive write-back, by what they receive; they are left out of row hashes. */
  writeBackColumns?(settings: unknown): Record<string, WriteBackValue>;
  /** Writes cells into source rows (write-back). */
  write?(settings: unknown, ctx: SourceContext, cells: CellWrite[]): Promise<void>;
}

/** What a row can write back into its source after it is sent. */
export type { WriteBackValue } from './google-sheets/settings.js';

/** Receives rows (a hook URL); the rows are in the ledger before the sender gets its answer. */
export interface PushSource extends SourceTypeBase {
  mode: 'push';
}

export type SourceType = PullSource | PushSource;

/** What a CSV read takes from the engine: the import folder for `path`, and the outbound settings for `url` (never unguarded). */
function csvOptions(ctx: SourceContext): ReadCsvOptions {
  const importFolder = importFolderOf(ctx);
  return {
    ...(ctx.signal && { signal: ctx.signal }),
    ...(ctx.outbound && { outbound: ctx.outbound }),
    ...(importFolder && { importFolder }),
  };
}

/** The import folder a source reads `path` settings from, when the engine gave one. */
function importFolderOf(ctx: SourceContext): ImportFolder | undefined {
  return ctx.importDir === undefined || ctx.dataDir === undefined ? undefined : { dir: ctx.importDir, dataDir: ctx.dataDir };
}

/**
 * A path is stored as its name in the import folder (`2026/orders.csv`), also when given as an
 * absolute path inside it: the connection then keeps working when the folder moves (a new
 * SLUICE_IMPORT_DIR, an installation moved by export/import), and one file has one spelling.
 */
async function resolveCsv(
  settings: unknown,
  ctx: SourceContext,
): Promise<{ ok: true; settings: unknown } | { ok: false; errors: FieldError[] }> {
  const csv = settings as CsvSettings;
  if (csv.path === undefined) return { ok: true, settings };
  const folder = importFolderOf(ctx);
  if (folder === undefined)
    return { ok: false, errors: [{ field: 'path', value: csv.path, message: 'path: no import folder is set to read files from' }] };
  try {
    const { name } = await resolveImportPath(folder, csv.path);
    return { ok: true, settings: { ...csv, path: name } };
  } catch (error) {
    if (!(error instanceof ImportPathRefused)) throw error;
    return { ok: false, errors: [{ field: 'path', value: csv.path, message: `path: ${error.message}` }] };
  }
}

const csv: PullSource = {
  type: 'csv',
  title: 'CSV file',
  description: "Rows of a CSV file: a file in the server's import folder, an http(s) URL read on every run, or pasted content.",
  mode: 'pull',
  settings: csvSettingsSchema,
  secretUrls: ['url'],
  catalog: [
    {
      key: 'path',
      type: 'path',
      label: 'File in the import folder',
      help: "A file's name in Sluice's import folder (SLUICE_IMPORT_DIR; GET /api/sources/csv/files lists them). Give one of path, url or content.",
      example: 'orders.csv',
      required: false,
    },
    {
      key: 'url',
      type: 'url',
      label: 'URL',
      help: 'An http(s) address, fetched on every run. A password or a query in it is stored encrypted and shown as •••. Addresses on the local network (loopback, private, link-local) are refused unless the server sets SLUICE_ALLOW_PRIVATE_URLS=1.',
      example: 'https://example.com/orders.csv',
      required: false,
    },
    { key: 'content', type: 'multiline', label: 'Content', help: 'The CSV text itself, header row first.', required: false },
    {
      key: 'keyColumn',
      type: 'text',
      label: 'Key column',
      help: 'A column that identifies each row (an order number). Without it a row is known by its content: editing a row makes it a new row.',
      example: 'Order #',
      required: false,
    },
    {
      key: 'delimiter',
      type: 'enum',
      label: 'Delimiter',
      help: 'Found from the header row when not given.',
      options: [',', ';', '\t', '|'],
      required: false,
    },
  ],
  open: (settings, ctx) => openCsv(settings as CsvSettings, csvOptions(ctx)),
  sample: (settings, ctx, limit) => readCsvSample(settings as CsvSettings, { ...csvOptions(ctx), limit }),
  resolve: resolveCsv,
};

const webhook: PushSource = {
  type: 'webhook',
  title: 'Web form or webhook',
  description: 'A URL that a landing-page form or any service posts rows to (JSON or form fields).',
  mode: 'push',
  settings: webhookSettingsSchema,
  catalog: [
    {
      key: 'thankYouUrl',
      type: 'url',
      label: 'Thank-you page',
      help: 'Where a browser goes after posting the form.',
      example: 'https://example.com/thanks',
      required: false,
    },
  ],
};

export const sourceTypes: ReadonlyMap<string, SourceType> = new Map([csv, webhook, googleSheets].map((s) => [s.type, s]));

/** A push source (a form) leaves out fields it has no value for; a pull source (a file) names them all. */
export const isPushSource = (type: string): boolean => sourceTypes.get(type)?.mode === 'push';
