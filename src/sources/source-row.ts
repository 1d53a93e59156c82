/**
 * One row read from a source. `key` is the row's stable identity within its connection: it must not
 * change when other rows are inserted, deleted or reordered (a key column, or a content hash — never
 * a row index). `error` is set when the row could not be read as a row (wrong number of columns,
 * empty key): the engine records it as a failed row and goes on with the others.
 */
export interface SourceRow {
  key: string;
  fields: Record<string, string>;
  /** 1-based line (CSV) or position where the row starts, for messages. */
  line?: number;
  error?: string;
}
