import { RowIdentity } from '../core/row-identity.js';
import type { CellWrite, WriteBackValue } from '../sources/index.js';
import type { ConnectionRecord } from '../store/connections.js';
import { getSnapshot } from '../store/snapshots.js';
import { dueWriteBacks, markWriteBacks } from '../store/rows.js';
import type { Engine } from './context.js';
import { openPullSource } from './source-context.js';

/** What a sent row writes back into its source, from the object it made. */
export function writeBackValues(columns: Record<string, WriteBackValue>, stripeId: string, object: unknown): Record<string, string> {
  const o = (typeof object === 'object' && object !== null ? object : {}) as Record<string, unknown>;
  const pick: Record<WriteBackValue, unknown> = {
    stripeId,
    invoiceNumber: o.object === 'invoice' ? o.number : undefined,
    invoiceStatus: o.object === 'invoice' ? o.status : undefined,
    invoiceUrl: o.object === 'invoice' ? o.hosted_invoice_url : undefined,
  };
  const values: Record<string, string> = {};
  for (const [column, what] of Object.entries(columns)) {
    const value = pick[what];
    if (typeof value === 'string' && value !== '') values[column] = value;
  }
  return values;
}

/**
 * Where the rows with these keys are in the source now. Rows move (sorting, inserts, deletes), so a
 * row is found by its key, never by the position it had when it was read: the source is read
 * again and keyed the same way intake keys it.
 */
async function locate(engine: Engine, connection: ConnectionRecord, keys: ReadonlySet<string>): Promise<Map<string, number>> {
  const opened = await openPullSource(engine, connection);
  const found = new Map<string, number>();
  if (!opened) return found;
  const { rows } = await opened.source.open(opened.settings, opened.ctx);
  const identity = new RowIdentity((await getSnapshot(engine.db, connection.id))?.entries);
  const waiting: number[] = [];
  for await (const row of rows) {
    const key = row.key || (row.hash !== undefined ? identity.next(row.hash, row.cells) : undefined);
    if (key === undefined && row.hash !== undefined && row.line !== undefined) waiting.push(row.line);
    else if (key && keys.has(key) && row.line !== undefined) found.set(key, row.line);
  }
  identity.finish().forEach((key, i) => {
    const line = waiting[i];
    if (keys.has(key) && line !== undefined) found.set(key, line);
  });
  return found;
}

/**
 * Writes the Stripe ids (and invoice numbers, statuses, links) of sent rows into their source
 * rows, in one batch. It never sends anything to Stripe: a failure leaves the rows' write-back
 * `failed` with the reason, and the next run tries again. Returns the problems, for the run's warnings.
 */
export async function writeBack(engine: Engine, connection: ConnectionRecord): Promise<string[]> {
  const opened = await openPullSource(engine, connection);
  if (!opened?.source.write) return [];
  const due = await dueWriteBacks(engine.db, connection.id, 10_000);
  if (due.length === 0) return [];
  const mark = (ids: string[], status: 'done' | 'failed', error: string | null) => markWriteBacks(engine.db, ids, status, error);
  try {
    const lines = await locate(engine, connection, new Set(due.map((r) => r.row_key)));
    const cells: CellWrite[] = [];
    const written: string[] = [];
    const gone: string[] = [];
    for (const row of due) {
      const line = lines.get(row.row_key);
      if (line === undefined) {
        gone.push(row.id);
        continue;
      }
      for (const [column, value] of Object.entries(JSON.parse(row.write_back ?? '{}') as Record<string, string>))
        cells.push({ line, column, value });
      written.push(row.id);
    }
    if (cells.length > 0) await opened.source.write(opened.settings, opened.ctx, cells);
    await mark(written, 'done', null);
    await mark(gone, 'failed', 'the row is no longer in the source, so its Stripe id could not be written back');
    return gone.length ? [`write-back: ${gone.length} sent row(s) are no longer in the source`] : [];
  } catch (error) {
    const reason = `write-back failed: ${(error as Error).message}`;
    await mark(
      due.map((r) => r.id),
      'failed',
      reason,
    );
    engine.log.warn({ connectionId: connection.id, err: (error as Error).message }, 'write-back failed');
    return [`${reason}; it is tried again on the next run`];
  }
}
