import type { Catalog, Connection, FieldSpec } from '../../api/types';
import { isHttpUrl } from './setting-text';
import { readTemplate } from './template';

export type CsvOrigin = 'upload' | 'url' | 'path';

export interface MetadataRow {
  /** Only for React's list keys: rows are added and removed in any order. */
  id: number;
  key: string;
  template: string;
}

/**
 * The connection being built, as the wizard's forms hold it: every source type's settings at
 * once, so that switching the type back and forth loses nothing. `sourceOf` and `bodyOf` turn it
 * into what the API takes.
 */
export interface Draft {
  sourceType: string;
  csv: {
    origin: CsvOrigin;
    /** The uploaded file's text (sent as `content`), its name, and a number that changes with each file (for caching its columns). */
    content: string;
    fileName: string;
    contentId: number;
    url: string;
    path: string;
    keyColumn: string;
    delimiter: string;
  };
  webhook: {
    thankYouUrl: string;
    /** The form's field names typed by the person, offered in the mapping before any form was posted. */
    fields: string[];
  };
  sheets: { accountId: string; spreadsheet: string; tab: string; headerRow: string; keyColumn: string };
  /** Settings of a saved source that the wizard does not show (a sheet's writeBack), sent back as they were. */
  sourceExtra: Record<string, unknown>;
  action: string;
  accountId: string;
  /** Action field → template, metadata apart. An empty template leaves the field out. */
  mapping: Record<string, string>;
  metadata: MetadataRow[];
  name: string;
  /** False while the name follows the source and the action ("CSV file → Create customer"). */
  nameEdited: boolean;
  startFrom: 'all' | 'new';
  /** Whether the mapping was already filled from columns that match field names (done once). */
  suggested: boolean;
}

export const DEFAULT_FORM_FIELDS = ['Email', 'Name'];

export function emptyDraft(): Draft {
  return {
    sourceType: '',
    csv: { origin: 'upload', content: '', fileName: '', contentId: 0, url: '', path: '', keyColumn: '', delimiter: '' },
    webhook: { thankYouUrl: '', fields: [...DEFAULT_FORM_FIELDS] },
    sheets: { accountId: '', spreadsheet: '', tab: '', headerRow: '1', keyColumn: '' },
    sourceExtra: {},
    action: '',
    accountId: '',
    mapping: {},
    metadata: [],
    name: '',
    nameEdited: false,
    startFrom: 'all',
    suggested: false,
  };
}

let nextRowId = 1;
export const metadataRow = (key = '', template = ''): MetadataRow => ({ id: nextRowId++, key, template });

const METADATA = 'metadata.';
const text = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '');

/** A saved connection as the wizard edits it. */
/** Numbers file texts across every wizard opened in this page, so a cached column list is never another file's. */
let contents = 0;
export const nextContentId = () => ++contents;

export function draftOf(c: Connection): Draft {
  const d = emptyDraft();
  const s = c.source;
  d.sourceType = s.type;
  if (s.type === 'csv') {
    const origin: CsvOrigin = typeof s.url === 'string' ? 'url' : typeof s.path === 'string' ? 'path' : 'upload';
    d.csv = {
      ...d.csv,
      origin,
      content: text(s.content),
      contentId: nextContentId(),
      url: text(s.url),
      path: text(s.path),
      keyColumn: text(s.keyColumn),
      delimiter: text(s.delimiter),
    };
  } else if (s.type === 'webhook') {
    d.webhook.thankYouUrl = text(s.thankYouUrl);
    const used = Object.values(c.mapping).flatMap((t) => readTemplate(t).names);
    d.webhook.fields = [...new Set(used)];
  } else if (s.type === 'google_sheets') {
    const headerRow = typeof s.headerRow === 'number' ? s.headerRow : 1;
    d.sheets = {
      accountId: text(s.accountId),
      spreadsheet: text(s.spreadsheet),
      tab: text(s.tab),
      headerRow: String(headerRow),
      keyColumn: text(s.keyColumn),
    };
    const { type: _type, accountId: _a, spreadsheet: _s, tab: _t, headerRow: _h, keyColumn: _k, firstDataRow, ...rest } = s;
    // The server fills firstDataRow in (the row after the header); kept only when it was chosen, so a new header row moves it too.
    d.sourceExtra = { ...rest, ...(typeof firstDataRow === 'number' && firstDataRow !== headerRow + 1 && { firstDataRow }) };
  }
  d.action = c.action;
  d.accountId = c.accountId;
  for (const [key, template] of Object.entries(c.mapping)) {
    if (key.startsWith(METADATA)) d.metadata.push(metadataRow(key.slice(METADATA.length), template));
    else d.mapping[key] = template;
  }
  d.name = c.name;
  d.nameEdited = true;
  d.startFrom = c.startFrom;
  d.suggested = true;
  return d;
}

