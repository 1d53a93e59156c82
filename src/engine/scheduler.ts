import type { Db } from '../store/db.js';
import { ensureQueuedRun } from '../store/runs.js';
import { nowIso } from '../store/ids.js';
import type { RunStatus } from '../store/schema.js';
import type { Engine } from './context.js';
import { nextRunAfterFiring, scheduleOf } from './schedules.js';

export interface SchedulerOptions {
  /** How often to look for due slots; a due run starts within this, plus the wait for a free worker. (Default: 250 ms) */
  tickMs?: number;
}

/**
 * Fires scheduled runs. Each due slot is claimed with a conditional update of the connection's
 * `next_run_at` (from the value read to the next slot), in the same transaction that queues the
 * run: however many schedulers share the database, exactly one wins each slot, and a slot is never
 * claimed without its run being queued.
 */
export class Scheduler {
  readonly #engine: Engine;
  readonly #tickMs: number;
  #timer: NodeJS.Timeout | undefined;
  #ticking = false;

  constructor(engine: Engine, o: SchedulerOptions = {}) {
    this.#engine = engine;
    this.#tickMs = o.tickMs ?? 250;
  }

  start(): void {
    this.#timer = setInterval(() => void this.tick(), this.#tickMs);
    this.#timer.unref();
    void this.tick();
  }

  stop(): void {
    if (this.#timer) clearInterval(this.#timer);
  }

  /** Claims every due slot now; returns how many runs it queued. */
  async tick(now = new Date()): Promise<number> {
    if (this.#ticking) return 0;
    this.#ticking = true;
    try {
      return await fireDue(this.#engine.db, now, () => this.#engine.wake());
    } catch (error) {
      this.#engine.log.error({ err: (error as Error).message }, 'scheduler tick failed');
      return 0;
    } finally {
      this.#ticking = false;
    }
  }
}

export async function fireDue(db: Db, now: Date, wake: () => void): Promise<number> {
  const due = await db
    .selectFrom('connections')
    .select(['id', 'schedule', 'next_run_at'])
    .where('enabled', '=', 1)
    .where('next_run_at', '<=', nowIso(now))
    .orderBy('next_run_at')
    .limit(500)
    .execute();
  if (due.length === 0) return 0;
  // One transaction for the whole batch: each claim is still conditional on the value read, and
  // a thousand slots due at once are queued with one commit rather than a thousand.
  const fired = await db.transaction().execute(async (trx) => {
    let claimed = 0;
    for (const c of due) {
      if (!c.next_run_at) continue;
      const next = nextRunAfterFiring(scheduleOf(c), new Date(c.next_run_at), now);
      const r = await trx
        .updateTable('connections')
        .set({ next_run_at: next })
        .where('id', '=', c.id)
        .where('enabled', '=', 1)
        .where('next_run_at', '=', c.next_run_at)
        .executeTakeFirst();
      if (Number(r.numUpdatedRows) !== 1) continue;
      await ensureQueuedRun(trx, c.id, 'schedule', c.next_run_at);
      claimed++;
    }
    return claimed;
  });
  if (fired > 0) wake();
  return fired;
}

/**
 * Chains: when a run ends, the enabled connections scheduled "after" it are queued — on any end for
 * `on: "any"`, only on success for `on: "success"`. A disabled connection is not run, so the chain
 * stops there.
 */
export async function fireChained(engine: Engine, connectionId: string, status: RunStatus): Promise<void> {
  const followers = await engine.db
    .selectFrom('connections')
    .select(['id', 'schedule'])
    .where('after_connection_id', '=', connectionId)
    .where('enabled', '=', 1)
    .execute();
  let queued = 0;
  for (const f of followers) {
    const s = scheduleOf(f);
    if (s.kind !== 'after' || s.connectionId !== connectionId) continue;
    if ((s.on ?? 'success') === 'success' && status !== 'succeeded') continue;
    await ensureQueuedRun(engine.db, f.id, 'chain');
    queued++;
  }
  if (queued > 0) engine.wake();
}
