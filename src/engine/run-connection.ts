import type Stripe from 'stripe';
import { CREATE_STEP, type ActionContext, type StepResult, type StripeAction } from '../receivers/stripe/action.js';
import { ROW_MARKER_KEY, type Fields } from '../receivers/stripe/field-kit.js';
import { RowError, StripeCallError, toStripeCallError } from '../receivers/stripe/stripe-error.js';
import { joinErrors } from '../receivers/stripe/validate-input.js';
import { isPushSource, sourceTypes, type WriteBackValue } from '../sources/index.js';
import { writeBack, writeBackValues } from './write-back.js';
import { getAccount } from '../store/accounts.js';
import { getConnection, type ConnectionRecord } from '../store/connections.js';
import { claimPendingRows, recordRowOutcome, saveRowProgress, type RowOutcome, type RowRecord } from '../store/rows.js';
import { intakeSource } from './intake.js';
import { fireChained } from './scheduler.js';
import { finishRun, releaseRun, renewLease, runCounts, type RunRecord } from '../store/runs.js';
import type { RowStatus, RunStatus } from '../store/schema.js';
import { markAccountRefused } from './accounts.js';
import type { Engine } from './context.js';
import { connectionAction, mapRow, type ParsedMapping } from './mapping.js';
import { defaultRetry, withRetry } from './retry.js';
import type { Pacer } from './pacer.js';
import { idempotencyKey, rowMarker } from './row-keys.js';
import { describeStripeFailure, lookBeforeReplay, settleAmbiguousCreate, UnsettledWrite } from './settle-ambiguous.js';
import { nowIso } from '../store/ids.js';

/** Stops a run part way; the rows not yet done stay pending for the next run. */
class RunStopped extends Error {
  override name = 'RunStopped';
}

export interface RunOptions {
  owner: string;
  leaseMs: number;
  /** Set when the process is shutting down: the run stops after the row in flight. */
  signal?: AbortSignal;
}

interface RunState {
  engine: Engine;
  run: RunRecord;
  connection: ConnectionRecord;
  stripe: Stripe;
  secretKey: string;
  action: StripeAction<Fields>;
  mapping: ParsedMapping;
  /** A push source (a form) leaves out fields it has no value for; a pull source (a file) names them all. */
  push: boolean;
  /** Source columns that receive write-back, when the connection asks for it. */
  writeBack?: Record<string, WriteBackValue>;
  /** The account's pace, shared with its other runs. */
  pacer: Pacer;
}

/**
 * One run of a connection: intake (a pull source is read and every row recorded in the ledger
 * before anything is sent), then every pending row of the connection is mapped and sent, and its
 * outcome recorded. Safe to call again on a run that was interrupted: rows already sent are not
 * pending any more, and a row caught in the middle resends with the same idempotency keys.
 */
export async function runConnection(engine: Engine, run: RunRecord, o: RunOptions): Promise<RunStatus> {
  const warnings: string[] = [];
  const heartbeat = setInterval(
    () => {
      renewLease(engine.db, run.id, o.owner, o.leaseMs).catch((error: Error) =>
        engine.log.warn({ runId: run.id, err: error.message }, 'lease renewal failed'),
      );
    },
    Math.max(1000, o.leaseMs / 3),
  );
  heartbeat.unref();
  let error: string | null = null;
  try {
    const state = await prepare(engine, run);
    if (run.trigger !== 'retry') {
      try {
        const taken = await intakeSource(engine, state.connection, { mapping: state.mapping, ...(o.signal && { signal: o.signal }) });
        warnings.push(...taken.warnings);
      } catch (error) {
        throw new Error(`source: ${(error as Error).message}`);
      }
    }
    await sendPending(state, o);
    if (state.writeBack) warnings.push(...(await writeBack(engine, state.connection)));
  } catch (e) {
    error = e instanceof Error ? e.message : String(e);
    if (e instanceof RunStopped && o.signal?.aborted) {
      clearInterval(heartbeat);
      await releaseRun(engine.db, run.id, o.owner);
      return 'queued';
    }
  } finally {
    clearInterval(heartbeat);
  }
  const counts = await runCounts(engine.db, run.id);
  const status = outcome(counts, error);
  await finishRun(engine.db, run.id, o.owner, { status, error, warnings, counts });
  await fireChained(engine, run.connection_id, status);
  engine.log.info({ runId: run.id, connectionId: run.connection_id, status, ...counts }, 'run finished');
  return status;
}

