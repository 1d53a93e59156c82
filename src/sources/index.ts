import type { z } from 'zod';
import type { OutboundConfig } from '../config.js';
import { csvSettingsSchema, type CsvSettings } from './csv/settings.js';
import { openCsv, readCsvSample, type ReadCsvOptions } from './csv/read-csv.js';
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
}

/** What a source may need from the engine to read: an authorized Sheets API, a signal to stop. */
export interface SourceContext {
  sheets?: SheetsApi;
  signal?: AbortSignal;
  /** The folder a `path` setting must lie in (SLUICE_IMPORT_DIR); a path outside is refused. */
  importDir?: string;
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

const csv: PullSource = {
  type: 'csv',
  title: 'CSV file',
  description: 'Rows of a CSV file: a path on the server, an http(s) URL read on every run, or pasted content.',
  mode: 'pull',
  settings: csvSettingsSchema,
  catalog: [
    {
      key: 'path',
      type: 'path',
      label: 'File path',
      help: 'A file on the Sluice server. Give one of path, url or content.',
      example: '/srv/exports/orders.csv',
      required: false,
    },
    {
      key: 'url',
      type: 'url',
      label: 'URL',
      help: 'An http(s) address, fetched on every run.',
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
  open: (settings, ctx) => openCsv(settings as CsvSettings, csvReadOptions(settings as CsvSettings, ctx)),
  sample: (settings, _ctx, limit) => readCsvSample(settings as CsvSettings, { limit }),
};

/**
 * The outbound limits of a run's read (SLUICE_FETCH_MAX_BYTES, and SLUICE_FETCH_TIMEOUT_MS as one
 * deadline for a URL's whole read), with the run's own signal.
 */
function csvReadOptions(settings: CsvSettings, ctx: SourceContext): ReadCsvOptions {
  const deadline = settings.url !== undefined && ctx.outbound ? AbortSignal.timeout(ctx.outbound.timeoutMs) : undefined;
  const signals = [ctx.signal, deadline].filter((s): s is AbortSignal => s !== undefined);
  return {
    ...(ctx.outbound && { maxBytes: ctx.outbound.maxBytes }),
    ...(signals.length > 0 && { signal: signals.length === 1 ? signals[0] : AbortSignal.any(signals) }),
  };
}

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
