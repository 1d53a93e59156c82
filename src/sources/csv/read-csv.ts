import { createReadStream } from 'node:fs';
import { Readable, pipeline, type TransformCallback } from 'node:stream';
import { Parser } from 'csv-parse';
import { quote } from '../../core/field-error.js';
import { findField } from '../../core/template.js';
import type { OutboundConfig } from '../../config.js';
import { DEFAULT_OUTBOUND, fetchOutbound, safeUrl, sizeText, type FetchLike, type Resolve } from '../outbound/guarded-fetch.js';
import type { SourceRow } from '../source-row.js';
import { DigestCounter, contentDigest, digestRowKey, numberedRowKey } from './row-key.js';
import { ImportPathRefused, openImportFile, type ImportFolder } from './import-folder.js';
import type { CsvSettings } from './settings.js';

export { safeUrl } from '../outbound/guarded-fetch.js';

export interface ReadCsvOptions {
  /**
   * How `url` is fetched (guarded-fetch.ts): the engine's SLUICE_FETCH_* and
   * SLUICE_ALLOW_PRIVATE_URLS settings. (Default: DEFAULT_OUTBOUND — public addresses only)
   */
  outbound?: Partial<OutboundConfig> | undefined;
  /** Test seam: fetches `url` instead of the guarded undici fetch (see OutboundFetchOptions.fetch). */
  fetch?: FetchLike | undefined;
  /** Test seam: resolves host names for the guarded fetch (see OutboundFetchOptions.resolve). */
  resolve?: Resolve | undefined;
  /**
   * The largest file read, in bytes; a larger one ends the read with an error. (Default: 200 MiB
   * for a path or content; for a URL `outbound.maxBytes`, and the smaller of the two when both are given)
   */
  maxBytes?: number;
  /** Stops the read: the generator throws the signal's reason. */
  signal?: AbortSignal;
  /** The only folder `path` is read from (SLUICE_IMPORT_DIR); without it a `path` is not read at all. */
  importFolder?: ImportFolder;
}

const MiB = 1024 * 1024;
const DEFAULT_MAX_BYTES = 200 * MiB;
/**
 * The longest row, in characters. Mostly a guard against a quote that is never closed, which
 * would otherwise read the rest of a large file into one value.
 */
const MAX_ROW_CHARS = 16 * MiB;
/** How much of the file the delimiter guess may look at when the header line is very long. */
const MAX_HEADER_BYTES = MiB;
/**
 * Reads and parses go in pieces of 16 KiB. csv-parse turns a whole piece into rows before any is
 * consumed; with 64 KiB pieces enough of those rows outlive V8's young generation that a
 * 100,000-row read grows RSS by 50–60 MB, with 16 KiB pieces by about 30 MB (measured on Node 20;
 * see the memory test). The rows kept alive are the same either way: this is about garbage.
 */
const READ_BYTES = 16 * 1024;
const PARSE_BYTES = 16 * 1024;

/**
 * Reads a CSV source as rows, streaming: memory stays flat however long the file is (only the keys
 * seen so far are kept, to number identical rows and catch repeated key values).
 *
 * - The first non-empty line is the header and names the fields (see `columnNames`).
 * - BOM, CRLF, quoted delimiters and line breaks, and `""` escapes are handled; a stray quote
 *   inside an unquoted value (`5" screen`) is kept as text.
 * - The delimiter, when not set, is guessed from the header line.
 * - Lines with no value at all (`` or `,,,`) are skipped.
 * - A row with more values than the header has columns is a row error (trailing empty values, as
 *   left by some exports, do not count); a row with fewer is padded with "".
 * - Each row's key follows row-key.ts.
 *
 * Configuration and file problems (missing file, HTTP error, unreadable CSV such as a quote that is
 * never closed) end the read with a thrown Error whose message names the file and the line.
 */
export function readCsv(settings: CsvSettings, opts: ReadCsvOptions = {}): AsyncGenerator<SourceRow> {
  return readRows(settings, opts, () => {});
}

/**
 * The columns and the rows, as a run reads them: the header is read before this returns, so that a
 * mapping naming a column the file does not have stops the run before any row is taken in (as for
 * a sheet), instead of failing every row. An empty file has no columns (undefined): there is
 * nothing to check against. Problems reading the file throw here or from the rows, as in readCsv.
 */
