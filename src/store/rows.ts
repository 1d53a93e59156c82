import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type { Selectable, Transaction } from 'kysely';
import type { SourceRow } from '../sources/source-row.js';
import type { Db } from './db.js';
import { newId, nowIso } from './ids.js';
import type { Database, RowStatus, RowTable } from './schema.js';

export type RowRecord = Selectable<RowTable>;
/** The store or a transaction in it. */
type DbOrTrx = Pick<Db, 'selectFrom' | 'updateTable'>;

/**
 * Records rows read from a source in the ledger, in one transaction per call, before anything is
 * sent (invariant 2). A row the ledger has not seen is inserted with `status`. A row it has seen is
 * left alone once sent or skipped — that is what makes a re-run send nothing new. A pending or
 * failed row whose data changed takes the new data (with a new idempotency key version) and becomes
 * pending again, so that fixing a bad cell in the source sends the row on the next run. Its stored
 * progress holds only writes that happened, which stay done.
 * Returns how many rows were new.
 */
export async function intakeRows(
  db: Db,
  connectionId: string,
  rows: readonly SourceRow[],
  status: 'pending' | 'skipped' = 'pending',
  readId?: string,
): Promise<number> {
  if (rows.length === 0) return 0;
  return db.transaction().execute((trx) => intakeRowsIn(trx, connectionId, rows, status, readId));
}

/**
 * intakeRows inside a transaction the caller holds (a webhook row commits with its queued run).
 * A row key given twice in one call counts once, as first given (the engine already drops later
 * duplicates with a warning): Postgres refuses an upsert that would touch one row twice.
 * `readId` (a pull source's read: the run reading) is stamped on every row taken in that is pending
 * or failed, changed or not (RowTable.read_id): a run sends only the pending rows its read holds.
 */
export async function intakeRowsIn(
  trx: Transaction<Database>,
  connectionId: string,
  rows: readonly SourceRow[],
  status: 'pending' | 'skipped' = 'pending',
  readId?: string,
): Promise<number> {
  const now = nowIso();
  const firsts = new Map<string, SourceRow>();
  for (const r of rows) if (!firsts.has(r.key)) firsts.set(r.key, r);
  const unique = [...firsts.values()];
  let added = 0;
  // Chunks keep each statement under SQLite's bound-parameter limit.
  for (let i = 0; i < unique.length; i += 200) {
    const values = unique.slice(i, i + 200).map((r) => ({
      id: newId('row'),
      connection_id: connectionId,
      row_key: r.key,
      data: JSON.stringify(r.fields),
      status: r.error && status === 'pending' ? ('failed' as const) : status,
      error: r.error ?? (status === 'skipped' ? 'present when the connection was created (startFrom: "new")' : null),
      line: r.line ?? null,
      created_at: now,
      updated_at: now,
      stripe_id: null,
      progress: null,
      last_run_id: null,
      sent_at: null,
      ambiguous_since: null,
      read_id: readId ?? null,
    }));
    // First the rows the ledger has not seen: RETURNING names exactly those inserted, so the count
    // of new rows holds even when another process takes in the same keys at the same moment (on
    // Postgres the second insert waits for the first to commit, then skips the row).
    const inserted = await trx
      .insertInto('rows')
      .values(values)
      .onConflict((oc) => oc.columns(['connection_id', 'row_key']).doNothing())
      .returning('row_key')
      .execute();
    added += inserted.length;
    const insertedKeys = new Set(inserted.map((r) => r.row_key));
    const known = values.filter((v) => !insertedKeys.has(v.row_key));
    if (known.length === 0) continue;
    // Only a pending or failed row can change: those are looked up first (an indexed read), so
    // that re-reading a large source whose rows were all sent writes nothing at all. The upsert's
    // own condition below still decides, so a row that moved since is left as it is.
    const open = new Set(
      (
        await trx
          .selectFrom('rows')
          .select('row_key')
          .where('connection_id', '=', connectionId)
          .where(
            'row_key',
            'in',
            known.map((v) => v.row_key),
          )
          .where('status', 'in', ['pending', 'failed'])
          .execute()
      ).map((r) => r.row_key),
    );
    const seen = known.filter((v) => open.has(v.row_key));
    if (seen.length === 0) continue;
    // Then the rows it has seen: only a pending or failed row changes. One whose data changed takes
    // the new data (and becomes pending or failed as read); every one takes the read's stamp.
    await trx
      .insertInto('rows')
      .values(seen)
      .onConflict((oc) =>
        oc
          .columns(['connection_id', 'row_key'])
          .doUpdateSet((eb) => {
            const changed = () => eb('rows.data', '!=', eb.ref('excluded.data'));
            return {
              data: eb.ref('excluded.data'),
              line: eb.ref('excluded.line'),
              status: eb.case().when(changed()).then(eb.ref('excluded.status')).else(eb.ref('rows.status')).end(),
              error: eb.case().when(changed()).then(eb.ref('excluded.error')).else(eb.ref('rows.error')).end(),
              // New data, new attempt: the old key would be refused by Stripe for other parameters.
              key_version: eb
                .case()
                .when(changed())
                .then(eb('rows.key_version', '+', 1))
                .else(eb.ref('rows.key_version'))
                .end(),
              // The new key was never sent: nothing about it can be ambiguous yet.
              ambiguous_since: eb.case().when(changed()).then(null).else(eb.ref('rows.ambiguous_since')).end(),
              read_id: eb.ref('excluded.read_id'),
              updated_at: eb.case().when(changed()).then(now).else(eb.ref('rows.updated_at')).end(),
            };
          })
          .where((eb) =>
            eb.and([
              eb('rows.status', 'in', ['pending', 'failed']),
              eb.or([
                eb('rows.data', '!=', eb.ref('excluded.data')),
                eb.and([eb('excluded.read_id', 'is not', null), eb('rows.read_id', 'is distinct from', eb.ref('excluded.read_id'))]),
              ]),
            ]),
          ),
      )
      .execute();
  }
  return added;
}

