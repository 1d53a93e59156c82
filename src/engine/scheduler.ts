import type { Db } from '../store/db.js';
import { chainFollowers, claimSlots, dueConnections, getConnection } from '../store/connections.js';
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
  const due = await dueConnections(db, nowIso(now), 500);
  // One transaction for the whole batch: a thousand slots due at once are queued with one commit.
  const fired = await claimSlots(
    db,
    due.flatMap((c) =>
      c.next_run_at ? [{ id: c.id, due: c.next_run_at, next: nextRunAfterFiring(scheduleOf(c), new Date(c.next_run_at), now) }] : [],
    ),
  );
  if (fired > 0) wake();
  return fired;
}

/**
 * Fires one connection's slot when it is due: the job engine's slot job (queue/postgres-jobs.ts)
 * runs at the slot's time by the database's clock, which this process's clock may lag a little,
 * so a slot up to a minute ahead counts as due. Claimed as `fireDue` claims (one winner).
 */
export async function fireDueConnection(db: Db, connectionId: string, now: Date): Promise<boolean> {
  const c = await getConnection(db, connectionId);
  if (!c || c.enabled !== 1 || !c.next_run_at) return false;
  const due = new Date(c.next_run_at);
  if (due.getTime() - now.getTime() > 60_000) return false;
  const at = due > now ? due : now;
  return (await claimSlots(db, [{ id: c.id, due: c.next_run_at, next: nextRunAfterFiring(scheduleOf(c), due, at) }])) > 0;
}

/**
 * Chains: when a run ends, the enabled connections scheduled "after" it are queued — on any end for
 * `on: "any"`, only on success for `on: "success"`. A disabled connection is not run, so the chain
 * stops there.
 */
export async function fireChained(engine: Engine, connectionId: string, status: RunStatus): Promise<void> {
  const followers = await chainFollowers(engine.db, connectionId);
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
