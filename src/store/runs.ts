import type { Selectable } from 'kysely';
import type { Db } from './db.js';
import { newId, nowIso } from './ids.js';
import { tallyByStatus } from './rows.js';
import { isUniqueViolation } from './unique-violation.js';
import type { RowStatus, RunStatus, RunTable, RunTrigger } from './schema.js';

export type RunRecord = Selectable<RunTable>;
type DbOrTrx = Pick<Db, 'selectFrom' | 'insertInto' | 'updateTable'>;

export async function createRun(
  db: DbOrTrx,
  connectionId: string,
  trigger: RunTrigger,
  status: RunStatus = 'queued',
  scheduledFor: string | null = null,
  /** The run's id when it must be known before the run exists (a replay stamps its rows with it first). */
  id = newId('run'),
): Promise<string> {
  await db
    .insertInto('runs')
    .values({
      id,
      connection_id: connectionId,
      trigger,
      status,
      error: null,
      warnings: null,
      created_at: nowIso(),
      scheduled_for: scheduledFor,
      started_at: null,
      finished_at: null,
      owner: null,
      lease_until: null,
    })
    .execute();
  return id;
}

/**
 * A queued run of the connection: one already waiting that does the same work, or a new one. Every
 * run sends all pending rows, so a webhook row joins any waiting run, and a burst of posts makes
 * one run, not one per post; a forced run joins only a waiting forced run (a retry run does not
 * read the source, so it would not do what was asked).
 */
export async function ensureQueuedRun(
  db: DbOrTrx,
  connectionId: string,
  trigger: RunTrigger,
  scheduledFor: string | null = null,
): Promise<string> {
  let waiting = db.selectFrom('runs').select('id').where('connection_id', '=', connectionId).where('status', '=', 'queued');
  if (trigger !== 'webhook') waiting = waiting.where('trigger', '=', trigger);
  const found = await waiting.executeTakeFirst();
  return found?.id ?? createRun(db, connectionId, trigger, 'queued', scheduledFor);
}