export async function openCsv(
  settings: CsvSettings,
  opts: ReadCsvOptions = {},
): Promise<{ columns?: string[]; rows: AsyncGenerator<SourceRow> }> {
  let columns: string[] = [];
  const all = readRows(settings, opts, (c) => (columns = c));
  const first = await all.next();
  async function* rest(): AsyncGenerator<SourceRow> {
    if (first.done === true) return;
    yield first.value;
    yield* all;
  }
  const rows = rest();
  // A reader that stops early, or never starts (the mapping check failed), closes the file or the
  // response: `return` on a generator that never started would not reach `all` by itself.
  const close = rows.return.bind(rows);
  rows.return = async (value) => {
    await all.return(undefined);
    return close(value);
  };
  return { ...(columns.length > 0 && { columns }), rows };
}

/**
 * The columns and the first `limit` rows, for a preview. Stops reading (and closes the file or the
 * HTTP response) once it has them.
 */
export async function readCsvSample(
  settings: CsvSettings,
  opts: ReadCsvOptions & { limit: number },
): Promise<{ columns: string[]; rows: SourceRow[] }> {
  let columns: string[] = [];
  const rows: SourceRow[] = [];
  // The columns are known before the first row arrives, so even a limit of 0 reads no further.
  for await (const row of readRows(settings, opts, (c) => (columns = c))) {
    if (rows.length >= opts.limit) break;
    rows.push(row);
    if (rows.length >= opts.limit) break;
  }
  return { columns, rows };
}

interface ParsedRecord {
  cells: string[];
  /** 1-based line where the record starts. */
  line: number;
}

/** The rows; `onColumns` hears the column names once the header is read ([] for an empty file). */
async function* readRows(settings: CsvSettings, opts: ReadCsvOptions, onColumns: (columns: string[]) => void): AsyncGenerator<SourceRow> {
  const source = describeSource(settings);
  const maxBytes =
    settings.url !== undefined
      ? Math.min(opts.maxBytes ?? Infinity, opts.outbound?.maxBytes ?? DEFAULT_OUTBOUND.maxBytes)
      : (opts.maxBytes ?? DEFAULT_MAX_BYTES);
  opts.signal?.throwIfAborted();
  const bytes = limitBytes(openBytes(settings, opts, source, maxBytes), maxBytes, source);
  const { delimiter, chunks } = await chooseDelimiter(bytes, settings.delimiter);

  const parser = new LineNumberingParser(delimiter);
  // pipeline, not pipe: an error in the source (too large, connection reset) must reach the
  // parser, and a consumer that stops early must close the source.
  const batches = pipeline(Readable.from(chunks), parser, () => {}) as AsyncIterable<ParsedRecord[]>;

  let rows: RowBuilder | undefined;
  try {
    for await (const batch of batches) {
      for (const { cells, line } of batch) {
        opts.signal?.throwIfAborted();
        if (cells.every((cell) => cell.trim() === '')) continue;
        if (rows === undefined) {
          const columns = columnNames(cells);
          rows = new RowBuilder(columns, resolveKeyColumn(columns, settings.keyColumn));
          onColumns(columns);
          continue;
        }
        yield rows.build(cells, line);
      }
    }
  } catch (error) {
    throw describeParseError(error, source, parser.nextLine);
  } finally {
    parser.destroy();
  }
  if (rows === undefined) onColumns([]);
}

/**
 * Field names from the header cells: trimmed; an empty one becomes `Column 3` (its 1-based
 * position); a repeated one gets ` (2)`, ` (3)`… in order, so that every column keeps its values
 * (a record cannot hold two fields of one name, and dropping one would lose data silently).
 */
export function columnNames(cells: string[]): string[] {
  const used = new Set<string>();
  return cells.map((cell, i) => {
    const base = cell.trim() === '' ? `Column ${i + 1}` : cell.trim();
    let name = base;
    for (let n = 2; used.has(name); n++) name = `${base} (${n})`;
    used.add(name);
    return name;
  });
}

/** The key column's name as it appears in the header (matched like a template field name). */
function resolveKeyColumn(columns: string[], keyColumn: string | undefined): string | undefined {
  if (keyColumn === undefined) return undefined;
  const found = findField(Object.fromEntries(columns.map((c) => [c, c])), keyColumn);
  if (found === undefined) {
    throw new Error(`keyColumn ${quote(keyColumn)} is not a column; columns are: ${columns.join(', ')}`);
  }
  return found;
}

