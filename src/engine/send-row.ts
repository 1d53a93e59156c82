import type Stripe from 'stripe';
import { CREATE_STEP, type ActionContext, type StepResult, type StripeAction } from '../receivers/stripe/action.js';
import { ROW_MARKER_KEY, type Fields } from '../receivers/stripe/field-kit.js';
import { RowError, StripeCallError, toStripeCallError } from '../receivers/stripe/stripe-error.js';
import { joinErrors } from '../receivers/stripe/validate-input.js';
import type { WriteBackValue } from '../sources/index.js';
import type { ConnectionRecord } from '../store/connections.js';
import { nowIso } from '../store/ids.js';
import { recordRowOutcome, saveRowProgress, type RowOutcome, type RowRecord } from '../store/rows.js';
import type { RunRecord } from '../store/runs.js';
import { markAccountRefused } from './accounts.js';
import type { Engine } from './context.js';
import { mapRow, type ParsedMapping } from './mapping.js';
import type { AccountPacer } from './pacer.js';
import { defaultRetry, withRetry } from './retry.js';
import { idempotencyKey, rowMarker } from './row-keys.js';
import { describeStripeFailure, lookBeforeReplay, settleAmbiguousCreate, UnsettledWrite } from './settle-ambiguous.js';
import { writeBackValues } from './write-back.js';

/** Stops a run part way; the rows not yet done stay pending for the next run. */
export class RunStopped extends Error {
  override name = 'RunStopped';
}

export interface RunOptions {
  owner: string;
  leaseMs: number;
  /** Set when the process is shutting down: the run stops after the row in flight. */
  signal?: AbortSignal;
}

export interface RunState {
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
  pacer: AccountPacer;
}

/** Maps one row of a connection and sends it with the connection's action. */
export async function sendRow(state: RunState, row: RowRecord): Promise<void> {
  const mapped = mapRow(state.action, state.mapping, JSON.parse(row.data) as Record<string, string>, { missingAsEmpty: state.push });
  if (!mapped.ok) {
    await recordRowOutcome(state.engine.db, { rowId: row.id, runId: state.run.id, status: 'failed', error: joinErrors(mapped.errors) });
    return;
  }
  await deliverRow(state, row, state.action, mapped.input);
}

export interface DeliverOptions {
  /** The row is a line of this group's invoice (RowTable.group_key); the group writes back, not the row. */
  groupKey?: string;
}

/**
 * Sends one row's input with an action and records the outcome: its steps run once each (stored
 * in the ledger as they finish), an ambiguous create is settled by a lookup, a refused key stops
 * the run (RunStopped). Returns what the row became.
 */
export async function deliverRow(
  state: RunState,
  row: RowRecord,
  action: StripeAction<Fields>,
  input: Record<string, unknown>,
  o: DeliverOptions = {},
): Promise<'sent' | 'failed'> {
  const { engine, run, connection } = state;
  const record = async (status: 'sent' | 'failed', extra: Omit<RowOutcome, 'rowId' | 'runId' | 'status'> = {}) => {
    await recordRowOutcome(engine.db, {
      rowId: row.id,
      runId: run.id,
      status,
      ...extra,
      ...(o.groupKey !== undefined && { groupKey: o.groupKey }),
    });
    return status;
  };

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
      const found = await settleAmbiguousCreate({ action, input, ctx, error, secretKey: state.secretKey });
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
              input: input,
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
    const result = await action.run(input, ctx);
    const object = result.object ?? settled;
    return await record('sent', {
      stripeId: result.id,
      ...(result.note !== undefined && { note: result.note }),
      ...(state.writeBack && o.groupKey === undefined && { writeBack: writeBackValues(state.writeBack, result.id, object) }),
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
    return await record('failed', {
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
