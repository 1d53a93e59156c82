import type { Db } from './db.js';
import { nowIso } from './ids.js';

/**
 * Deleting a connection in two steps, so that no step holds the database for long (issue 13,
 * point 5): better-sqlite3 is synchronous, so one statement deleting two million rows stops the
 * whole process (API, hook posts) for as long as it takes, and on Postgres it holds its locks as
 * long. See NOTES.md ("Deleting a connection").
 *
 * 1. `tombstoneConnection`: one short update. The connection is deleted for every reader at once
 *    (queries filter `deleted_at is null`), switched off, unscheduled and its hook token cleared.
 * 2. `purgeConnection`: its rows (their run rows cascade), runs, groups and snapshot go in batches
 *    of a few thousand, each its own short transaction, the connection's own record last. It can
 *    stop anywhere (the process is killed) and resume: each batch deletes what is left.
 */

export type TombstoneResult = 'deleted' | 'missing' | 'busy';

/**
 * Marks a live connection deleted, unless it has a run queued or running (checked in the same
 * statement, so a run queued meanwhile cannot slip between check and delete on either database).
 */
export async function tombstoneConnection(db: Db, id: string, now = new Date()): Promise<TombstoneResult> {
  const r = await db
    .updateTable('connections')
    .set({ deleted_at: nowIso(now), enabled: 0, next_run_at: null, hook_token: null, purge_until: null, updated_at: nowIso(now) })
    .where('id', '=', id)
    .where('deleted_at', 'is', null)
    .where((eb) =>
      eb.not(
        eb.exists(
          eb.selectFrom('runs').select('runs.id').where('runs.connection_id', '=', id).where('runs.status', 'in', ['queued', 'running']),
        ),
      ),
    )
    .executeTakeFirst();
  if (Number(r.numUpdatedRows) === 1) return 'deleted';
  const live = await db.selectFrom('connections').select('id').where('id', '=', id).where('deleted_at', 'is', null).executeTakeFirst();
  return live ? 'busy' : 'missing';
}

/**
 * Claims one deleted connection to purge: one whose purge nobody holds, or whose holder's lease ran
 * out (its process died part way). A conditional update, as run claims are (store/runs.ts): with
 * several processes on one Postgres, one purges a connection at a time.
 */
export async function claimPurge(db: Db, leaseMs: number, now = new Date()): Promise<{ id: string; until: string } | undefined> {
  const nowText = nowIso(now);
  const candidates = await db
    .selectFrom('connections')
    .select(['id', 'purge_until'])
    .where('deleted_at', 'is not', null)
    .where((eb) => eb.or([eb('purge_until', 'is', null), eb('purge_until', '<', nowText)]))
    .orderBy('deleted_at')
    .limit(5)
    .execute();
  for (const c of candidates) {
    const until = nowIso(new Date(now.getTime() + leaseMs));
    const r = await db
      .updateTable('connections')
      .set({ purge_until: until })
      .where('id', '=', c.id)
      .where('deleted_at', 'is not', null)
      .where((eb) => (c.purge_until === null ? eb('purge_until', 'is', null) : eb('purge_until', '=', c.purge_until)))
      .executeTakeFirst();
    if (Number(r.numUpdatedRows) === 1) return { id: c.id, until };
  }
  return undefined;
}

/** Extends a purge's claim from `held` (the lease this process set); false when another process has taken it over. */
async function renewPurge(db: Db, id: string, held: string, until: string): Promise<boolean> {
  const r = await db
    .updateTable('connections')
    .set({ purge_until: until })
    .where('id', '=', id)
    .where('purge_until', '=', held)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export interface PurgeOptions {
  /** Rows deleted by one statement (each its own transaction). (Default: 2000) */
  batch?: number;
  /** How long the claim holds without renewal; renewed after every batch. (Default: 60 s) */
  leaseMs?: number;
  /**
   * Called between batches: the caller yields to the event loop there (engine/purger.ts), so
   * that requests wait at most one batch. Returns false to stop (shutdown); the purge resumes later.
   */
  pause?: () => Promise<boolean>;
}

/**
 * Purges a deleted connection claimed with claimPurge, batch by batch, the connection's record
 * last. Returns true when it is gone; false when it stopped first (told to pause, or its claim was
 * taken over), leaving the rest to the next claim. Each batch deletes rows by id from a subquery
 * with a limit, which both databases run as one short statement; two processes running the same
 * batch at once would only find fewer rows to delete, never fail.
 */
export async function purgeConnection(db: Db, claim: { id: string; until: string }, o: PurgeOptions = {}): Promise<boolean> {
  const batch = o.batch ?? 2000;
  const leaseMs = o.leaseMs ?? 60_000;
  const { id } = claim;
  let held = claim.until;
  const next = async (): Promise<boolean> => {
    if (o.pause && !(await o.pause())) return false;
    const until = nowIso(new Date(Date.now() + leaseMs));
    if (!(await renewPurge(db, id, held, until))) return false;
    held = until;
    return true;
  };
  // Rows first: their run rows go with them (run_rows.row_id cascades, served by run_rows_by_row).
  // Then runs (a webhook connection may have one per post), then groups; the snapshot and the
  // connection are one row each.
  const steps: (() => Promise<bigint | number>)[] = [
    async () =>
      (
        await db
          .deleteFrom('rows')
          .where('id', 'in', (eb) => eb.selectFrom('rows').select('id').where('connection_id', '=', id).orderBy('id').limit(batch))
          .executeTakeFirst()
      ).numDeletedRows,
    async () =>
      (
        await db
          .deleteFrom('runs')
          .where('id', 'in', (eb) => eb.selectFrom('runs').select('id').where('connection_id', '=', id).orderBy('id').limit(batch))
          .executeTakeFirst()
      ).numDeletedRows,
    async () =>
      (
        await db
          .deleteFrom('invoice_groups')
          .where('id', 'in', (eb) =>
            eb.selectFrom('invoice_groups').select('id').where('connection_id', '=', id).orderBy('id').limit(batch),
          )
          .executeTakeFirst()
      ).numDeletedRows,
  ];
  for (const step of steps) {
    for (;;) {
      const deleted = Number(await step());
      if (deleted < batch) break;
      if (!(await next())) return false;
    }
    if (!(await next())) return false;
  }
  // Whatever arrived after its batch was done (a hook post that found the connection just before
  // it was deleted) cascades with the connection: a handful of rows at most.
  await db.transaction().execute(async (trx) => {
    await trx.deleteFrom('source_snapshots').where('connection_id', '=', id).execute();
    await trx.deleteFrom('connections').where('id', '=', id).where('deleted_at', 'is not', null).execute();
  });
  return true;
}

/** How many deleted connections wait to be purged (or are being purged) that use this account. */
export async function deletedConnectionsUsingAccount(db: Db, accountId: string): Promise<number> {
  const r = await db
    .selectFrom('connections')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('deleted_at', 'is not', null)
    .where((eb) => eb.or([eb('account_id', '=', accountId), eb('source_account_id', '=', accountId)]))
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

/** Which of these connection ids are deleted and not yet purged. */
export async function deletedConnectionIds(db: Db, ids: readonly string[]): Promise<Set<string>> {
  const found = new Set<string>();
  // Chunks keep each statement under SQLite's bound-parameter limit.
  for (let i = 0; i < ids.length; i += 500) {
    const rows = await db
      .selectFrom('connections')
      .select('id')
      .where('deleted_at', 'is not', null)
      .where('id', 'in', ids.slice(i, i + 500))
      .execute();
    for (const r of rows) found.add(r.id);
  }
  return found;
}