function outcome(counts: Record<RowStatus, number>, error: string | null): RunStatus {
  if (error !== null) return 'failed';
  if (counts.failed > 0) return counts.sent > 0 ? 'partial' : 'failed';
  return 'succeeded';
}

async function prepare(engine: Engine, run: RunRecord): Promise<RunState> {
  const connection = await getConnection(engine.db, run.connection_id);
  if (!connection) throw new Error('the connection was deleted');
  const account = await getAccount(engine.db, connection.account_id);
  if (!account) throw new Error(`account ${connection.account_id} does not exist`);
  const plan = connectionAction(connection);
  if (!plan.ok) throw new Error(plan.error);
  const { stripe, secretKey } = engine.stripeFor(account);
  const source = sourceTypes.get(connection.source_type);
  const writeBack = source?.mode === 'pull' ? source.writeBackColumns?.(JSON.parse(connection.source_settings)) : undefined;
  return {
    engine,
    run,
    connection,
    stripe,
    secretKey,
    action: plan.action,
    mapping: plan.mapping,
    push: isPushSource(connection.source_type),
    ...(writeBack && Object.keys(writeBack).length > 0 && { writeBack }),
    pacer: engine.pacerFor(account),
  };
}

/**
 * Sends the connection's pending rows, several at once — Stripe answers in a few hundred
 * milliseconds, so one row at a time would stay far below the account's limit; the account's pacer
 * keeps the pace. The steps of one row stay in order. A row that stops the run (the key was
 * refused) or a shutdown stops new rows from starting; the rows in flight finish first.
 */
async function sendPending(state: RunState, o: RunOptions): Promise<void> {
  const parallel = Math.max(1, Math.min(32, Math.ceil(state.pacer.limit / 2)));
  const inFlight = new Set<Promise<void>>();
  let stopped: unknown;
  let after = '';
  const halted = () => stopped !== undefined || o.signal?.aborted === true;
  while (!halted()) {
    const rows = await claimPendingRows(state.engine.db, state.connection.id, state.run.id, after, 100);
    if (rows.length === 0) break;
    for (const row of rows) {
      while (inFlight.size >= parallel) await Promise.race(inFlight);
      if (halted()) break;
      after = row.id;
      const sending: Promise<void> = sendRow(state, row)
        .catch((error: unknown) => {
          stopped ??= error;
        })
        .finally(() => inFlight.delete(sending));
      inFlight.add(sending);
    }
  }
  await Promise.all(inFlight);
  if (stopped !== undefined) throw stopped;
  if (o.signal?.aborted) throw new RunStopped('Sluice was shutting down; the rest of the rows stay pending');
}

