import type { PullSource, SourceContext, WriteBackValue } from '../index.js';
import type { SourceRow } from '../source-row.js';
import { googleSheetsSettingsSchema, type GoogleSheetsSettings } from './settings.js';
import { parseSpreadsheetRef } from './spreadsheet-ref.js';
import { readSheetTable, rowHash, sampleSheet, type SheetRow } from './read-sheet.js';
import { findField, looseName } from '../../core/template.js';
import { cellFingerprint } from '../../core/row-identity.js';

const settingsOf = (settings: unknown) => settings as GoogleSheetsSettings;

function readOptions(settings: GoogleSheetsSettings, ctx: SourceContext) {
  return {
    settings,
    ...(ctx.sheets && { api: ctx.sheets }),
    ...(ctx.signal && { signal: ctx.signal }),
    // A published link is fetched with the engine's outbound settings; without them, still guarded.
    ...(ctx.outbound && { outbound: ctx.outbound }),
  };
}

/**
 * A sheet row as a source row. With a key column the key is its value; without one the row is
 * keyed by the engine from its hash — taken over the cells by position, leaving out the columns
 * Sluice writes back into (or writing a Stripe id would make every sent row look edited).
 */
function toSourceRow(row: SheetRow, settings: GoogleSheetsSettings, skip: ReadonlySet<number>): SourceRow {
  const base = { fields: row.fields, line: row.rowNumber };
  const values = row.cells.filter((_, i) => !skip.has(i));
  const hash = rowHash(values);
  const cells = cellFingerprint(values);
  if (!settings.keyColumn) return { ...base, key: '', hash, cells };
  const key = (findField(row.fields, settings.keyColumn) ?? '').trim();
  return key ? { ...base, key } : { ...base, key: '', hash, cells, error: `the key column ${JSON.stringify(settings.keyColumn)} is empty` };
}

/** The header index of a column named in the settings, matched as template fields are (case and spacing aside). */
function columnIndex(columns: readonly string[], name: string): number {
  const exact = columns.indexOf(name);
  return exact >= 0 ? exact : columns.findIndex((c) => looseName(c) === looseName(name));
}

/** Indexes of the write-back columns in the header, left out of row hashes. */
function writeBackIndexes(columns: readonly string[], settings: GoogleSheetsSettings): Set<number> {
  return new Set(
    Object.keys(settings.writeBack ?? {})
      .map((name) => columnIndex(columns, name))
      .filter((i) => i >= 0),
  );
}

export const googleSheets: PullSource = {
  type: 'google_sheets',
  title: 'Google Sheets',
  description: 'Rows of a tab in a Google spreadsheet, read through a Google account, or a sheet published to the web as CSV.',
  mode: 'pull',
  settings: googleSheetsSettingsSchema,
  catalog: [
    {
      key: 'accountId',
      type: 'text',
      label: 'Google account',
      help: 'A Google account that can read the sheet; none for a sheet published to the web as CSV.',
      required: false,
    },
    {
      key: 'spreadsheet',
      type: 'url',
      label: 'Spreadsheet',
      help: "The spreadsheet's link or id, or the CSV link of a sheet published to the web.",
      example: 'https://docs.google.com/spreadsheets/d/1BxiMVs0XRA5nFMdKvBdBZjgmUUqptlbs74OgvE2upms/edit',
      required: true,
    },
    { key: 'tab', type: 'text', label: 'Tab', help: 'The tab (sheet) to read.', example: 'Orders', required: false },
    {
      key: 'headerRow',
      type: 'text',
      label: 'Header row',
      help: 'The row that names the columns. (Default: 1)',
      example: '1',
      required: false,
    },
    {
      key: 'firstDataRow',
      type: 'text',
      label: 'First data row',
      help: 'The first row with data. (Default: the row after the header)',
      example: '2',
      required: false,
    },
    {
      key: 'keyColumn',
      type: 'text',
      label: 'Key column',
      help: 'A column that identifies each row (an order number). Without it Sluice keeps each row’s identity itself, through sorting, inserts, deletes and edits.',
      example: 'Order #',
      required: false,
    },
    {
      key: 'writeBack',
      type: 'text',
      label: 'Write back',
      help: 'Columns that receive what Stripe made: {"Stripe ID": "stripeId", "Invoice": "invoiceNumber", "Status": "invoiceStatus", "Pay link": "invoiceUrl"}.',
      required: false,
    },
  ],
  accountId: (settings) => settingsOf(settings).accountId,
  writeBackColumns: (settings) => ({ ...(settingsOf(settings).writeBack as Record<string, WriteBackValue> | undefined) }),
  async open(raw, ctx) {
    const settings = settingsOf(raw);
    const table = await readSheetTable(readOptions(settings, ctx));
    const skip = writeBackIndexes(table.columns, settings);
    async function* rows(): AsyncGenerator<SourceRow> {
      for await (const row of table.rows) yield toSourceRow(row, settings, skip);
    }
    return { columns: table.columns, rows: rows() };
  },
  async sample(raw, ctx, limit) {
    const settings = settingsOf(raw);
    const sample = await sampleSheet(readOptions(settings, ctx), limit);
    const skip = writeBackIndexes(sample.columns, settings);
    return { columns: sample.columns, rows: sample.rows.map((r) => toSourceRow(r, settings, skip)) };
  },
  async write(raw, ctx, cells) {
    const settings = settingsOf(raw);
    const ref = parseSpreadsheetRef(settings.spreadsheet);
    if (!ref.ok || ref.value.kind !== 'id' || !ctx.sheets || !settings.tab) {
      throw new Error('write-back needs a spreadsheet read through a Google account, not a published CSV link');
    }
    const { columns } = await sampleSheet(readOptions(settings, ctx), 0);
    const updates = cells.map((c) => {
      const column = columnIndex(columns, c.column);
      if (column < 0)
        throw new Error(`write-back column ${JSON.stringify(c.column)} is not in the header row; columns are: ${columns.join(', ')}`);
      return { tab: settings.tab as string, row: c.line, column, value: c.value };
    });
    await ctx.sheets.writeCells(ref.value.id, updates);
  },
};
