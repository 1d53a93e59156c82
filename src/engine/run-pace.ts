import { getAccount } from '../store/accounts.js';
import { getConnection } from '../store/connections.js';
import { rowsDoneBetween, type RunRecord } from '../store/runs.js';
import type { Engine } from './context.js';

/**
 * How many seconds a running run's measured pace looks back: long enough to smooth over rows that
 * finish in bursts, short enough to show a slowdown within a few seconds.
 */
export const PACE_WINDOW_SECONDS = 10;

/**
 * A running run's pace (GET /api/runs/:id): what it achieves and what its account's pacer allows.
 * `rate`, `throttled`, `backingOff` and `backingOffUntil` come from the pacer of the process that
 * runs the run, and are left out when another process runs it: pacers live in memory, one per
 * process and account, shared by that process's runs of the account.
 */
export interface RunPace {
  /**
   * Rows done (sent, failed or skipped) per second over the last 10 seconds (or since the run
   * started, if later). Counted from the run's rows in the store, so it is right whichever process
   * runs the run.
   */
  rowsPerSecond: number;
  /** The account's limit, requests per second (Stripe's 25 in test mode and 100 live, unless configured). */
  limit: number;
  /** Requests per second the account's pacer allows now. */
  rate?: number;
  /** 429s Stripe answered to the account's pacer since the process started. */
  throttled?: number;
  /** The pacer is below the limit after a 429, coming back a twentieth of the limit per second. */
  backingOff?: boolean;
  /** When it will be back at the limit if Stripe sends no other 429. */
  backingOffUntil?: string;
}

/** The pace of a running run; undefined for a run that is not running or whose account is gone. */
export async function runPace(engine: Engine, run: RunRecord, now = new Date()): Promise<RunPace | undefined> {
  if (run.status !== 'running' || !run.started_at) return undefined;
  const connection = await getConnection(engine.db, run.connection_id);
  const account = connection && (await getAccount(engine.db, connection.account_id));
  if (!account || account.type !== 'stripe') return undefined;
  const elapsed = (now.getTime() - new Date(run.started_at).getTime()) / 1000;
  // At least a second, so that the first rows of a run do not read as a huge pace.
  const window = Math.max(1, Math.min(PACE_WINDOW_SECONDS, elapsed));
  const done = await rowsDoneBetween(engine.db, run.id, new Date(now.getTime() - window * 1000).toISOString(), now.toISOString());
  const pacer = engine.pacerFor(account);
  const pace: RunPace = { rowsPerSecond: round(done / window), limit: pacer.limit };
  if (run.owner !== engine.owner) return pace;
  const state = pacer.state(now.getTime());
  return {
    ...pace,
    rate: round(state.rate),
    throttled: state.throttled,
    backingOff: state.rate < state.limit,
    ...(state.fullSpeedAt !== undefined && { backingOffUntil: new Date(state.fullSpeedAt).toISOString() }),
  };
}

/**
 * A finished run's rows done per second, start to end; null when it did no row or took less than
 * a second (one row in 70 ms is no pace worth showing as "14 rows/s").
 */
export function averageRowsPerSecond(run: RunRecord): number | null {
  if (!run.started_at || !run.finished_at) return null;
  const seconds = (new Date(run.finished_at).getTime() - new Date(run.started_at).getTime()) / 1000;
  const done = run.sent + run.failed + run.skipped;
  return seconds >= 1 && done > 0 ? round(done / seconds) : null;
}

const round = (n: number) => Math.round(n * 10) / 10;
