import { firstRunAfterSave, localIso, nextRunAfter, upcomingRuns } from '../core/schedule/next-run.js';
import { parseSchedule, type Schedule } from '../core/schedule/schedule.js';
import { valueError, type FieldError } from '../core/field-error.js';
import { z } from 'zod';
import type { ConnectionRecord } from '../store/connections.js';
import { listConnections } from '../store/connections.js';
import type { Engine } from './context.js';
import { ApiError } from './errors.js';
import { parseBody } from './parse-body.js';

/** The time zone of `times` schedules that name none: the server's (TZ, or the system's). */
export const serverTimezone = (): string => Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';

const OFF: Schedule = { kind: 'off' };

/** A connection's schedule as stored; a connection that never had one is off. */
export function scheduleOf(c: Pick<ConnectionRecord, 'schedule'>): Schedule {
  return c.schedule ? (JSON.parse(c.schedule) as Schedule) : OFF;
}

/** Reads a schedule from a request body, or throws a 400 naming the field. */
export function readSchedule(input: unknown): Schedule {
  const parsed = parseSchedule(input, serverTimezone());
  if (!parsed.ok) throw new ApiError(400, parsed.error, [{ field: 'schedule', message: parsed.error }]);
  return parsed.value;
}

/**
 * When an enabled connection's next scheduled run is due, from the moment its schedule was saved
 * or it was switched on. The 5-minute rule lives in firstRunAfterSave. Chained (`after`) and `off`
 * schedules have no time of their own.
 */
export function nextRunOnSave(schedule: Schedule, enabled: boolean, now: Date): string | null {
  if (!enabled) return null;
  const first = firstRunAfterSave(schedule, now);
  return first ? first.toISOString() : null;
}

/**
 * The next slot after a due one fired. Slots missed while Sluice was down (or busy) are not run one
 * by one: the connection runs once now, and its next slot is the first one after now.
 */
export function nextRunAfterFiring(schedule: Schedule, due: Date, now: Date): string | null {
  // Step slot by slot rather than from `now`, so an interval keeps its phase (10:00, 10:10, …).
  let next = nextRunAfter(schedule, due);
  while (next && next <= now) next = nextRunAfter(schedule, next);
  return next ? next.toISOString() : null;
}

/**
 * Refuses a chain that would loop: A after B after … after A. The message names the cycle by the
 * connections' names, in order.
 */
export async function checkChain(engine: Engine, connectionId: string, name: string, schedule: Schedule): Promise<FieldError[]> {
  if (schedule.kind !== 'after') return [];
  const all = new Map((await listConnections(engine.db)).map((c) => [c.id, c]));
  if (!all.has(schedule.connectionId)) {
    return [valueError('schedule.connectionId', schedule.connectionId, 'is not a connection')];
  }
  if (schedule.connectionId === connectionId) {
    return [valueError('schedule.connectionId', schedule.connectionId, 'is this connection itself; a connection cannot run after itself')];
  }
  const path = [name];
  let at: string | undefined = schedule.connectionId;
  const seen = new Set([connectionId]);
  while (at) {
    const c = all.get(at);
    if (!c) break;
    path.push(c.name);
    if (seen.has(at)) break;
    seen.add(at);
    const s = scheduleOf(c);
    at = s.kind === 'after' ? s.connectionId : undefined;
    if (at === connectionId) {
      path.push(name);
      return [
        valueError(
          'schedule.connectionId',
          schedule.connectionId,
          `would make a cycle: ${path.map((p) => JSON.stringify(p)).join(' → ')}; a chain must end`,
        ),
      ];
    }
  }
  return [];
}

const nextQuery = z.object({
  count: z.coerce.number().int().min(1).max(500).default(5),
  from: z
    .string()
    .refine((s) => !Number.isNaN(Date.parse(s)), { message: 'is not an ISO time such as 2026-11-26T12:00:00Z' })
    .optional(),
});

/** GET /api/connections/:id/schedule/next: the next runs, in UTC and in the schedule's time zone. */
export function upcoming(connection: ConnectionRecord, query: unknown): { next: { utc: string; local: string }[] } {
  const q = parseBody(nextQuery, query);
  const schedule = scheduleOf(connection);
  const zone = schedule.kind === 'times' ? schedule.timezone : serverTimezone();
  // From now, the stored next run leads (it holds the 5-minute rule applied when the schedule was
  // saved); from another time, the schedule's slots as they fall.
  const stored = connection.next_run_at ? new Date(connection.next_run_at) : undefined;
  const runs = q.from
    ? upcomingRuns(schedule, { from: new Date(q.from), count: q.count })
    : upcomingRuns(schedule, { from: new Date(), count: q.count, ...(stored && { first: stored }) });
  return { next: runs.map((d) => ({ utc: d.toISOString(), local: localIso(d, zone) })) };
}