const present = (key: string, value: string) => (value.trim() === '' ? {} : { [key]: value.trim() });

/**
 * The source settings as the API takes them. `forColumns` leaves out what does not change the
 * columns (the key column), so that choosing a key column does not read the source again.
 */
export function sourceOf(d: Draft, o: { forColumns?: boolean } = {}): { type: string } & Record<string, unknown> {
  const keyColumn = (value: string) => (o.forColumns ? {} : present('keyColumn', value));
  switch (d.sourceType) {
    case 'csv': {
      const where =
        d.csv.origin === 'upload'
          ? { content: d.csv.content }
          : d.csv.origin === 'url'
            ? { url: d.csv.url.trim() }
            : { path: d.csv.path.trim() };
      return { type: 'csv', ...where, ...keyColumn(d.csv.keyColumn), ...(d.csv.delimiter && { delimiter: d.csv.delimiter }) };
    }
    case 'webhook':
      return { type: 'webhook', ...present('thankYouUrl', d.webhook.thankYouUrl) };
    case 'google_sheets': {
      const headerRow = Number(d.sheets.headerRow);
      return {
        ...(o.forColumns ? {} : d.sourceExtra),
        type: 'google_sheets',
        ...present('accountId', d.sheets.accountId),
        spreadsheet: d.sheets.spreadsheet.trim(),
        // A published link names its tab already; the server refuses a tab beside it.
        ...(d.sheets.accountId && present('tab', d.sheets.tab)),
        ...(d.sheets.headerRow.trim() !== '' && { headerRow: Number.isInteger(headerRow) ? headerRow : d.sheets.headerRow }),
        ...keyColumn(d.sheets.keyColumn),
      };
    }
    default:
      return { type: d.sourceType };
  }
}

/** What still stops the source step from being done, as a wizard catalog key under `source.missing`. */
export function missingSourceSetting(
  d: Draft,
): 'type' | 'file' | 'url' | 'path' | 'thankYouUrl' | 'spreadsheet' | 'tab' | 'headerRow' | undefined {
  if (!d.sourceType) return 'type';
  if (d.sourceType === 'csv') {
    if (d.csv.origin === 'upload' && d.csv.content === '') return 'file';
    // A URL half typed is not read (nor sent): the field says what is wrong with it.
    if (d.csv.origin === 'url' && !isHttpUrl(d.csv.url)) return 'url';
    if (d.csv.origin === 'path' && d.csv.path.trim() === '') return 'path';
  }
  if (d.sourceType === 'webhook' && d.webhook.thankYouUrl.trim() !== '' && !isHttpUrl(d.webhook.thankYouUrl)) return 'thankYouUrl';
  if (d.sourceType === 'google_sheets') {
    if (d.sheets.spreadsheet.trim() === '') return 'spreadsheet';
    if (d.sheets.accountId && d.sheets.tab.trim() === '') return 'tab';
    const header = Number(d.sheets.headerRow);
    if (!Number.isInteger(header) || header < 1) return 'headerRow';
  }
  return undefined;
}

/** The mapping as saved: the action's fields with a template, then metadata rows with a key. */
export function mappingOf(d: Draft, fields: readonly FieldSpec[]): Record<string, string> {
  const mapping: Record<string, string> = {};
  for (const f of fields) {
    const template = d.mapping[f.key];
    if (f.type !== 'metadata' && template !== undefined && template.trim() !== '') mapping[f.key] = template;
  }
  if (fields.some((f) => f.type === 'metadata')) {
    for (const row of d.metadata) if (row.key.trim() !== '') mapping[`${METADATA}${row.key.trim()}`] = row.template;
  }
  return mapping;
}

export type Action = Catalog['actions'][number];

/** The body of POST /api/connections (a new connection starts switched off, with no schedule) or PATCH (the rest is kept). */
export function bodyOf(d: Draft, action: Action, isNew: boolean): Record<string, unknown> {
  const body = { name: d.name.trim(), source: sourceOf(d), action: d.action, accountId: d.accountId, mapping: mappingOf(d, action.fields) };
  return isNew ? { ...body, startFrom: d.startFrom, enabled: false, schedule: { kind: 'off' } } : body;
}

/** Whether the draft holds changes the saved connection does not have yet (edited, then moved on through the stepper without saving). */
export function hasUnsavedChanges(d: Draft, saved: Connection, catalog: Catalog): boolean {
  const action = catalog.actions.find((a) => a.key === d.action);
  if (!action) return true;
  const before = draftOf(saved);
  return JSON.stringify(bodyOf(d, action, false)) !== JSON.stringify(bodyOf({ ...before, name: saved.name }, action, false));
}
