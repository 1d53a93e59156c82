import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { looseName, templateFields } from '../core/template.js';
import { RowIdentity } from '../core/row-identity.js';
import type { SourceRow } from '../sources/source-row.js';
import type { ConnectionRecord } from '../store/connections.js';
import { intakeRows } from '../store/rows.js';
import { getSnapshot, saveSnapshot } from '../store/snapshots.js';
import type { Engine } from './context.js';
import type { ParsedMapping } from './mapping.js';
import { openPullSource } from './source-context.js';
import { StagedRead } from './staged-read.js';

/** A run lists at most this many rows it could not take in; the rest are counted. */
const MAX_WARNINGS = 99;
/**
 * Rows merged into the ledger a transaction: one statement of intakeRows (its chunk is 200 too),
 * tens of milliseconds, so that a request waits at most that long while a large read is merged.
 */
const BATCH = 200;

/**
 * The columns a mapping uses that the source no longer has. Checked before anything is taken in:
 * a renamed header must stop the run with a clear error, not fail (or, worse, re-key) every row.
 */
export function missingColumns(mapping: ParsedMapping, columns: readonly string[]): string[] {
  const have = new Set(columns.map(looseName));
  const used = [...mapping.values()].flatMap(templateFields);
  return [...new Set(used.filter((name) => !have.has(looseName(name))))];
}

/**
 * Reads a pull source into the ledger before anything is sent (invariant 2), all or nothing: the
 * rows are staged in a private file as they are read, and merged into the ledger in batches only
 * once the read has reached its end; a read that fails part way (cut off, too large, too slow, an
 * unreadable line) throws and leaves the ledger as it was. Rows the source has no key for (a sheet
 * without a key column) are keyed by the connection's identity snapshot, which follows rows through sorting, inserts, deletes and edits (core/row-identity.ts);
 * the snapshot is saved after the rows it keys. A key seen twice in one read is taken once (the
 * first row wins) and reported, like every row the source could not read. Returns the keys of the
 * rows read (none for a push source, which is not read).
 */
export async function intakeSource(
  engine: Engine,
  connection: ConnectionRecord,
  o: {
    mapping?: ParsedMapping;
    status?: 'pending' | 'skipped';
    signal?: AbortSignal;
    /** The run reading: its id is stamped on the pending and failed rows of the read (RowTable.read_id). */
    readId?: string;
  } = {},
): Promise<{ added: number; warnings: string[]; keys?: ReadonlySet<string> }> {
  const opened = await openPullSource(engine, connection, o.signal);
  if (!opened) return { added: 0, warnings: [] };
  const { columns, rows } = await opened.source.open(opened.settings, opened.ctx);
  const missing = columns && o.mapping ? missingColumns(o.mapping, columns) : [];
  if (missing.length > 0) {
    // The rows are never read: let the source close its file or response now.
    await (rows as Partial<AsyncGenerator<SourceRow>>).return?.(undefined);
    throw new Error(
      `the mapping uses ${missing.map((m) => JSON.stringify(m)).join(', ')}, which the source no longer has (was a column renamed?); ` +
        `columns are: ${columns?.join(', ')}. Update the mapping; nothing was taken in or sent`,
    );
  }

  const warnings: string[] = [];
  let unlisted = 0;
  const warn = (row: SourceRow, problem: string) => {
    if (warnings.length < MAX_WARNINGS) warnings.push(`${row.line ? `line ${row.line}: ` : ''}${problem}`);
    else unlisted++;
  };
  const previous = await getSnapshot(engine.db, connection.id);
  const identity = new RowIdentity(previous?.entries);
  let keyed = false;
  const seen = new Set<string>();
  const waiting: SourceRow[] = [];
  let added = 0;
  // The whole read goes to a private file first; only a read that reached its end is merged into
  // the ledger (NOTES.md, "A failed read changes nothing").
  const staged = await StagedRead.create(engine.stagingDir);
  try {
    const take = async (row: SourceRow) => {
      if (!row.key || seen.has(row.key)) {
        warn(row, `${row.error ?? `duplicate row key ${JSON.stringify(row.key)}`}; the row was not taken in`);
        return;
      }
      seen.add(row.key);
      if (row.error) warn(row, row.error);
      await staged.add(row);
    };

    for await (const row of rows) {
      if (row.key || row.hash === undefined) {
        await take(row);
        continue;
      }
      keyed = true;
      const key = identity.next(row.hash, row.cells);
      if (key === undefined) waiting.push(row);
      else await take({ ...row, key });
    }
    const late = identity.finish();
    for (const [i, row] of waiting.entries()) await take({ ...row, key: late[i] ?? '' });

    // The read is complete: merged in batches, each its own short transaction, with a turn of the
    // event loop between them, so that hook posts and the API are answered meanwhile.
    let batch: SourceRow[] = [];
    for await (const row of staged.rows()) {
      batch.push(row);
      if (batch.length < BATCH) continue;
      added += await intakeRows(engine.db, connection.id, batch, o.status, o.readId);
      batch = [];
      await yieldToEventLoop();
    }
    added += await intakeRows(engine.db, connection.id, batch, o.status, o.readId);
  } finally {
    await staged.discard();
  }
  if (keyed || previous) await saveSnapshot(engine.db, connection.id, { columns: columns ?? [], entries: identity.snapshot() });

  if (unlisted > 0) warnings.push(`and ${unlisted} more rows with problems`);
  return { added, warnings, keys: seen };
}
