import type { GridWindow } from './a1-range.js';
import { renderCell, type Cell, type CellValue, type CellWrite, type ValueRenderOption } from './cells.js';
import type { SheetState } from './store.js';

/** Operations on one tab's cells. Pure: they change the tab they are given and touch nothing else. */
export type Dimension = 'ROWS' | 'COLUMNS';
export type SortOrder = 'ASCENDING' | 'DESCENDING';

export interface SortSpec {
  dimensionIndex: number;
  sortOrder: SortOrder;
}

/** Inclusive bounds of the non-empty cells. */
export interface DataBounds {
  firstRow: number;
  lastRow: number;
  firstColumn: number;
  lastColumn: number;
}

export function cellAt(sheet: SheetState, row: number, column: number): Cell | undefined {
  return sheet.rows[row]?.[column];
}

function setCell(sheet: SheetState, row: number, column: number, cell: Cell | undefined): void {
  let cells = sheet.rows[row];
  if (cells === undefined) {
    if (cell === undefined) return;
    cells = [];
    sheet.rows[row] = cells;
  }
  cells[column] = cell;
}

/**
 * The window's values as values.get returns them (majorDimension ROWS or COLUMNS): trailing empty
 * cells of each row and trailing empty rows are left out, an empty row in the middle is `[]` and an
 * empty cell in the middle is "".
 */
export function readWindow(sheet: SheetState, w: GridWindow, render: ValueRenderOption, major: Dimension): CellValue[][] {
  const bounds = dataBounds(sheet, w);
  if (bounds === undefined) return [];
  const lines: CellValue[][] = [];
  const [outerEnd, innerEnd] = major === 'ROWS' ? [bounds.lastRow, bounds.lastColumn] : [bounds.lastColumn, bounds.lastRow];
  const [outerStart, innerStart] = major === 'ROWS' ? [w.startRow, w.startColumn] : [w.startColumn, w.startRow];
  for (let i = outerStart; i <= outerEnd; i++) {
    const line: CellValue[] = [];
    let last = -1;
    for (let j = innerStart; j <= innerEnd; j++) {
      const cell = major === 'ROWS' ? cellAt(sheet, i, j) : cellAt(sheet, j, i);
      line.push(cell === undefined ? '' : renderCell(cell, render));
      if (cell !== undefined) last = line.length - 1;
    }
    line.length = last + 1;
    lines.push(line);
  }
  return lines;
}

/** Where the non-empty cells inside `w` are; undefined when there are none. */
export function dataBounds(sheet: SheetState, w: GridWindow): DataBounds | undefined {
  let bounds: DataBounds | undefined;
  const endRow = Math.min(w.endRow, sheet.rows.length);
  for (let r = w.startRow; r < endRow; r++) {
    const cells = sheet.rows[r];
    if (cells === undefined) continue;
    const endColumn = Math.min(w.endColumn, cells.length);
    for (let c = w.startColumn; c < endColumn; c++) {
      if (cells[c] === undefined) continue;
      if (bounds === undefined) bounds = { firstRow: r, lastRow: r, firstColumn: c, lastColumn: c };
      bounds.lastRow = r;
      bounds.firstColumn = Math.min(bounds.firstColumn, c);
      bounds.lastColumn = Math.max(bounds.lastColumn, c);
    }
  }
  return bounds;
}

export function usedBounds(sheet: SheetState): DataBounds | undefined {
  return dataBounds(sheet, { startRow: 0, endRow: sheet.rowCount, startColumn: 0, endColumn: sheet.columnCount });
}

/** Grows the tab to at least `rows` × `columns`, as Google does when a write runs past its edge. */
export function ensureSize(sheet: SheetState, rows: number, columns: number): void {
  sheet.rowCount = Math.max(sheet.rowCount, rows);
  sheet.columnCount = Math.max(sheet.columnCount, columns);
}

/** Applies a block of writes whose top-left is (row, column), growing the tab to fit. */
export function writeBlock(sheet: SheetState, row: number, column: number, writes: readonly (readonly CellWrite[])[]): void {
  const width = writes.reduce((max, line) => Math.max(max, line.length), 0);
  ensureSize(sheet, row + writes.length, column + width);
  writes.forEach((line, i) =>
    line.forEach((write, j) => {
      if (write.kind === 'set') setCell(sheet, row + i, column + j, write.cell);
      else if (write.kind === 'clear') setCell(sheet, row + i, column + j, undefined);
    }),
  );
}