async function sendRow(state: RunState, row: RowRecord): Promise<void> {
  const { engine, run, connection, action } = state;
  const record = (status: RowStatus, extra: Omit<RowOutcome, 'rowId' | 'runId' | 'status'> = {}) =>
    recordRowOutcome(engine.db, { rowId: row.id, runId: run.id, status, ...extra });

  const mapped = mapRow(action, state.mapping, JSON.parse(row.data) as Record<string, string>, { missingAsEmpty: state.push });
  if (!mapped.ok) return record('failed', { error: joinErrors(mapped.errors) });

  const progress = JSON.parse(row.progress ?? '{}') as Record<string, StepResult>;
  const toError = (e: unknown) => toStripeCallError(e, state.secretKey);
  /** The object a lookup found for an ambiguous create, for write-back (the action never saw it). */
  let settled: unknown;
  /** When this attempt first sent the create step, while its outcome is unknown (RowTable.ambiguous_since). */
  let createSentAt: string | undefined;
  /**
   * What the failed row records as ambiguous_since: the create's first sending when it stayed
   * ambiguous with its key kept; nothing to record once the create's result is stored.
   */
  const ambiguousSince = (keptKey: boolean): string | null | undefined =>
    CREATE_STEP in progress ? null : keptKey ? createSentAt : undefined;
  /**
   * One step's request. The SDK has retried timeouts, dropped connections and 5xx with the same
   * key already; a create whose answer is still missing (or a 500 Stripe replays for the key) is
   * settled by a lookup.
   */
  const sendStep = async <T extends StepResult>(name: string, send: () => Promise<T>): Promise<T> => {
    try {
      return await withRetry(send, toError, defaultRetry, state.pacer);
    } catch (raw) {
      const error = toError(raw);
      if (name !== CREATE_STEP || error.kind !== 'ambiguous' || !action.find) throw error;
      const found = await settleAmbiguousCreate({ action, input: mapped.input, ctx, error, secretKey: state.secretKey });
      engine.log.warn(
        { runId: run.id, rowId: row.id, step: name, stripeId: found.id, err: error.message },
        'ambiguous write found by lookup',
      );
      settled = found.object;
      // The create step's result is the object's id (CREATE_STEP).
      return found.id as T;
    }
  };
  const ctx: ActionContext = {
    stripe: state.stripe,
    marker: { [ROW_MARKER_KEY]: rowMarker(connection.id, row.row_key) },
    step: async <T extends StepResult>(name: string, fn: (key: string) => Promise<T>): Promise<T> => {
      if (name in progress) return progress[name] as T;
      const key = idempotencyKey(connection.id, row.row_key, row.key_version, name);
      // An earlier create stayed ambiguous: its object may exist, and past Stripe's 24 hours the
      // same key would not stop a duplicate, so it is looked for before anything is sent.
      const before =
        name === CREATE_STEP && row.ambiguous_since !== null
          ? await lookBeforeReplay({
              action,
              input: mapped.input,
              ctx,
              secretKey: state.secretKey,
              since: row.ambiguous_since,
              now: engine.now(),
            })
          : null;
      let value: T;
      if (before) {
        engine.log.warn({ runId: run.id, rowId: row.id, step: name, stripeId: before.id }, 'ambiguous write found before replay');
        settled = before.object;
        value = before.id as T;
      } else {
        if (name === CREATE_STEP) createSentAt = nowIso(engine.now());
        value = await sendStep(name, () => fn(key));
      }
      progress[name] = value;
      await saveRowProgress(engine.db, row.id, progress);
      return value;
    },
    read: (fn) => withRetry(fn, toError, defaultRetry, state.pacer),
  };
  try {
    const result = await action.run(mapped.input, ctx);
    const object = result.object ?? settled;
    await record('sent', {
      stripeId: result.id,
      ...(state.writeBack && { writeBack: writeBackValues(state.writeBack, result.id, object) }),
    });
  } catch (raw) {
    if (raw instanceof RowError) return record('failed', { error: raw.message, newKey: true });
    // A lookup proved that Stripe made nothing: only then may the next attempt use a new key.
    if (raw instanceof UnsettledWrite) {
      return record('failed', { error: raw.message, newKey: raw.newKey, ambiguousSince: ambiguousSince(!raw.newKey) });
    }
    const error = toError(raw);
    if (error.kind === 'auth') {
      await markAccountRefused(engine, connection.account_id, error.message);
      throw new RunStopped(`Stripe refused the account's key: ${error.message}; the rows stay pending — check the account, then run again`);
    }
    await record('failed', {
      error: describeFailure(error),
      newKey: error.kind === 'refused',
      ambiguousSince: ambiguousSince(error.kind === 'ambiguous'),
    });
  }
}

/** A row's error text for a failed Stripe call; an ambiguous one says why a retry is still safe. */
export function describeFailure(error: StripeCallError): string {
  const said = describeStripeFailure(error);
  if (error.kind === 'ambiguous') {
    return `${said} — Stripe may or may not have acted; a retry reuses the same idempotency key, so it cannot create a duplicate within 24 hours`;
  }
  return said;
}
