/**
 * One row read from a source. `key` is the row's stable identity within its connection: it must not
 * change when other rows are inserted, deleted or reordered (a key column, or a content hash — never
 * a row index). `error` is set when the row could not be read as a row (wrong number of columns,
 * empty key): the engine records it as a failed row and goes on with the others.
 */
export interface SourceRow {
  /**
   * Empty when the source has no key for the row (a sheet without a key column): the engine then
   * assigns one from `hash` with its identity snapshot (core/row-identity.ts).
   */
  key: string;
  /** A digest of the row's values, for sources whose rows the engine keys (see `key`). */
  hash?: string;
  /** With `hash`: the row's cell fingerprint (core/row-identity.ts), which tells an edit from a replaced row. */
  cells?: string;
  fields: Record<string, string>;
  /** 1-based line (CSV) or row number (a sheet) where the row is now: for messages and write-back. */
  line?: number;
  error?: string;
}
