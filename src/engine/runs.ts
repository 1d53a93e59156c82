import { z } from 'zod';
import { quote, type FieldError } from '../core/field-error.js';
import { dashboardUrl } from '../receivers/stripe/client.js';
import { getAccount } from '../store/accounts.js';
import { getConnection } from '../store/connections.js';
import { invoiceGroupsOfRun } from '../store/invoice-groups.js';
import { findAction } from '../receivers/stripe/actions/index.js';
import { resetFailedRows, runRowStates } from '../store/rows.js';
import * as store from '../store/runs.js';
import type { RowStatus } from '../store/schema.js';
import type { Engine } from './context.js';
import { requireConnection } from './connections.js';
import { newId } from '../store/ids.js';
import { ApiError } from './errors.js';
import { parseBody } from './parse-body.js';
import { averageRowsPerSecond, runPace } from './run-pace.js';

export interface RunView {
  id: string;
  connectionId: string;
  trigger: string;
  status: store.RunRecord['status'];
  counts: Record<RowStatus, number>;
  error: string | null;
  warnings: string[];
  createdAt: string;
  /** For a scheduled run: the slot it was for. */
  scheduledFor: string | null;
  startedAt: string | null;
  finishedAt: string | null;
  /** A finished run's rows done per second, start to end; null while it runs (see RunPace for a live one) or when it took under a second. */
  averageRowsPerSecond: number | null;
}

export async function runView(engine: Engine, run: store.RunRecord): Promise<RunView> {
  // A finished run's counts were stored when it ended (lists of runs and connections read them
  // without counting); a live run's are counted from its rows, so progress shows as it goes.
  const counts = run.finished_at
    ? { pending: run.pending, sent: run.sent, failed: run.failed, skipped: run.skipped }
    : await store.runCounts(engine.db, run.id);
  return {
    id: run.id,
    connectionId: run.connection_id,
    trigger: run.trigger,
    status: run.status,
    counts,
    error: run.error,
    warnings: run.warnings ? (JSON.parse(run.warnings) as string[]) : [],
    createdAt: run.created_at,
    scheduledFor: run.scheduled_for,
    startedAt: run.started_at,
    finishedAt: run.finished_at,
    averageRowsPerSecond: averageRowsPerSecond(run),
  };
}

export async function requireRun(engine: Engine, id: string): Promise<store.RunRecord> {
  const run = await store.getRun(engine.db, id);
  // A deleted connection's runs go with it, at once for the user (they are purged afterwards).
  if (!run || !(await getConnection(engine.db, run.connection_id))) throw new ApiError(404, `run ${JSON.stringify(id)} does not exist`);
  return run;
}

const rowsQuery = z.object({
  status: z.enum(['pending', 'sent', 'failed', 'skipped']).optional(),
  limit: z.coerce.number().int().min(1).max(10_000).default(1000),
  offset: z.coerce.number().int().min(0).default(0),
});

/**
 * How a row's Stripe object is opened in the Stripe Dashboard: a link for the mode of the account
 * the connection sends to (test objects live under /test/), null for an id the Dashboard has no
 * page for. The connection's account is read once per page of rows, not per row.
 */
export async function rowLinker(engine: Engine, accountId: string): Promise<(stripeId: string | null) => string | null> {
  const mode = (await getAccount(engine.db, accountId))?.mode;
  return (stripeId) => (stripeId && mode ? (dashboardUrl(mode, stripeId) ?? null) : null);
}

/** A run with its rows (GET /api/runs/:id), a page at a time for large runs. */
export async function runWithRows(engine: Engine, id: string, query: unknown) {
  const q = parseBody(rowsQuery, query);
  const run = await requireRun(engine, id);
  const rows = await store.runRows(engine.db, id, q);
  const connection = await getConnection(engine.db, run.connection_id);
  const link = connection ? await rowLinker(engine, connection.account_id) : () => null;
  const pace = await runPace(engine, run);
  return {
    ...(await runView(engine, run)),
    ...(pace && { pace }),
    rows: rows.map((r) => ({
      rowKey: r.row_key,
      line: r.line,
      status: r.status,
      stripeId: r.stripe_id,
      ...(r.stripe_id && { dashboardUrl: link(r.stripe_id) }),
      error: r.error,
      ...(r.note !== null && { note: r.note }),
      ...(r.group_key !== null && { invoiceKey: r.group_key }),
      updatedAt: r.updated_at,
      // The row's status in the ledger now: a row this run failed may have been retried or sent since.
      currentStatus: r.current_status,
    })),
    ...(rows.length === q.limit && { nextOffset: q.offset + q.limit }),
    ...(connection && findAction(connection.action)?.grouped && { invoices: await runInvoices(engine, id, link) }),
  };
}

