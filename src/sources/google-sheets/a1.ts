/**
 * A1 notation, as the Sheets API reads it: column letters, and tab titles quoted for a range.
 */

/** The letters of a 0-based column index: 0 → A, 25 → Z, 26 → AA, 701 → ZZ, 702 → AAA. */
export function columnLetter(index: number): string {
  if (!Number.isInteger(index) || index < 0) throw new RangeError(`column index must be a whole number ≥ 0, not ${index}`);
  let letters = '';
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26)) letters = String.fromCharCode(65 + ((n - 1) % 26)) + letters;
  return letters;
}

/** The 0-based column index of column letters (case-insensitive), or undefined when they are not letters. */
export function columnIndex(letters: string): number | undefined {
  if (!/^[A-Za-z]{1,7}$/.test(letters)) return undefined;
  let n = 0;
  for (const c of letters.toUpperCase()) n = n * 26 + (c.charCodeAt(0) - 64);
  return n - 1;
}

/**
 * A tab title as the first part of a range: always quoted, with `'` doubled. Quoting is not
 * optional: a title with a space, a `!` or an apostrophe, or one that looks like a cell (`A1`) or a
 * named range, reads another range when left bare.
 */
export function quoteTab(title: string): string {
  return `'${title.replaceAll("'", "''")}'`;
}

/** `'Tab'!A5:F9`: columns 0…lastColumn of rows fromRow…toRow (1-based, inclusive). */
export function rowsRange(tab: string, fromRow: number, toRow: number, lastColumn: number): string {
  return `${quoteTab(tab)}!A${fromRow}:${columnLetter(lastColumn)}${toRow}`;
}

/** `'Tab'!C5`: one cell (row 1-based, column 0-based). */
export function cellRange(tab: string, row: number, column: number): string {
  return `${quoteTab(tab)}!${columnLetter(column)}${row}`;
}