/** Turns cells into rows with keys, remembering what the file has used so far (see row-key.ts). */
class RowBuilder {
  private readonly contentKeysSeen = new DigestCounter();
  private readonly keysSeen = new Map<string, number>();

  constructor(
    private readonly columns: string[],
    private readonly keyColumn: string | undefined,
  ) {}

  build(cells: string[], line: number): SourceRow {
    let values = cells.length;
    while (values > this.columns.length && cells[values - 1]?.trim() === '') values--;
    const fields = toFields(this.columns, cells);
    const shape =
      values > this.columns.length ? tooManyValues(cells.slice(this.columns.length, values), line, this.columns.length) : undefined;

    if (this.keyColumn === undefined) return row(this.contentKey(fields), fields, line, shape);
    const key = (fields[this.keyColumn] ?? '').trim();
    if (key === '') {
      const empty = `line ${line} has no value in the key column ${quote(this.keyColumn)}`;
      return row(this.contentKey(fields), fields, line, shape ?? empty);
    }
    const first = this.keysSeen.get(key);
    if (first !== undefined) {
      // The later row cannot take the key (the ledger would take it for the first row), so it is
      // recorded under its content key and fails until the file is fixed.
      return row(this.contentKey(fields), fields, line, `duplicate key ${quote(key)} (first on line ${first})`);
    }
    this.keysSeen.set(key, line);
    return row(key, fields, line, shape);
  }

  private contentKey(fields: Record<string, string>): string {
    const digest = contentDigest(fields);
    return numberedRowKey(digestRowKey(digest), this.contentKeysSeen.count(digest));
  }
}

/** A row with more values than the header has columns: which values are extra, and the usual cause. */
function tooManyValues(extra: string[], line: number, columns: number): string {
  const shown = extra.slice(0, 3).map((v) => quote(v, 40));
  return (
    `line ${line} has ${columns + extra.length} values but the header has ${columns} columns ` +
    `(extra: ${shown.join(', ')}${extra.length > 3 ? ', …' : ''}); put a value that holds the delimiter between double quotes`
  );
}

/** Cells by column name, as own properties (a column may be called `__proto__`). */
function toFields(columns: string[], cells: string[]): Record<string, string> {
  const fields: Record<string, string> = {};
  for (let i = 0; i < columns.length; i++) {
    const name = columns[i] ?? '';
    const value = cells[i] ?? '';
    if (name === '__proto__') Object.defineProperty(fields, name, { value, enumerable: true, writable: true, configurable: true });
    else fields[name] = value;
  }
  return fields;
}

function row(key: string, fields: Record<string, string>, line: number, error: string | undefined): SourceRow {
  return error === undefined ? { key, fields, line } : { key, fields, line, error };
}

/**
 * csv-parse's stream, giving records in batches (one per chunk of input, so that a large file
 * costs a few promises per chunk rather than per row), each record with the line it starts on.
 *
 * Lines are counted as csv-parse pushes records, inside the parser, so the count also covers
 * records that an error later discards (the error message needs the line of the failing record).
 * A record spans one line plus the line breaks inside its quoted values, which csv-parse keeps
 * verbatim. (csv-parse's `info.lines` counts a CRLF inside quotes twice, and its `raw` and
 * `on_record` options build objects per record that triple the garbage made by a large file.)
 */
class LineNumberingParser extends Parser {
  /** The line where the next record starts. */
  nextLine = 1;
  private batch: ParsedRecord[] = [];

  constructor(delimiter: string) {
    super({
      bom: true,
      delimiter,
      relax_column_count: true,
      relax_quotes: true,
      // Any line break ends a record, not only the kind the file starts with: files that were
      // appended to by another program mix them.
      record_delimiter: ['\r\n', '\n', '\r'],
      max_record_size: MAX_ROW_CHARS,
    });
  }

  override push(chunk: unknown, encoding?: BufferEncoding): boolean {
    if (!Array.isArray(chunk)) {
      this.pushBatch();
      return super.push(chunk, encoding);
    }
    const cells = chunk as string[];
    const line = this.nextLine;
    this.nextLine += 1;
    for (const cell of cells) {
      if (cell.includes('\n') || cell.includes('\r')) this.nextLine += cell.match(/\r\n|\r|\n/g)?.length ?? 0;
    }
    this.batch.push({ cells, line });
    return true;
  }