/** The invoices a run of a grouped action made or added lines to, as they stand now. */
async function runInvoices(engine: Engine, runId: string, link: (stripeId: string | null) => string | null) {
  const groups = await invoiceGroupsOfRun(engine.db, runId);
  return groups.map((g) => ({
    key: g.group_key,
    invoiceId: g.invoice_id,
    number: g.number,
    status: g.status,
    total: g.total,
    currency: g.currency,
    hostedInvoiceUrl: g.hosted_invoice_url,
    dashboardUrl: link(g.invoice_id),
    customerId: g.customer_id,
    lines: g.lines,
    error: g.error,
  }));
}

/** A forced run now, whether or not the connection is enabled. A run already waiting to start is that run. */
export async function forceRun(engine: Engine, connectionId: string): Promise<{ runId: string }> {
  await requireConnection(engine, connectionId);
  const runId = await store.ensureQueuedRun(engine.db, connectionId, 'manual');
  engine.wake();
  return { runId };
}

/** Replays a run's failed rows in a new run. */
export async function retryFailed(engine: Engine, runId: string): Promise<{ runId: string; rows: number }> {
  const run = await requireRun(engine, runId);
  // The replay's id is stamped on the rows it resets, so that it sends those (RowTable.read_id); the
  // run is queued once they all are. Reset in batches: a run may have hundreds of thousands.
  const next = newId('run');
  const rows = await resetFailedRows(engine.db, runId, { readId: next });
  if (rows === 0) throw new ApiError(409, `run ${runId} has no failed rows left to retry`);
  await store.createRun(engine.db, run.connection_id, 'retry', 'queued', null, next);
  engine.wake();
  return { runId: next, rows };
}

const retryRowsBody = z.strictObject({
  rowKeys: z
    .array(z.string().min(1, { error: 'is empty; give the row key as the run lists it' }), {
      error: 'is not a list of row keys; send {"rowKeys": ["<row key>", …]}',
    })
    .min(1, { error: 'is empty; name at least one failed row of the run' })
    .max(1000, { error: 'names more than 1000 rows; retry them in parts, or all failed rows with retry-failed' }),
});

/**
 * Replays some of a run's failed rows in a new run (POST /api/runs/:id/rows/retry): each named row
 * must have failed in this run and be failed still. A row sent since is refused, never sent again;
 * a row already pending is waiting for a run. The check, the reset and the new run are one
 * transaction, so a row cannot change between them.
 */
export async function retryRows(engine: Engine, runId: string, body: unknown): Promise<{ runId: string; rows: number }> {
  const { rowKeys } = parseBody(retryRowsBody, body);
  const keys = [...new Set(rowKeys)];
  const field = (key: string) => `rowKeys.${rowKeys.indexOf(key)}`;
  const run = await requireRun(engine, runId);
  const result = await engine.db.transaction().execute(async (trx) => {
    const states = new Map((await runRowStates(trx, runId, keys)).map((s) => [s.row_key, s]));
    const unknown: FieldError[] = keys
      .filter((k) => !states.has(k))
      .map((k) => ({ field: field(k), value: k, message: `${field(k)}: ${quote(k)} is not a row of run ${runId}` }));
    if (unknown.length) throw new ApiError(404, unknown.map((e) => e.message).join('; '), unknown);
    const refused: FieldError[] = [];
    for (const key of keys) {
      const why = notRetryable(states.get(key)!, runId);
      if (why) refused.push({ field: field(key), value: key, message: `${field(key)}: row ${quote(key)} ${why}` });
    }
    if (refused.length) throw new ApiError(409, refused.map((e) => e.message).join('; '), refused);
    const next = newId('run');
    const rows = await resetFailedRows(trx, runId, { rowKeys: keys, readId: next });
    return { runId: await store.createRun(trx, run.connection_id, 'retry', 'queued', null, next), rows };
  });
  engine.wake();
  return result;
}

/** Why a row of a run cannot be retried from it, or undefined when it can. */
function notRetryable(s: { status: RowStatus; runStatus: RowStatus; stripe_id: string | null }, runId: string): string | undefined {
  switch (s.status) {
    case 'sent':
      return `was sent (${s.stripe_id}); a sent row is never sent again`;
    case 'pending':
      return 'is pending: a run will send it already';
    case 'skipped':
      return 'is skipped; only failed rows can be retried';
    case 'failed':
      return s.runStatus === 'failed'
        ? undefined
        : `did not fail in run ${runId} (it is ${s.runStatus} there); retry it from the run where it failed`;
  }
}

export async function listRunViews(engine: Engine, connectionId: string): Promise<RunView[]> {
  await requireConnection(engine, connectionId);
  const runs = await store.listRuns(engine.db, connectionId);
  return Promise.all(runs.map((r) => runView(engine, r)));
}

/** What users see of a connection's last run (baselines aside): when, how it ended, its counts. */
export async function lastRun(
  engine: Engine,
  connectionId: string,
): Promise<Pick<RunView, 'id' | 'status' | 'counts' | 'startedAt' | 'finishedAt' | 'error'> | null> {
  const run = await store.latestRun(engine.db, connectionId);
  if (!run) return null;
  const v = await runView(engine, run);
  return { id: v.id, status: v.status, counts: v.counts, startedAt: v.startedAt, finishedAt: v.finishedAt, error: v.error };
}