/**
 * The next pending rows of a connection after `afterId`, linked to the run. Walking by id (ids sort
 * by arrival) means a run sees each row once per pass and also picks up rows that arrive while it
 * runs (webhook posts). With `readId` (a pull source's run), only the rows stamped with it: those
 * its read holds, or its replay reset (RowTable.read_id).
 */
export async function claimPendingRows(
  db: Db,
  connectionId: string,
  runId: string,
  afterId: string,
  limit: number,
  readId?: string,
): Promise<RowRecord[]> {
  return db.transaction().execute(async (trx) => {
    const rows = await trx
      .selectFrom('rows')
      .selectAll()
      .where('connection_id', '=', connectionId)
      .where('status', '=', 'pending')
      .$if(readId !== undefined, (q) => q.where('read_id', '=', readId ?? ''))
      .where('id', '>', afterId)
      .orderBy('id')
      .limit(limit)
      .execute();
    await insertRunRows(
      trx,
      runId,
      rows.map((r) => r.id),
    );
    return rows;
  });
}

/**
 * How many pending rows of a connection a run with this read leaves out: rows an earlier read left
 * pending that the source no longer has.
 */
export async function countLeftOut(db: Db, connectionId: string, readId: string): Promise<number> {
  const r = await db
    .selectFrom('rows')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('connection_id', '=', connectionId)
    .where('status', '=', 'pending')
    .where((eb) => eb.or([eb('read_id', 'is', null), eb('read_id', '!=', readId)]))
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

/**
 * Every pending row of a connection, oldest first, without linking them to a run: a grouped action
 * (invoices from rows) must see a group's rows together before it decides to send any of them —
 * a group still waiting stays out of the run. With `readId`, only those stamped with it (as claimPendingRows).
 */
export async function pendingRows(db: Db, connectionId: string, readId?: string): Promise<RowRecord[]> {
  return db
    .selectFrom('rows')
    .selectAll()
    .where('connection_id', '=', connectionId)
    .where('status', '=', 'pending')
    .$if(readId !== undefined, (q) => q.where('read_id', '=', readId ?? ''))
    .orderBy('id')
    .execute();
}

/** The failed rows of a connection (a grouped action waits while one of a group's rows is failed). */
export async function failedRows(db: Db, connectionId: string): Promise<RowRecord[]> {
  return db.selectFrom('rows').selectAll().where('connection_id', '=', connectionId).where('status', '=', 'failed').orderBy('id').execute();
}

/** Links rows to a run (its run rows, pending), as claimPendingRows does for the rows it claims. */
export async function linkRowsToRun(db: Db, runId: string, rowIds: readonly string[]): Promise<void> {
  await insertRunRows(db, runId, rowIds);
}

async function insertRunRows(db: Pick<Db, 'insertInto'>, runId: string, rowIds: readonly string[]): Promise<void> {
  const now = nowIso();
  // Chunks keep each statement under SQLite's bound-parameter limit.
  for (let i = 0; i < rowIds.length; i += 200) {
    await db
      .insertInto('run_rows')
      .values(
        rowIds.slice(i, i + 200).map((id) => ({
          run_id: runId,
          row_id: id,
          status: 'pending' as const,
          stripe_id: null,
          error: null,
          note: null,
          updated_at: now,
        })),
      )
      .onConflict((oc) => oc.columns(['run_id', 'row_id']).doNothing())
      .execute();
  }
}

/** The rows of a group (RowTable.group_key) with this status, oldest first: the sent ones are the lines on its invoice. */
export async function rowsOfGroup(db: Db, connectionId: string, groupKey: string, status: RowStatus): Promise<RowRecord[]> {
  return db
    .selectFrom('rows')
    .selectAll()
    .where('connection_id', '=', connectionId)
    .where('group_key', '=', groupKey)
    .where('status', '=', status)
    .orderBy('id')
    .execute();
}

/** Sets the cells to write back into these rows' source rows (a group's invoice changed: its number, status, link). */
export async function setWriteBack(db: Db, rowIds: readonly string[], values: Record<string, string>): Promise<void> {
  if (rowIds.length === 0 || Object.keys(values).length === 0) return;
  for (let i = 0; i < rowIds.length; i += 200) {
    await db
      .updateTable('rows')
      .set({ write_back: JSON.stringify(values), write_back_status: 'pending', write_back_error: null, updated_at: nowIso() })
      .where('id', 'in', rowIds.slice(i, i + 200))
      .execute();
  }
}

export async function getRow(db: Db, id: string): Promise<RowRecord | undefined> {
  return db.selectFrom('rows').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Saves the results of the steps a row has done, before the next step starts. */
export async function saveRowProgress(db: Db, rowId: string, progress: Record<string, unknown>): Promise<void> {
  await db
    .updateTable('rows')
    .set({ progress: JSON.stringify(progress), updated_at: nowIso() })
    .where('id', '=', rowId)
    .execute();
}

export interface RowOutcome {
  rowId: string;
  runId: string;
  status: Exclude<RowStatus, 'pending'> | 'pending';
  stripeId?: string | null;
  error?: string | null;
  /** A definite refusal: the next attempt gets a new idempotency key (see RowTable.key_version). */
  newKey?: boolean;
  /** Cells to write back into the source row, for a sent row of a source that takes them. */
  writeBack?: Record<string, string>;
  /**
   * RowTable.ambiguous_since: a time records an ambiguous create whose key was kept (an earlier
   * time already recorded stays: Stripe's 24 hours run from the first request); null clears it.
   * Cleared anyway when the row is sent or gets a new key. (Default: left as it is)
   */
  ambiguousSince?: string | null;
  /** What the row did besides create (ActionResult.note), kept on the run row. */
  note?: string;
  /** For a grouped action: the invoice key of the row's group (RowTable.group_key). */
  groupKey?: string;
}

/** Records what happened to a row, in the ledger and in the run's own list, atomically. */
export async function recordRowOutcome(db: Db, o: RowOutcome): Promise<void> {
  const now = nowIso();
  await db.transaction().execute(async (trx) => {
    await trx
      .updateTable('rows')
      .set((eb) => ({
        status: o.status,
        stripe_id: o.stripeId ?? null,
        error: o.error ?? null,
        last_run_id: o.runId,
        updated_at: now,
        attempts: eb('attempts', '+', 1),
        ...(o.status === 'sent' && { sent_at: now }),
        ...(o.newKey && { key_version: eb('key_version', '+', 1) }),
        ...(o.status === 'sent' || o.newKey || o.ambiguousSince === null
          ? { ambiguous_since: null }
          : o.ambiguousSince !== undefined && { ambiguous_since: eb.fn.coalesce('ambiguous_since', eb.val(o.ambiguousSince)) }),
        ...(o.writeBack &&
          Object.keys(o.writeBack).length > 0 && { write_back: JSON.stringify(o.writeBack), write_back_status: 'pending' as const }),
        ...(o.groupKey !== undefined && { group_key: o.groupKey }),
      }))
      .where('id', '=', o.rowId)
      .execute();
    await trx
      .updateTable('run_rows')
      .set({ status: o.status, stripe_id: o.stripeId ?? null, error: o.error ?? null, note: o.note ?? null, updated_at: now })
      .where('run_id', '=', o.runId)
      .where('row_id', '=', o.rowId)
      .execute();
  });
}

/**
 * Makes a run's failed rows pending again (replay): all of them, or those with the given row keys,
 * stamped with the replaying run's id (`readId`, RowTable.read_id) so that run sends them.
 * Only a row that failed in this run and is failed still moves: a row sent since (by a later run)
 * stays sent, so a replay never sends a row twice. In batches of `batch` rows, each its own
 * statement with a turn of the event loop between them: a run with hundreds of thousands of failed
 * rows does not hold the database (or, on SQLite, the process) while they move. Returns how many
 * rows moved.
 */
export async function resetFailedRows(
  db: DbOrTrx,
  runId: string,
  o: { rowKeys?: readonly string[]; readId: string; batch?: number },
): Promise<number> {
  const set = { status: 'pending' as const, error: null, read_id: o.readId, updated_at: nowIso() };
  if (o.rowKeys) {
    // Named rows (at most a thousand, checked by the caller): found by key through the run's rows.
    let moved = 0;
    for (let i = 0; i < o.rowKeys.length; i += 500) {
      const ids = (
        await db
          .selectFrom('run_rows')
          .innerJoin('rows', 'rows.id', 'run_rows.row_id')
          .select('rows.id')
          .where('run_rows.run_id', '=', runId)
          .where('run_rows.status', '=', 'failed')
          .where('rows.row_key', 'in', o.rowKeys.slice(i, i + 500))
          .execute()
      ).map((r) => r.id);
      if (ids.length === 0) continue;
      const r = await db.updateTable('rows').set(set).where('status', '=', 'failed').where('id', 'in', ids).executeTakeFirst();
      moved += Number(r.numUpdatedRows);
    }
    return moved;
  }
  const batch = o.batch ?? 2000;
  let moved = 0;
  let after = '';
  for (;;) {
    // Walk the run's failed run rows by row id (the run_rows primary key), a batch at a time.
    const ids = (
      await db
        .selectFrom('run_rows')
        .select('row_id')
        .where('run_id', '=', runId)
        .where('status', '=', 'failed')
        .where('row_id', '>', after)
        .orderBy('row_id')
        .limit(batch)
        .execute()
    ).map((r) => r.row_id);
    if (ids.length === 0) break;
    after = ids[ids.length - 1]!;
    const r = await db.updateTable('rows').set(set).where('status', '=', 'failed').where('id', 'in', ids).executeTakeFirst();
    moved += Number(r.numUpdatedRows);
    if (ids.length < batch) break;
    await yieldToEventLoop();
  }
  return moved;
}

/** What became of these rows of a run: their status in the run, and in the ledger now (a later run may have sent them). */
export async function runRowStates(db: DbOrTrx, runId: string, rowKeys: readonly string[]) {
  if (rowKeys.length === 0) return [];
  return db
    .selectFrom('run_rows')
    .innerJoin('rows', 'rows.id', 'run_rows.row_id')
    .select(['rows.row_key', 'run_rows.status as runStatus', 'rows.status', 'rows.stripe_id'])
    .where('run_rows.run_id', '=', runId)
    .where('rows.row_key', 'in', [...rowKeys])
    .execute();
}

export async function countRows(db: Db, connectionId: string): Promise<Record<RowStatus, number>> {
  const rows = await db
    .selectFrom('rows')
    .select(['status', (eb) => eb.fn.countAll<number>().as('n')])
    .where('connection_id', '=', connectionId)
    .groupBy('status')
    .execute();
  return tallyByStatus(rows);
}

/** Counts by row status from a GROUP BY status query, every status present. */
export function tallyByStatus(groups: readonly { status: RowStatus; n: number | string | bigint }[]): Record<RowStatus, number> {
  const counts: Record<RowStatus, number> = { pending: 0, sent: 0, failed: 0, skipped: 0 };
  for (const g of groups) counts[g.status] = Number(g.n);
  return counts;
}

export async function listRows(
  db: Db,
  connectionId: string,
  o: { status?: RowStatus; limit: number; offset: number },
): Promise<RowRecord[]> {
  let q = db.selectFrom('rows').selectAll().where('connection_id', '=', connectionId);
  if (o.status) q = q.where('status', '=', o.status);
  return q.orderBy('id').limit(o.limit).offset(o.offset).execute();
}

/** The most recent rows a connection received (for previews of push sources). */
export async function latestRows(db: Db, connectionId: string, limit: number): Promise<RowRecord[]> {
  return db.selectFrom('rows').selectAll().where('connection_id', '=', connectionId).orderBy('id', 'desc').limit(limit).execute();
}

/** What the ledger says of these rows (for the preview: rows already sent are not sent again). */
export async function ledgerStates(db: Db, connectionId: string, keys: readonly string[]) {
  if (keys.length === 0) return [];
  return db
    .selectFrom('rows')
    .select(['row_key', 'status', 'stripe_id'])
    .where('connection_id', '=', connectionId)
    .where('row_key', 'in', [...keys])
    .execute();
}

/** Sent rows whose cells are still to be written back into the source (or failed to be). */
export async function dueWriteBacks(db: Db, connectionId: string, limit: number) {
  return db
    .selectFrom('rows')
    .select(['id', 'row_key', 'write_back'])
    .where('connection_id', '=', connectionId)
    .where('write_back_status', 'in', ['pending', 'failed'])
    .orderBy('id')
    .limit(limit)
    .execute();
}

export async function markWriteBacks(db: Db, ids: readonly string[], status: 'done' | 'failed', error: string | null): Promise<void> {
  for (let i = 0; i < ids.length; i += 500) {
    await db
      .updateTable('rows')
      .set({ write_back_status: status, write_back_error: error, updated_at: nowIso() })
      .where('id', 'in', ids.slice(i, i + 500))
      .execute();
  }
}
