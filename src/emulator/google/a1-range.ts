/**
 * A1 notation: `Sheet1`, `Sheet1!A1:D`, `'My Tab'!A2:Z1000`, `A1:B2` (the first tab), `B:B`, `2:5`.
 * Indexes here are 0-based and ends exclusive, like Google's GridRange; an absent bound is open
 * (the range runs to the tab's edge). R1C1 notation and named ranges are not supported.
 */
export interface A1Range {
  /** The tab's title as written (unquoted); absent means the first tab. */
  sheet?: string;
  startRow?: number;
  endRow?: number;
  startColumn?: number;
  endColumn?: number;
}

/** A range with every bound known: what a range means on one tab. */
export interface GridWindow {
  startRow: number;
  endRow: number;
  startColumn: number;
  endColumn: number;
}

/** Google's limits: 18,278 columns (ZZZ) and 10 million cells, so never more rows than that. */
export const MAX_COLUMNS = 18_278;
export const MAX_ROWS = 10_000_000;

interface Ref {
  column?: number;
  row?: number;
}

const REF = /^([A-Za-z]{0,3})(\d*)$/;

function parseRef(text: string): Ref | undefined {
  const match = REF.exec(text);
  if (match === null || text === '') return undefined;
  const letters = match[1] ?? '';
  const digits = match[2] ?? '';
  const ref: Ref = {};
  if (letters !== '') {
    ref.column = columnIndex(letters);
    if (ref.column >= MAX_COLUMNS) return undefined;
  }
  if (digits !== '') {
    const row = Number(digits);
    if (row < 1 || row > MAX_ROWS) return undefined;
    ref.row = row - 1;
  }
  return ref;
}

/** The cell part alone (`A1`, `A1:B2`, `A2:Z`, `B:D`, `A:B5`, `3:7`); undefined when it is not one. */
export function parseCells(text: string): Omit<A1Range, 'sheet'> | undefined {
  const parts = text.split(':');
  if (parts.length > 2) return undefined;
  const from = parseRef(parts[0] ?? '');
  if (from === undefined) return undefined;
  if (parts.length === 1) {
    // A lone reference must be a whole cell: `A` or `7` alone is a tab title, not a range.
    if (from.column === undefined || from.row === undefined) return undefined;
    return { startRow: from.row, endRow: from.row + 1, startColumn: from.column, endColumn: from.column + 1 };
  }
  const to = parseRef(parts[1] ?? '');
  if (to === undefined) return undefined;
  if (from.column === undefined) {
    // `2:5`: whole rows.
    if (from.row === undefined || to.row === undefined || to.column !== undefined) return undefined;
    return { ...span('Row', from.row, to.row) };
  }
  if (to.column === undefined) return undefined;
  const columns = span('Column', from.column, to.column);
  if (from.row !== undefined) {
    // `A2:Z` runs from row 2 to the bottom of the tab; `A2:Z9` is a box.
    return to.row === undefined ? { startRow: from.row, ...columns } : { ...span('Row', from.row, to.row), ...columns };
  }
  // `B:D` is whole columns; `A:B5` runs from the top of the tab down to row 5.
  return to.row === undefined ? columns : { startRow: 0, endRow: to.row + 1, ...columns };
}

/** Google accepts the corners in any order (`B5:A1` is `A1:B5`). */
function span(axis: 'Row' | 'Column', a: number, b: number): Partial<A1Range> {
  return { [`start${axis}`]: Math.min(a, b), [`end${axis}`]: Math.max(a, b) + 1 };
}

/**
 * Parses a whole A1 range. Without `!`, text that reads as cells (`A1:B2`) is a range on the first
 * tab and anything else is a tab title — so a tab named like a cell (`AB12`) must be quoted, as
 * in Google. Returns undefined when Google would answer "Unable to parse range".
 */
export function parseA1(text: string): A1Range | undefined {
  if (text === '') return undefined;
  if (text.startsWith("'")) {
    const quoted = readQuoted(text);
    if (quoted === undefined || quoted.title === '') return undefined;
    const rest = text.slice(quoted.length);
    if (rest === '') return { sheet: quoted.title };
    if (!rest.startsWith('!')) return undefined;
    const cells = parseCells(rest.slice(1));
    return cells === undefined ? undefined : { sheet: quoted.title, ...cells };
  }
  const bang = text.indexOf('!');
  if (bang === -1) {
    if (text.includes("'")) return undefined;
    return parseCells(text) ?? { sheet: text };
  }
  const title = text.slice(0, bang);
  if (title === '' || title.includes("'")) return undefined;
  const cells = parseCells(text.slice(bang + 1));
  return cells === undefined ? undefined : { sheet: title, ...cells };
}

/** `'It''s'` → title `It's`, length 7 (the characters consumed). */
function readQuoted(text: string): { title: string; length: number } | undefined {
  let title = '';
  for (let i = 1; i < text.length; i++) {
    const c = text[i];
    if (c !== "'") {
      title += c;
      continue;
    }
    if (text[i + 1] === "'") {
      title += "'";
      i++;
      continue;
    }
    return { title, length: i + 1 };
  }
  return undefined;
}

/** 0 → A, 25 → Z, 26 → AA. */
export function columnLetters(index: number): string {
  let n = index + 1;
  let letters = '';
  while (n > 0) {
    const rem = (n - 1) % 26;
    letters = String.fromCharCode(65 + rem) + letters;
    n = Math.floor((n - 1) / 26);
  }
  return letters;
}

/** A → 0, Z → 25, AA → 26 (case-insensitive). */
export function columnIndex(letters: string): number {
  let n = 0;
  for (const c of letters.toUpperCase()) n = n * 26 + (c.charCodeAt(0) - 64);
  return n - 1;
}

/**
 * Google quotes a tab title in the ranges it returns unless it is a plain word that cannot be read
 * as a cell or R1C1 reference: `Sheet1!A1`, but `'My Tab'!A1` and `'AB12'!A1`.
 */
export function quoteTitle(title: string): string {
  const plain = /^[A-Za-z_][A-Za-z0-9_]*$/.test(title) && !/^[A-Za-z]{1,3}\d+$/.test(title) && !/^[Rr]\d*[Cc]\d*$/.test(title);
  return plain ? title : `'${title.replaceAll("'", "''")}'`;
}

/** `A1:D5`, or `B2` for one cell. */
export function formatCells(w: GridWindow): string {
  const start = `${columnLetters(w.startColumn)}${w.startRow + 1}`;
  const end = `${columnLetters(w.endColumn - 1)}${w.endRow}`;
  return start === end ? start : `${start}:${end}`;
}

/** `Sheet1!A1:D5`, `'My Tab'!B2`. */
export function formatA1(title: string, w: GridWindow): string {
  return `${quoteTitle(title)}!${formatCells(w)}`;
}

/** The range on a tab of `rowCount` × `columnCount`: open bounds run to the tab's edge. */
export function windowOf(range: Omit<A1Range, 'sheet'>, rowCount: number, columnCount: number): GridWindow {
  return {
    startRow: range.startRow ?? 0,
    endRow: range.endRow ?? rowCount,
    startColumn: range.startColumn ?? 0,
    endColumn: range.endColumn ?? columnCount,
  };
}

/** True when the range names one cell (`A1`): writes may then run past it, as an anchor. */
export function isSingleCell(range: Omit<A1Range, 'sheet'>): boolean {
  return range.endRow === (range.startRow ?? -2) + 1 && range.endColumn === (range.startColumn ?? -2) + 1;
}