export async function getRun(db: Db, id: string): Promise<RunRecord | undefined> {
  return db.selectFrom('runs').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function listRuns(db: Db, connectionId: string, limit = 50): Promise<RunRecord[]> {
  return db.selectFrom('runs').selectAll().where('connection_id', '=', connectionId).orderBy('id', 'desc').limit(limit).execute();
}

export async function hasActiveRun(db: Db, connectionId: string): Promise<boolean> {
  const r = await db
    .selectFrom('runs')
    .select('id')
    .where('connection_id', '=', connectionId)
    .where('status', 'in', ['queued', 'running'])
    .executeTakeFirst();
  return r !== undefined;
}

/**
 * Claims the next run to work on: a running run whose owner's lease ran out (its process died:
 * resume it) before any queued one, oldest first. The claim is a conditional update, and the unique
 * index on running runs per connection refuses a second running run of the same connection, so
 * two workers — in one process or many — never take the same run or run one connection twice.
 */
export async function claimNextRun(db: Db, owner: string, leaseMs: number, now = new Date()): Promise<RunRecord | undefined> {
  const nowText = nowIso(now);
  const candidates = await db
    .selectFrom('runs')
    .selectAll()
    .where((eb) =>
      eb.or([
        eb.and([eb('status', '=', 'running'), eb('lease_until', '<', nowText)]),
        eb.and([
          eb('status', '=', 'queued'),
          eb.not(
            eb.exists(
              eb
                .selectFrom('runs as r2')
                .select('r2.id')
                .whereRef('r2.connection_id', '=', 'runs.connection_id')
                .where('r2.status', '=', 'running'),
            ),
          ),
        ]),
      ]),
    )
    .orderBy('status', 'desc') // 'running' before 'queued'
    .orderBy('id')
    .limit(5)
    .execute();
  for (const run of candidates) {
    const claimed = await tryClaim(db, run, owner, leaseMs, now);
    if (claimed) return claimed;
  }
  return undefined;
}

/** Claims one given run, if it is still queued (or orphaned) and its connection has no other run going. */
export async function claimRun(db: Db, runId: string, owner: string, leaseMs: number, now = new Date()): Promise<RunRecord | undefined> {
  const run = await getRun(db, runId);
  if (!run || (run.status !== 'queued' && !(run.status === 'running' && run.lease_until !== null && run.lease_until < nowIso(now))))
    return undefined;
  return tryClaim(db, run, owner, leaseMs, now);
}

/**
 * The claim itself: a conditional update that succeeds only if the run is still as it was read.
 * The unique index on running runs per connection refuses a second running run of a connection.
 */
async function tryClaim(db: Db, run: RunRecord, owner: string, leaseMs: number, now: Date): Promise<RunRecord | undefined> {
  const nowText = nowIso(now);
  const leaseUntil = nowIso(new Date(now.getTime() + leaseMs));
  try {
    const r = await db
      .updateTable('runs')
      .set({ status: 'running', owner, lease_until: leaseUntil, started_at: run.started_at ?? nowText })
      .where('id', '=', run.id)
      .where('status', '=', run.status)
      .where((eb) => (run.lease_until === null ? eb('lease_until', 'is', null) : eb('lease_until', '=', run.lease_until)))
      .executeTakeFirst();
    if (Number(r.numUpdatedRows) === 1) return { ...run, status: 'running', owner, lease_until: leaseUntil };
  } catch (error) {
    // Another run of the same connection started first (unique index): leave this one queued.
    if (!isUniqueViolation(error)) throw error;
  }
  return undefined;
}

/** Extends the claim; false when the run is no longer this owner's (it was taken over). */
export async function renewLease(db: Db, runId: string, owner: string, leaseMs: number): Promise<boolean> {
  const r = await db
    .updateTable('runs')
    .set({ lease_until: nowIso(new Date(Date.now() + leaseMs)) })
    .where('id', '=', runId)
    .where('owner', '=', owner)
    .where('status', '=', 'running')
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Ends the leases of runs owned by processes known to be gone, so they resume at once. */
export async function expireLeases(db: Db, owners: readonly string[]): Promise<void> {
  if (owners.length === 0) return;
  await db
    .updateTable('runs')
    .set({ lease_until: nowIso(new Date(0)) })
    .where('status', '=', 'running')
    .where('owner', 'in', owners)
    .execute();
}

export async function runningOwners(db: Db): Promise<string[]> {
  const rows = await db.selectFrom('runs').select('owner').distinct().where('status', '=', 'running').execute();
  return rows.map((r) => r.owner).filter((o): o is string => o !== null);
}

export async function runCounts(db: Db, runId: string): Promise<Record<RowStatus, number>> {
  const rows = await db
    .selectFrom('run_rows')
    .select(['status', (eb) => eb.fn.countAll<number>().as('n')])
    .where('run_id', '=', runId)
    .groupBy('status')
    .execute();
  return tallyByStatus(rows);
}

/** How many of a run's rows were done (sent, failed or skipped) from `since` to `until` (ISO): its recent pace. */
export async function rowsDoneBetween(db: Db, runId: string, since: string, until: string): Promise<number> {
  const r = await db
    .selectFrom('run_rows')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('run_id', '=', runId)
    .where('status', '!=', 'pending')
    .where('updated_at', '>=', since)
    .where('updated_at', '<=', until)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

export async function finishRun(
  db: Db,
  runId: string,
  owner: string,
  o: { status: RunStatus; error?: string | null; warnings?: string[]; counts: Record<RowStatus, number> },
): Promise<void> {
  await db
    .updateTable('runs')
    .set({
      status: o.status,
      error: o.error ?? null,
      warnings: o.warnings?.length ? JSON.stringify(o.warnings.slice(0, 100)) : null,
      sent: o.counts.sent,
      failed: o.counts.failed,
      skipped: o.counts.skipped,
      pending: o.counts.pending,
      finished_at: nowIso(),
      lease_until: null,
    })
    .where('id', '=', runId)
    .where('owner', '=', owner)
    .execute();
}

export async function runRows(db: Db, runId: string, o: { status?: RowStatus; limit: number; offset: number }) {
  let q = db
    .selectFrom('run_rows')
    .innerJoin('rows', 'rows.id', 'run_rows.row_id')
    .select([
      'rows.row_key',
      'rows.line',
      'run_rows.status',
      'run_rows.stripe_id',
      'run_rows.error',
      'run_rows.note',
      'run_rows.updated_at',
      'rows.status as current_status',
      'rows.group_key',
    ])
    .where('run_rows.run_id', '=', runId);
  if (o.status) q = q.where('run_rows.status', '=', o.status);
  return q.orderBy('run_rows.row_id').limit(o.limit).offset(o.offset).execute();
}

/** Ends a run that no worker owns (a baseline recorded while creating the connection). */
export async function finishRunDirect(db: Db, runId: string, o: { status: RunStatus; skipped: number }): Promise<void> {
  const now = nowIso();
  await db
    .updateTable('runs')
    .set({ status: o.status, skipped: o.skipped, started_at: now, finished_at: now })
    .where('id', '=', runId)
    .execute();
}

/** Gives a run back to the queue (the process is stopping); it resumes where it was. */
export async function releaseRun(db: Db, runId: string, owner: string): Promise<void> {
  await db
    .updateTable('runs')
    .set({ status: 'queued', owner: null, lease_until: null })
    .where('id', '=', runId)
    .where('owner', '=', owner)
    .execute();
}

/** A connection's most recent run, baselines aside. */
export async function latestRun(db: Db, connectionId: string): Promise<RunRecord | undefined> {
  return db
    .selectFrom('runs')
    .selectAll()
    .where('connection_id', '=', connectionId)
    .where('trigger', '!=', 'baseline')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
}