  override _transform(chunk: Buffer, encoding: BufferEncoding, callback: TransformCallback): void {
    super._transform(chunk, encoding, (error, data) => {
      this.pushBatch();
      callback(error, data);
    });
  }

  override _flush(callback: TransformCallback): void {
    super._flush((error, data) => {
      this.pushBatch();
      callback(error, data);
    });
  }

  private pushBatch(): void {
    if (this.batch.length === 0) return;
    const batch = this.batch;
    this.batch = [];
    super.push(batch);
  }
}

/**
 * The delimiter: the one set, or the one of `,` `;` tab `|` found most often outside quotes in the
 * header line (ties go in that order; none found means `,`). Reads just enough of the file to see
 * the header line, and gives back the chunks it read.
 */
async function chooseDelimiter(
  bytes: AsyncGenerator<Uint8Array>,
  given: CsvSettings['delimiter'],
): Promise<{ delimiter: string; chunks: AsyncIterable<Uint8Array> }> {
  if (given !== undefined) return { delimiter: given, chunks: bytes };
  const head: Uint8Array[] = [];
  const decoder = new TextDecoder();
  let text = '';
  let size = 0;
  while (size < MAX_HEADER_BYTES && firstLineEnd(withoutBlankLines(text)) === -1) {
    const next = await bytes.next();
    if (next.done === true) break;
    head.push(next.value);
    size += next.value.byteLength;
    text += decoder.decode(next.value, { stream: true });
  }
  const header = withoutBlankLines(text);
  const end = firstLineEnd(header);
  async function* chunks(): AsyncGenerator<Uint8Array> {
    yield* head;
    yield* bytes;
  }
  return { delimiter: guessDelimiter(end === -1 ? header : header.slice(0, end)), chunks: chunks() };
}

/** The text from its first line with any content (the header comes after blank lines, if any). */
function withoutBlankLines(text: string): string {
  return text.replace(/^(?:[ \t\uFEFF]*(?:\r\n|\r|\n))+/, '');
}

/** Index of the first line break outside quotes, or -1. */
function firstLineEnd(text: string): number {
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') quoted = !quoted;
    else if (!quoted && (c === '\n' || c === '\r')) return i;
  }
  return -1;
}

const CANDIDATES = [',', ';', '\t', '|'] as const;

export function guessDelimiter(headerLine: string): string {
  const counts = new Map<string, number>(CANDIDATES.map((c) => [c, 0]));
  let quoted = false;
  for (const c of headerLine) {
    if (c === '"') quoted = !quoted;
    else if (!quoted && counts.has(c)) counts.set(c, (counts.get(c) ?? 0) + 1);
  }
  let best: string = ',';
  let bestCount = 0;
  for (const c of CANDIDATES) {
    const n = counts.get(c) ?? 0;
    if (n > bestCount) [best, bestCount] = [c, n];
  }
  return best;
}

/** How a source is named in messages: never with URL credentials or query string. */
function describeSource(settings: CsvSettings): string {
  if (settings.path !== undefined) return `CSV file ${quote(settings.path)}`;
  if (settings.url !== undefined) return `CSV URL ${safeUrl(settings.url)}`;
  return 'CSV content';
}

function openBytes(settings: CsvSettings, opts: ReadCsvOptions, source: string, maxBytes: number): AsyncGenerator<Uint8Array> {
  if (settings.path !== undefined) return fileBytes(settings.path, source, maxBytes, opts);
  if (settings.url !== undefined) return urlBytes(settings.url, source, maxBytes, opts);
  return contentBytes(settings.content ?? '', source, maxBytes);
}

/**
 * A file of the import folder, checked on every read (not only when the connection was saved): a
 * connection saved before the rule, or a symlink changed since, must not read outside it.
 */