export function clearWindow(sheet: SheetState, w: GridWindow): void {
  const endRow = Math.min(w.endRow, sheet.rows.length);
  for (let r = w.startRow; r < endRow; r++) {
    const cells = sheet.rows[r];
    if (cells === undefined) continue;
    cells.fill(undefined, w.startColumn, Math.min(w.endColumn, cells.length));
  }
}

/** Opens `count` empty slots at `start`, shifting what follows; beyond the end there is nothing to shift. */
function insertSlots<T>(items: (T | undefined)[], start: number, count: number): void {
  if (start >= items.length) return;
  const length = items.length;
  // copyWithin rather than splice(...spread): a spread of a million rows would overflow the stack.
  // Only slots that held something before need clearing; the rest of the new length is holes.
  items.length = length + count;
  items.copyWithin(start + count, start, length);
  items.fill(undefined, start, Math.min(start + count, length));
}

export function insertDimension(sheet: SheetState, dimension: Dimension, start: number, count: number): void {
  if (dimension === 'ROWS') {
    insertSlots(sheet.rows, start, count);
    sheet.rowCount += count;
    return;
  }
  for (const cells of sheet.rows) if (cells !== undefined) insertSlots(cells, start, count);
  sheet.columnCount += count;
}

export function deleteDimension(sheet: SheetState, dimension: Dimension, start: number, end: number): void {
  if (dimension === 'ROWS') {
    if (start < sheet.rows.length) sheet.rows.splice(start, end - start);
    sheet.rowCount -= end - start;
    return;
  }
  for (const cells of sheet.rows) if (cells !== undefined && start < cells.length) cells.splice(start, end - start);
  sheet.columnCount -= end - start;
}

/**
 * Sorts the rows of a window by the given columns (absolute indexes), moving only the cells inside
 * the window, as sortRange does. Like Sheets: numbers before text before booleans, text compared
 * without regard to case, empty cells last whatever the order, and ties keep their order.
 */
export function sortRows(sheet: SheetState, w: GridWindow, specs: readonly SortSpec[]): void {
  const endRow = Math.min(w.endRow, sheet.rows.length);
  const endColumn = Math.min(
    w.endColumn,
    sheet.rows.reduce((max, cells) => Math.max(max, cells?.length ?? 0), 0),
  );
  if (endRow <= w.startRow || endColumn <= w.startColumn) return;
  const segments: (Cell | undefined)[][] = [];
  for (let r = w.startRow; r < endRow; r++) {
    const segment: (Cell | undefined)[] = [];
    for (let c = w.startColumn; c < endColumn; c++) segment.push(cellAt(sheet, r, c));
    segments.push(segment);
  }
  segments.sort((a, b) => compareSegments(a, b, specs, w.startColumn));
  segments.forEach((segment, i) => segment.forEach((cell, j) => setCell(sheet, w.startRow + i, w.startColumn + j, cell)));
}

function compareSegments(a: (Cell | undefined)[], b: (Cell | undefined)[], specs: readonly SortSpec[], offset: number): number {
  for (const spec of specs) {
    const x = a[spec.dimensionIndex - offset];
    const y = b[spec.dimensionIndex - offset];
    if (x === undefined && y === undefined) continue;
    if (x === undefined) return 1;
    if (y === undefined) return -1;
    const d = compareValues(x.value, y.value);
    if (d !== 0) return spec.sortOrder === 'DESCENDING' ? -d : d;
  }
  return 0;
}

const typeRank = (v: CellValue): number => (typeof v === 'number' ? 0 : typeof v === 'string' ? 1 : 2);

export function compareValues(x: CellValue, y: CellValue): number {
  const rank = typeRank(x) - typeRank(y);
  if (rank !== 0) return rank;
  if (typeof x === 'number' && typeof y === 'number') return x - y;
  if (typeof x === 'string' && typeof y === 'string') return x.localeCompare(y, 'en', { sensitivity: 'base' });
  return Number(x) - Number(y);
}

export function cellCount(sheets: readonly SheetState[]): number {
  return sheets.reduce((sum, s) => sum + s.rowCount * s.columnCount, 0);
}
