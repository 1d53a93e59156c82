import * as crypto from 'node:crypto';

/**
 * The digest of a row's values by position: the same for the same values in the same columns,
 * whatever the columns are called, so renaming a header changes no row's hash. Cells are trimmed
 * and trailing empty cells dropped (the Sheets API leaves them out, a CSV export writes them), then
 * encoded as a JSON array, which no value can run into the next, and hashed with sha256;
 * the first 22 base64url characters (132 bits) are kept.
 *
 * Anything that changes what is hashed (the trimming, the encoding) re-keys every row of every
 * connection without a key column, and so sends them again: never change it.
 */
export function rowHash(cells: readonly string[]): string {
  const values = cells.map((cell) => cell.trim());
  while (values.length > 0 && values[values.length - 1] === '') values.pop();
  const text = JSON.stringify(values);
  const digest =
    typeof crypto.hash === 'function' ? crypto.hash('sha256', text, 'buffer') : crypto.createHash('sha256').update(text).digest();
  return digest.toString('base64url').slice(0, 22);
}
