import { isPushSource, sourceTypes } from '../sources/index.js';
import { writeBack } from './write-back.js';
import { getAccount } from '../store/accounts.js';
import { getConnection } from '../store/connections.js';
import { claimPendingRows, countLeftOut } from '../store/rows.js';
import { intakeSource } from './intake.js';
import { fireChained } from './scheduler.js';
import { finishRun, releaseRun, renewLease, runCounts, type RunRecord } from '../store/runs.js';
import type { RowStatus, RunStatus } from '../store/schema.js';
import type { Engine } from './context.js';
import { connectionAction } from './mapping.js';
import { sendInvoiceGroups } from './send-invoice-groups.js';
import { Pool } from './pool.js';
import { RunStopped, sendRow, type RunOptions, type RunState } from './send-row.js';

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
    let read: ReadonlySet<string> | undefined;
    if (run.trigger !== 'retry') {
      try {
        const taken = await intakeSource(engine, state.connection, {
          mapping: state.mapping,
          readId: run.id,
          ...(o.signal && { signal: o.signal }),
        });
        warnings.push(...taken.warnings);
        read = taken.keys;
      } catch (error) {
        throw new Error(`source: ${(error as Error).message}`);
      }
    }
    // A pull source's run sends only the pending rows stamped with its id: those its read holds
    // (or, for a replay, those it reset). Rows an earlier read left pending stay unsent.
    const readId = state.push ? undefined : run.id;
    if (readId !== undefined && run.trigger !== 'retry') {
      const leftOut = await countLeftOut(engine.db, run.connection_id, readId);
      if (leftOut > 0)
        warnings.push(
          `${leftOut} pending row${leftOut === 1 ? ' was' : 's were'} not sent: an earlier read took ${leftOut === 1 ? 'it' : 'them'} in and the source no longer has ${leftOut === 1 ? 'it' : 'them'}`,
        );
    }
    if (state.action.grouped) warnings.push(...(await sendInvoiceGroups(state, o, read, readId)));
    else await sendPending(state, o, readId);
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
async function sendPending(state: RunState, o: RunOptions, readId: string | undefined): Promise<void> {
  const parallel = Math.max(1, Math.min(32, Math.ceil(state.pacer.limit / 2)));
  const pool = new Pool(parallel);
  let after = '';
  const halted = () => pool.failed || o.signal?.aborted === true;
  while (!halted()) {
    const rows = await claimPendingRows(state.engine.db, state.connection.id, state.run.id, after, 100, readId);
    if (rows.length === 0) break;
    for (const row of rows) {
      await pool.slot();
      if (halted()) break;
      after = row.id;
      pool.start(() => sendRow(state, row));
    }
  }
  await pool.finish();
  if (o.signal?.aborted) throw new RunStopped('Sluice was shutting down; the rest of the rows stay pending');
}