async function* fileBytes(path: string, source: string, maxBytes: number, opts: ReadCsvOptions): AsyncGenerator<Uint8Array> {
  if (opts.importFolder === undefined) throw new Error(`${source} cannot be read: no import folder is set to read files from`);
  let opened: Awaited<ReturnType<typeof openImportFile>>;
  try {
    opened = await openImportFile(opts.importFolder, path);
  } catch (error) {
    if (error instanceof ImportPathRefused) throw new Error(`${source} ${error.problem}`, { cause: error });
    if ((error as NodeJS.ErrnoException).code === 'ENOENT' || (error as NodeJS.ErrnoException).code === 'ENOTDIR')
      throw new Error(`${source} was not found in the import folder ${opts.importFolder.dir}`, { cause: error });
    throw fileError(error, source);
  }
  if (opened.size > maxBytes) {
    await opened.handle.close();
    throw tooLarge(source, maxBytes);
  }
  // The stream reads the handle that was checked, never the name again; it closes the handle.
  const stream = createReadStream('', {
    fd: opened.handle,
    highWaterMark: READ_BYTES,
    ...(opts.signal === undefined ? {} : { signal: opts.signal }),
  });
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) yield chunk;
  } catch (error) {
    throw fileError(error, source);
  } finally {
    stream.destroy();
  }
}

function fileError(error: unknown, source: string): Error {
  if (!(error instanceof Error) || isAbort(error)) return toError(error);
  switch ((error as NodeJS.ErrnoException).code) {
    case undefined:
      return error;
    case 'ENOENT':
      return new Error(`${source} was not found`, { cause: error });
    case 'EACCES':
    case 'EPERM':
      return new Error(`${source} cannot be read: permission denied`, { cause: error });
    case 'EISDIR':
      return new Error(`${source} is not a file`, { cause: error });
    default:
      return new Error(`${source} cannot be read: ${error.message}`, { cause: error });
  }
}

async function* urlBytes(url: string, source: string, maxBytes: number, opts: ReadCsvOptions): AsyncGenerator<Uint8Array> {
  const response = await fetchOutbound(url, {
    source,
    outbound: opts.outbound,
    maxBytes,
    accept: 'text/csv, text/plain;q=0.9, */*;q=0.1',
    signal: opts.signal,
    fetch: opts.fetch,
    resolve: opts.resolve,
  });
  if (!response.ok) {
    await response.cancel();
    throw new Error(`${source} answered HTTP ${response.status}${response.statusText === '' ? '' : ` ${response.statusText}`}`);
  }
  if ((response.headers.get('content-type') ?? '').toLowerCase().includes('text/html')) {
    await response.cancel();
    throw new Error(`${source} answered with an HTML page, not a CSV file; check that the address downloads the file itself`);
  }
  yield* response.body;
}

async function* contentBytes(content: string, source: string, maxBytes: number): AsyncGenerator<Uint8Array> {
  const bytes = Buffer.from(content, 'utf8');
  if (bytes.byteLength > maxBytes) throw tooLarge(source, maxBytes);
  yield bytes;
}

/**
 * Counts bytes as they pass, for sources whose size is not known in advance (or changes), and
 * cuts them into pieces of at most PARSE_BYTES.
 */
async function* limitBytes(bytes: AsyncGenerator<Uint8Array>, maxBytes: number, source: string): AsyncGenerator<Uint8Array> {
  let total = 0;
  for await (const chunk of bytes) {
    total += chunk.byteLength;
    if (total > maxBytes) throw tooLarge(source, maxBytes);
    for (let at = 0; at < chunk.byteLength; at += PARSE_BYTES) yield chunk.subarray(at, at + PARSE_BYTES);
  }
}

function tooLarge(source: string, maxBytes: number): Error {
  return new Error(`${source} is larger than ${sizeText(maxBytes)}, the most Sluice reads from one file`);
}

function describeParseError(error: unknown, source: string, line: number): Error {
  if (!(error instanceof Error) || isAbort(error)) return toError(error);
  const code = (error as { code?: unknown }).code;
  if (typeof code !== 'string' || !code.startsWith('CSV_')) return error;
  switch (code) {
    case 'CSV_QUOTE_NOT_CLOSED':
      return new Error(
        `${source}: the row starting on line ${line} has a quote that is never closed; end a quoted value with ", and write a quote inside one as ""`,
        { cause: error },
      );
    case 'CSV_MAX_RECORD_SIZE':
      return new Error(`${source}: the row starting on line ${line} is longer than ${MAX_ROW_CHARS} characters; is a quote never closed?`, {
        cause: error,
      });
    default:
      return new Error(`${source}: the row starting on line ${line} cannot be read (${error.message})`, { cause: error });
  }
}

function isAbort(error: unknown): boolean {
  return error instanceof Error && (error.name === 'AbortError' || error.name === 'TimeoutError');
}

function toError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
